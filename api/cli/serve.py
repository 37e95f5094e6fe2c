"""``kg serve``: the query service on the store, built first from the bundled report when
there is no store yet.

A store directory that holds something but no live graph (its generation was removed
or damaged) is never built over: it may hold reports other than the bundled one. The
command says so and stops.
"""

from __future__ import annotations

import argparse
import errno
import socket
import sys

from .common import EXIT_STORE, EXIT_USAGE, fail


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range (1–65535)")
    return port


def _free(host: str, port: int) -> str | None:
    """Why the address cannot be listened on, or None when it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"cannot listen on {host}: {exc.strerror}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is in use by another program; choose another with --port"
            return f"cannot listen on {host}:{port}: {exc.strerror}"
    return None


def cmd_serve(args) -> int:
    import uvicorn

    from graph.build import build
    from graph.stores import open_store

    from ..app import create_app
    from ..settings import Settings

    overrides = {"store": args.store} if args.store else {}
    settings = Settings(**overrides)
    problem = _free(args.host, args.port)
    if problem:
        return fail(problem, EXIT_USAGE)
    store = open_store(settings.store, create=True, **settings.store_options())
    if not store.exists():
        if not getattr(store, "is_blank", lambda: True)():
            return fail(f"the store at {settings.store} has no live graph (its current generation is missing) but is "
                        "not empty; it was left as it is: rebuild it with `kg build --store "
                        f"{settings.store} --source …`, or remove the directory", EXIT_STORE)
        print(f"kg serve: no graph at {settings.store} yet; building it from the bundled report …", file=sys.stderr)
        result = build(None, store)
        print(f"kg serve: built {result.events} chronicle events, {result.triples} statements", file=sys.stderr)
    len(store)  # a damaged store is reported here, in one line, before the service starts
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
    s.add_argument("--port", type=_port, default=8000, help="port, 1–65535 (default: 8000)")
    s.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    s.add_argument("--access-log", action="store_true", help="log every request")
    s.set_defaults(func=cmd_serve)
