"""``kg serve``: the query service on the store, built first from the bundled report when
there is no graph yet."""

from __future__ import annotations

import sys


def cmd_serve(args) -> int:
    import uvicorn

    from graph.build import build
    from graph.stores import open_store

    from ..app import create_app
    from ..settings import Settings

    overrides = {"store": args.store} if args.store else {}
    settings = Settings(**overrides)
    store = open_store(settings.store, create=True, **settings.store_options())
    if not store.exists():
        print(f"kg serve: no graph at {settings.store} yet; building it from the bundled report …", file=sys.stderr)
        result = build(None, store)
        print(f"kg serve: built {result.events} chronicle events, {result.triples} statements", file=sys.stderr)
    app = create_app(settings, store=store)
    print(f"kg serve: http://{args.host}:{args.port}/sparql (SPARQL), http://{args.host}:{args.port}/docs (API)",
          file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=args.access_log)
    return 0


def register(subparsers) -> None:
    s = subparsers.add_parser("serve", help="run the SPARQL endpoint and the JSON API over HTTP")
    s.add_argument("--store", metavar="DIR|URL", help="store directory or SPARQL server URL "
                                                      "(default: $KG_STORE or ./data/store)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    s.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    s.add_argument("--access-log", action="store_true", help="log every request")
    s.set_defaults(func=cmd_serve)
