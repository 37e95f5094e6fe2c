"""``kg query``: a SPARQL query on the store, printed as a table, JSON or CSV."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from .common import EXIT_USAGE, fail, store_of


def register(subparsers) -> None:
    q = subparsers.add_parser("query", help="run a SPARQL query (text, @file or - for stdin)")
    q.add_argument("sparql")
    q.add_argument("--store", metavar="DIR")
    q.add_argument("--format", choices=["table", "json", "csv"], default="table")
    q.set_defaults(func=cmd_query)


def cmd_query(args) -> int:
    from graph.sparql.named import render
    from graph.sparql.run import QueryError, run_query

    text = args.sparql
    if text == "-":
        text = sys.stdin.read()
    elif text.startswith("@"):
        text = Path(text[1:]).read_text(encoding="utf-8")
    store = store_of(args)
    try:
        result = run_query(store, render(text))
    except QueryError as exc:
        return fail(str(exc), EXIT_USAGE)
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
