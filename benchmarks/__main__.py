"""``python -m benchmarks KIND …``: one benchmark step in this process, its figures as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .build import measure_build
from .http import load
from .mirror import measure_mirror
from .queries import QUERIES, measure_queries


def _main(argv: list[str]) -> None:
    import argparse

    p = argparse.ArgumentParser(prog="python -m benchmarks", description="one benchmark step, as JSON")
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
