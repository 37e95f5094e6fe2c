"""Query figures: the ``graph/sparql/queries/bench_*.rq`` queries, sent as the same
text (with the usual prefixes declared) to every engine, p50 and p99 in ms."""

from __future__ import annotations

import io
import json
import tempfile
import time
from pathlib import Path

from graph.sparql.named import load
from graph.sparql.run import PROLOGUE

from .http import SPARQL_JSON, HttpClient, percentiles
from .isolated import run_isolated
from .servers import kg_service, oxigraph_binary, oxigraph_server

QUERIES: tuple[str, ...] = ("bench_who_met_whom", "bench_who_met_whom_flat", "bench_busiest_people",
                            "bench_sco_events_by_month", "bench_agreements_by_year")
QUERY_TITLES = {"bench_who_met_whom": "who-met-whom", "bench_who_met_whom_flat": "who-met-whom flat",
                "bench_busiest_people": "busiest people", "bench_sco_events_by_month": "SCO by month",
                "bench_agreements_by_year": "agreements/year"}
# rdflib spends more than ten minutes on one run of the one-pattern form.
RDFLIB_SKIP = frozenset({"bench_who_met_whom_flat"})
ENGINES = {"rdflib": "rdflib Graph, in memory", "disk": "Oxigraph on disk, in-process",
           "memory": "Oxigraph in memory, in-process", "workers": "in a query worker (no HTTP)",
           "sparql": "/sparql (kg serve), HTTP",
           "sparql-cached": "/sparql, same text again", "oxigraph-server": "Oxigraph server, HTTP"}


def query_text(name: str) -> str:
    """A benchmark query with the usual prefixes declared, as every engine receives it.

    >>> query_text("bench_agreements_by_year").startswith("PREFIX crd:")
    True
    """
    return PROLOGUE + load(name)


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
    process), ``workers`` (the same graph in memory, asked through a query worker
    process as the service asks it, without HTTP), ``rdflib`` (the store's Turtle export in an rdflib ``Graph``; a few runs,
    it is slow), or ``http``/``http-cached`` (``target`` a SPARQL endpoint URL, asked by
    GET; ``http`` makes each text unique with a comment so no cache can answer it).
    """
    if engine == "rdflib":
        from rdflib import Graph

        from graph.rdf.export import export
        from graph.stores.oxigraph import OxigraphStore

        buf = io.BytesIO()
        export(OxigraphStore(target, create=False), "turtle", buf)
        g = Graph()
        g.parse(data=buf.getvalue(), format="turtle")
        g.query("ASK {}")  # builds rdflib's SPARQL parser once, outside the timings

        def ask(text: str) -> int:
            return len(list(g.query(text)))
        runs, warmup = min(runs, 3), 0
    elif engine in ("disk", "memory"):
        from graph.stores.memory import MemoryStore
        from graph.stores.oxigraph import OxigraphStore

        store = OxigraphStore(target, create=False)
        st = MemoryStore(origin=store) if engine == "memory" else store

        def ask(text: str) -> int:
            return len(list(st.query(text)))
        warmup = 2
    elif engine == "workers":
        import tempfile as _tempfile

        from graph.sparql.execute import QueryJob
        from graph.sparql.workers import QueryWorkers, image_source
        from graph.stores.memory import MemoryStore
        from graph.stores.oxigraph import OxigraphStore

        mem = MemoryStore(origin=OxigraphStore(target, create=False))
        pool = QueryWorkers(workers=1, long_workers=1, timeout=60, spare=False)
        pool.use(image_source(mem, _tempfile.mkdtemp(), generation=1), generation=1)

        def ask(text: str) -> int:
            body, _, _ = pool.run_sync(QueryJob(text, accept=SPARQL_JSON))
            return len(json.loads(body)["results"]["bindings"])
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
    for engine in ("rdflib", "disk", "memory", "workers"):
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
    overhead = worker_overhead(table)
    if overhead:
        lines.append("the query workers add, p50 per query: " + ", ".join(
            f"{QUERY_TITLES.get(n, n)} {_ms(v)} ms" for n, v in overhead.items()) +
            " (checks, the trip to the worker process and back, the answer written there)")
    return "\n".join(lines)


def worker_overhead(table: dict) -> dict[str, float]:
    """What running in a query worker adds to a query, p50 in ms: the worker's figure
    less the same engine's in-process one.

    >>> worker_overhead({"engines": {"memory": {"q": {"p50_ms": 3.0}}, "workers": {"q": {"p50_ms": 3.5}}}})
    {'q': 0.5}
    """
    eng = table.get("engines", {})
    mem, work = eng.get("memory", {}), eng.get("workers", {})
    return {n: round(work[n]["p50_ms"] - mem[n]["p50_ms"], 3) for n in work
            if isinstance(work.get(n), dict) and isinstance(mem.get(n), dict)}


def _ms(v: float) -> str:
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"
