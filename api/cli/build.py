"""``kg build``: the graph from reports, into a new generation of the store."""

from __future__ import annotations

from pathlib import Path

from .common import EXIT_INPUT, fail, store_of


def register(subparsers) -> None:
    b = subparsers.add_parser("build", help="build the graph from reports (default: the bundled 2021 report)")
    b.add_argument("--source", action="append", metavar="FILE", help="a report text file (repeatable)")
    b.add_argument("--store", metavar="DIR", help="store directory (default: $KG_STORE or ./data/store)")
    b.set_defaults(func=cmd_build)


def cmd_build(args) -> int:
    from graph.build import build

    for s in args.source or []:
        if not Path(s).is_file():
            return fail(f"no such report file: {s}", EXIT_INPUT)
    store = store_of(args, create=True)
    result = build(args.source, store)
    print(f"built {', '.join(result.reports)}: {result.events} chronicle events, "
          f"{result.triples} statements in {store.location}")
    print("  " + ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()))
    return 0
