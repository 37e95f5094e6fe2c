"""Service figures: ``kg serve`` under load from another process on loopback, and the
time from start to first answer."""

from __future__ import annotations

from urllib.parse import urlencode

from .http import SPARQL_JSON, HttpClient, run_load
from .queries import query_text
from .servers import kg_service

def serve_table(store: str, *, seconds: float = 5.0, concurrency: int = 8) -> dict:
    """``kg serve`` in its own process, loaded from another: ``/persons/{id}/met`` for
    every person who met someone, in turn, and ``/sparql`` with the who-met-whom query,
    the same text (answered from the cache) and each text unique (run every time). Also
    the seconds from starting ``kg serve`` to its first answer (the busiest person's
    meetings)."""
    from collections import Counter

    from graph.sparql.named import select
    from graph.stores.oxigraph import OxigraphStore

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
