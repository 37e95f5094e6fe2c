"""The service under hostile load: many clients on loopback, some sending runaway
queries without pause, the others what people ask (persons' meetings, who met whom
from the cache, small queries the engine must run). Measured: the normal clients'
latency, the memory of the service's whole process tree, and how soon its CPU is idle
again after the load stops.

The load runs in a process of its own (``python -m benchmarks hostile-load``); this
process starts ``kg serve`` and watches its process tree in ``/proc``.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from .http import SPARQL_JSON, HttpClient, _read_response, percentiles
from .isolated import run_isolated
from .queries import query_text
from .servers import kg_service

__all__ = ["RUNAWAY", "hostile_load", "hostile_table", "format_hostile", "tree", "tree_rss_mb", "tree_cpu_seconds"]

#: Runs until stopped: a three-way cross product of every statement, counted.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Grows until stopped: a cross product sorted, so the engine must hold it all.
RUNAWAY_MEMORY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
#: A small query the engine runs every time (each text made unique).
SMALL = ("SELECT (COUNT(?e) AS ?n) WHERE { ?e a crd:ChronicleEvent ; sem:hasBeginTimeStamp ?d "
         "FILTER(?d >= \"2020-{month}-01\"^^xsd:date) }")


# -- the service's process tree, from /proc ------------------------------------------------

def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def tree(pid: int) -> list[int]:
    """``pid`` and every process below it.

    >>> os.getpid() in tree(os.getpid())
    True
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_rss_mb(pid: int) -> float:
    """Resident memory of the process tree, in MB (shared pages counted once per
    process: an upper bound)."""
    total = 0
    for p in tree(pid):
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            pass
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds the process tree has used so far (its processes alive now)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in tree(pid):
        fields = _stat(p)
        if fields:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def seconds_to_idle(pid: int, *, window: float = 0.5, busy: float = 0.05, limit: float = 60.0) -> float:
    """Seconds until the tree uses less than ``busy`` of a core over ``window``."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        before = tree_cpu_seconds(pid)
        time.sleep(window)
        if (tree_cpu_seconds(pid) - before) / window < busy:
            return round(time.monotonic() - t0 - window, 2)
    return float("inf")


# -- the load ------------------------------------------------------------------------------

async def _client(kind: str, requests: list[bytes], host: str, port: int, t_end: float, out: dict,
                  source: str) -> None:
    reader = writer = None
    n = 0
    while time.perf_counter() < t_end:
        if writer is None:
            reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0))
        req = requests[n % len(requests)].replace(b"{n}", f"{os.getpid()}-{id(out)}-{n}".encode())
        n += 1
        t0 = time.perf_counter()
        try:
            writer.write(req)
            status, headers, _ = await asyncio.wait_for(_read_response(reader), 120)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError):
            out.setdefault(kind + "_errors", []).append("connection")
            writer.close()
            reader = writer = None
            continue
        out.setdefault(kind, []).append((time.perf_counter() - t0, status))
        if headers.get("connection", "").lower() == "close":
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def hostile_load(url: str, people: list[str], *, seconds: float, clients: int = 50, runaway: int = 5) -> dict:
    """``clients`` closed-loop connections, each from its own loopback address, for
    ``seconds``: ``runaway`` of them send
    runaway queries (every other one a memory runaway), the others in turn a person's
    meetings, who met whom (the same text: from the cache) and a small query (each
    text unique: run every time). Latency per kind, in ms; the normal clients' p50 and
    p99; status counts."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    client = HttpClient(url)

    def get(path: str, params: dict | None = None, accept: str = "application/json") -> bytes:
        return client.request_bytes(path, params, accept)

    runaway_reqs = [get("/sparql", {"query": q + " # {n}"}, SPARQL_JSON) for q in (RUNAWAY, RUNAWAY_MEMORY)]
    normal = {
        "meetings": [get(f"/persons/{p}/met") for p in people],
        "cached": [get("/sparql", {"query": query_text("bench_who_met_whom")}, SPARQL_JSON)],
        "small": [get("/sparql", {"query": SMALL.replace("{month}", f"{m:02d}") + " # {n}"}, SPARQL_JSON)
                  for m in range(1, 13)],
    }
    kinds = list(normal)
    out: dict = {}
    t_end = time.perf_counter() + seconds

    async def main() -> None:
        tasks = []
        for k in range(clients):
            # Each client from an address of its own on loopback, as separate users are.
            source = f"127.0.{(k + 2) // 250}.{(k + 2) % 250}"
            if k < runaway:
                tasks.append(_client("runaway", runaway_reqs[k % 2:] + runaway_reqs[:k % 2], host, port, t_end, out,
                                     source))
            else:
                kind = kinds[k % len(kinds)]
                tasks.append(_client(kind, normal[kind], host, port, t_end, out, source))
        await asyncio.gather(*tasks)

    asyncio.run(main())
    result: dict = {"clients": clients, "runaway_clients": runaway, "seconds": seconds, "kinds": {}}
    everyone: list[float] = []
    failures = 0
    for kind in ["runaway", *kinds]:
        rows = out.get(kind, [])
        statuses: dict[str, int] = {}
        for _, s in rows:
            statuses[str(s)] = statuses.get(str(s), 0) + 1
        lat = [t for t, _ in rows]
        p50, p99 = percentiles(lat) if lat else (0.0, 0.0)
        result["kinds"][kind] = {"requests": len(rows), "statuses": statuses, "p50_ms": p50, "p99_ms": p99,
                                 "connection_errors": len(out.get(kind + "_errors", []))}
        if kind != "runaway":
            everyone += lat
            failures += sum(1 for _, s in rows if s != 200) + len(out.get(kind + "_errors", []))
    p50, p99 = percentiles(everyone) if everyone else (0.0, 0.0)
    result["normal"] = {"requests": len(everyone), "failed": failures, "p50_ms": p50, "p99_ms": p99}
    return result


