"""``kg export``: the whole graph to one file."""

from __future__ import annotations

from pathlib import Path

from .common import EXIT_USAGE, fail, store_of


def register(subparsers) -> None:
    e = subparsers.add_parser("export", help="write the whole graph to a file")
    e.add_argument("--store", metavar="DIR")
    e.add_argument("--format", required=True, help="turtle, ntriples, nquads, trig or jsonld")
    e.add_argument("--out", required=True, metavar="FILE")
    e.set_defaults(func=cmd_export)


def cmd_export(args) -> int:
    from graph.rdf.export import FORMATS, export

    if args.format not in FORMATS:
        return fail(f"unknown format {args.format!r}; choose one of: {', '.join(sorted(FORMATS))}", EXIT_USAGE)
    store = store_of(args)
    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "wb") as fh:
        n = export(store, args.format, fh)
    tmp.replace(out)
    print(f"wrote {n} statements to {out} ({args.format})")
    return 0
