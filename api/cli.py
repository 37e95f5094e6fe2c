"""The ``kg`` command: build, export, query, stats (and the service and mirror commands
that later parts of the product add).

Every failure is one line on stderr naming the problem, and a non-zero exit.
"""

from __future__ import annotations

import argparse
import importlib.util
import csv
import json
import sys
from importlib import import_module
from pathlib import Path

EXIT_USAGE, EXIT_INPUT, EXIT_STORE = 2, 3, 4


def _store(args, *, create: bool = False):
    from graph.settings import Settings
    from graph.store import open_store

    location = args.store or Settings().store
    return open_store(location, create=create)


def cmd_build(args) -> int:
    from graph.dataset import build

    for s in args.source or []:
        if not Path(s).is_file():
            return _fail(f"no such report file: {s}", EXIT_INPUT)
    store = _store(args, create=True)
    result = build(args.source, store)
    print(f"built {', '.join(result.reports)}: {result.events} chronicle events, "
          f"{result.triples} statements in {store.location}")
    print("  " + ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()))
    return 0


def cmd_export(args) -> int:
    from graph.dataset import FORMATS, export

    if args.format not in FORMATS:
        return _fail(f"unknown format {args.format!r}; choose one of: {', '.join(sorted(FORMATS))}", EXIT_USAGE)
    store = _store(args)
    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "wb") as fh:
        n = export(store, args.format, fh)
    tmp.replace(out)
    print(f"wrote {n} statements to {out} ({args.format})")
    return 0


def cmd_query(args) -> int:
    from graph.query import QueryError, run_query

    text = args.sparql
    if text == "-":
        text = sys.stdin.read()
    elif text.startswith("@"):
        text = Path(text[1:]).read_text(encoding="utf-8")
    store = _store(args)
    try:
        result = run_query(store, text)
    except QueryError as exc:
        return _fail(str(exc), EXIT_USAGE)
    _print_result(result, args.format)
    return 0


def _print_result(result, fmt: str) -> None:
    if result.kind == "boolean":
        print(json.dumps({"boolean": result.boolean}) if fmt == "json" else str(result.boolean).lower())
        return
    if result.kind == "graph":
        sys.stdout.write(result.turtle)
        return
    if fmt == "json":
        print(json.dumps({"head": {"vars": result.variables}, "rows": result.rows}, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(result.variables)
        for row in result.rows:
            w.writerow([row.get(v, "") for v in result.variables])
    else:
        widths = [max([len(v)] + [len(str(r.get(v, ""))) for r in result.rows[:200]]) for v in result.variables]
        widths = [min(w, 60) for w in widths]
        print("  ".join(v.ljust(w) for v, w in zip(result.variables, widths)))
        print("  ".join("-" * w for w in widths))
        for r in result.rows:
            print("  ".join(str(r.get(v, ""))[:60].ljust(w) for v, w in zip(result.variables, widths)))
        print(f"({len(result.rows)} rows)")


def cmd_stats(args) -> int:
    from graph.query import stats

    s = stats(_store(args))
    if args.format == "json":
        print(json.dumps(s, ensure_ascii=False, indent=1))
    else:
        for k, v in s.items():
            print(f"{k:24} {v}")
    return 0


def _fail(message: str, code: int) -> int:
    print(f"kg: error: {message}", file=sys.stderr)
    return code


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="China–Russia Dialogue knowledge graph")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the graph from reports (default: the bundled 2021 report)")
    b.add_argument("--source", action="append", metavar="FILE", help="a report text file (repeatable)")
    b.add_argument("--store", metavar="DIR", help="store directory (default: $KG_STORE or ./data/store)")
    b.set_defaults(func=cmd_build)

    e = sub.add_parser("export", help="write the whole graph to a file")
    e.add_argument("--store", metavar="DIR")
    e.add_argument("--format", required=True, help="turtle, ntriples, nquads, trig or jsonld")
    e.add_argument("--out", required=True, metavar="FILE")
    e.set_defaults(func=cmd_export)

    q = sub.add_parser("query", help="run a SPARQL query (text, @file or - for stdin)")
    q.add_argument("sparql")
    q.add_argument("--store", metavar="DIR")
    q.add_argument("--format", choices=["table", "json", "csv"], default="table")
    q.set_defaults(func=cmd_query)

    s = sub.add_parser("stats", help="counts of what the graph holds")
    s.add_argument("--store", metavar="DIR")
    s.add_argument("--format", choices=["table", "json"], default="table")
    s.set_defaults(func=cmd_stats)
    for module in COMMAND_MODULES:
        import_module(module).register(sub)
    return p


# Further commands live in their own modules, each with ``register(subparsers)``.
COMMAND_MODULES: tuple[str, ...] = tuple(
    m for m in ("api.cli_serve", "api.cli_mirror", "api.cli_viz", "api.cli_bench")
    if importlib.util.find_spec(m) is not None
)


def main(argv: list[str] | None = None) -> int:
    from graph.store import StoreError
    from loaders.errors import LoaderError
    from ontology.reference import ReferenceDataError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (LoaderError, ReferenceDataError) as exc:
        return _fail(str(exc), EXIT_INPUT)
    except StoreError as exc:
        return _fail(str(exc), EXIT_STORE)
    except FileNotFoundError as exc:
        return _fail(f"no such file: {exc.filename}", EXIT_INPUT)
    except OSError as exc:
        return _fail(f"{exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}", EXIT_STORE)


if __name__ == "__main__":
    sys.exit(main())