def hostile_table(store: str, *, seconds: float = 30.0, clients: int = 50, runaway: int = 5) -> dict:
    """``kg serve`` on the store under ``hostile_load`` from another process, its
    process tree watched: peak memory during the load, seconds until its CPU is idle
    after it, and the limits it ran with."""
    from graph.sparql.named import select
    from graph.stores.oxigraph import OxigraphStore

    from api.settings import Settings

    st = OxigraphStore(store, create=False)
    people = sorted({r["a"].value.rsplit("/", 1)[-1] for r in select(st, "who_met_whom")})
    st.close()
    settings = Settings()
    with kg_service(store) as svc:
        warm = HttpClient(svc.url)
        warm.get("/sparql", {"query": query_text("bench_who_met_whom")}, accept=SPARQL_JSON)
        warm.close()
        peak = [tree_rss_mb(svc.pid)]
        idle_rss = peak[0]
        stop = threading.Event()

        def watch() -> None:
            while not stop.wait(0.1):
                peak.append(tree_rss_mb(svc.pid))

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            load = run_isolated("hostile-load", svc.url, "--seconds", str(seconds), "--clients", str(clients),
                                "--runaway", str(runaway), "--people", ",".join(people))
        finally:
            stop.set()
            watcher.join()
        idle_after = seconds_to_idle(svc.pid)
        alive = HttpClient(svc.url).get("/sparql", {"query": "ASK {}"}, accept=SPARQL_JSON)[0]
    cap = idle_rss + (settings.query_workers + settings.query_long_workers) * settings.query_memory
    return {**load, "rss_before_mb": round(idle_rss), "rss_peak_mb": round(max(peak)),
            "memory_cap_mb": round(cap), "seconds_to_idle": idle_after, "time_limit_s": settings.query_timeout,
            "answers_after": alive, "limits": {"workers": settings.query_workers,
                                               "long_workers": settings.query_long_workers,
                                               "long_after_s": settings.query_long_after,
                                               "memory_mb": settings.query_memory}}


def format_hostile(t: dict) -> str:
    lines = [f"{'clients':<22} {'requests':>9} {'p50 ms':>9} {'p99 ms':>9}  statuses"]
    for kind, r in t["kinds"].items():
        n = t["runaway_clients"] if kind == "runaway" else None
        title = f"{kind} ({n} clients)" if n is not None else kind
        statuses = ", ".join(f"{s}: {c}" for s, c in r["statuses"].items())
        lines.append(f"{title:<22} {r['requests']:>9} {r['p50_ms']:>9.1f} {r['p99_ms']:>9.1f}  {statuses}")
    n = t["normal"]
    lines.append(f"{'all normal clients':<22} {n['requests']:>9} {n['p50_ms']:>9.1f} {n['p99_ms']:>9.1f}  "
                 f"{n['failed']} not answered 200")
    lines.append(f"memory of kg serve and its workers: {t['rss_before_mb']} MB before, {t['rss_peak_mb']} MB at most "
                 f"(cap {t['memory_cap_mb']} MB: service + {t['limits']['workers']}+{t['limits']['long_workers']} "
                 f"workers × {t['limits']['memory_mb']:g} MB)")
    lines.append(f"CPU idle again {t['seconds_to_idle']:.1f} s after the load stopped (time limit "
                 f"{t['time_limit_s']:g} s); /sparql answered {t['answers_after']} after it")
    return "\n".join(lines)
