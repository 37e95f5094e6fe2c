"""``kg query``: a SPARQL query on the store, printed as a table, JSON or CSV.

The query goes through the same checks as one sent to ``/sparql`` (no ``SERVICE``,
nesting within a limit, ``FROM`` honoured) and runs in a worker process without
network, with the same time and memory limits: a query that crashes the engine or
runs out of a limit ends the command with one line, not the process.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from .common import EXIT_LIMIT, EXIT_STORE, EXIT_USAGE, fail, store_of

_ACCEPT = "application/sparql-results+json, text/turtle"


def register(subparsers) -> None:
    q = subparsers.add_parser("query", help="run a SPARQL query (text, @file or - for stdin)")
    q.add_argument("sparql")
    q.add_argument("--store", metavar="DIR")
    q.add_argument("--format", choices=["table", "json", "csv"], default="table")
    q.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="stop the query after this long (default: $KG_QUERY_TIMEOUT, else 10)")
    q.set_defaults(func=cmd_query)


def cmd_query(args) -> int:
    from graph.sparql import errors
    from graph.sparql.execute import QueryJob
    from graph.sparql.named import render
    from graph.sparql.workers import QueryWorkers, location_source
    from graph.stores import backend_for

    from ..settings import Settings

    text = args.sparql
    if text == "-":
        text = sys.stdin.read()
    elif text.startswith("@"):
        text = Path(text[1:]).read_text(encoding="utf-8")
    settings = Settings()
    timeout = args.timeout if args.timeout is not None else settings.query_timeout
    if timeout <= 0:
        return fail(f"--timeout must be positive, not {timeout:g}", EXIT_USAGE)
    store = store_of(args)
    len(store)  # a missing or damaged store is reported before a worker starts
    location = store.location
    pool = QueryWorkers(workers=1, long_workers=0, long_after=float("inf"), timeout=timeout,
                        memory_mb=settings.query_memory, spare=False)
    try:
        pool.use(location_source(location, settings.store_options(), sandbox=backend_for(location) != "sparql"))
        job = QueryJob(render(text), accept=_ACCEPT, result_limit=sys.maxsize, max_depth=settings.query_depth)
        body, media, _ = pool.run_sync(job)
    except errors.StoreUnavailable as exc:
        return fail(str(exc), EXIT_STORE)
    except (errors.QueryTimeout, errors.OverMemory) as exc:
        return fail(str(exc), EXIT_LIMIT)
    except errors.SparqlRequestError as exc:
        message = str(exc)
        if isinstance(exc, errors.UpdateForbidden):
            message = "kg query runs queries, and this text is a SPARQL update"
        return fail(message, EXIT_USAGE)
    finally:
        pool.close()
    _print_answer(body, media, args.format)
    return 0


def _text(term: dict) -> str:
    return term.get("value", "")


def _print_answer(body: bytes, media: str, fmt: str) -> None:
    if media != "application/sparql-results+json":
        sys.stdout.write(body.decode())
        return
    data = json.loads(body)
    if "boolean" in data:
        print(json.dumps({"boolean": data["boolean"]}) if fmt == "json" else str(data["boolean"]).lower())
        return
    variables = data["head"]["vars"]
    rows = [{v: _text(b[v]) for v in variables if v in b} for b in data["results"]["bindings"]]
    if fmt == "json":
        print(json.dumps({"head": {"vars": variables}, "rows": rows}, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(variables)
        for row in rows:
            w.writerow([row.get(v, "") for v in variables])
    else:
        widths = [max([len(v)] + [len(str(r.get(v, ""))) for r in rows[:200]]) for v in variables]
        widths = [min(w, 60) for w in widths]
        print("  ".join(v.ljust(w) for v, w in zip(variables, widths)))
        print("  ".join("-" * w for w in widths))
        for r in rows:
            print("  ".join(str(r.get(v, ""))[:60].ljust(w) for v, w in zip(variables, widths)))
        print(f"({len(rows)} rows)")
