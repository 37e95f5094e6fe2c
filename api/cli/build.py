"""``kg build``: the graph from reports, into a new generation of the store."""

from __future__ import annotations

from pathlib import Path

from .common import EXIT_INPUT, fail, store_of


def register(subparsers) -> None:
    b = subparsers.add_parser("build", help="build the graph from reports (default: the bundled 2021 report)")
    b.add_argument("--source", action="append", metavar="FILE", help="a report text file (repeatable)")
    b.add_argument("--store", metavar="DIR", help="store directory (default: $KG_STORE or ./data/store)")
    b.add_argument("--names", choices=["data", "patterns", "ner"], default="patterns",
                   help="how names the reference data does not know are found: not at all, by patterns (default), "
                        "or by patterns and the NER model (the ner extra)")
    b.add_argument("--force", action="store_true",
                   help="build even from a report that looks cut short, or one that would lose more than "
                        "$KG_BUILD_MAX_LOSS (10%%) of its graph in the store")
    b.set_defaults(func=cmd_build)


def cmd_build(args) -> int:
    from graph.build import build

    from ..settings import Settings

    for s in args.source or []:
        if not Path(s).is_file():
            return fail(f"no such report file: {s}", EXIT_INPUT)
    store = store_of(args, create=True)
    result = build(args.source, store, names=args.names, force=args.force,
                   max_loss=Settings().build_max_loss)
    print(f"built {', '.join(result.reports)}: {result.events} chronicle events, "
          f"{result.triples} statements in {store.location}")
    if result.dropped:
        print(f"  no longer in the store (not among the sources of this build): {', '.join(result.dropped)}")
    print("  " + ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()))
    return 0
