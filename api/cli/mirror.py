"""``kg mirror``: bring the Neo4j mirror up to date with the store, then check that
the two agree (counts per node label and relationship type, who-met-whom pairs).

The server is ``--neo4j-uri``, else ``NEO4J_URI``, else the one ``make neo4j`` starts
(``bolt://127.0.0.1:$NEO4J_BOLT_PORT``, 7687 by default); the password ``--password``,
else ``NEO4J_PASSWORD``.

Exit codes beyond the common ones: 5 when the server cannot be reached, refuses the
login or fails during the sync; 6 when the parity check finds a difference.
"""

from __future__ import annotations

import sys

from .common import EXIT_MIRROR, EXIT_PARITY, EXIT_USAGE, fail, store_of


def register(subparsers) -> None:
    m = subparsers.add_parser("mirror", help="mirror the graph into Neo4j over Bolt, then check it equals the store")
    m.add_argument("--store", metavar="DIR|URL", help="the store (default: $KG_STORE or ./data/store)")
    m.add_argument("--neo4j-uri", metavar="URI", help="bolt://HOST:7687 or neo4j://HOST:7687 (default: $NEO4J_URI, "
                                                     "else bolt://127.0.0.1:$NEO4J_BOLT_PORT as `make neo4j` starts it)")
    m.add_argument("--user", help="user name (default: $NEO4J_USER, else neo4j)")
    m.add_argument("--password", help="password (default: $NEO4J_PASSWORD; with none, no credentials are sent)")
    m.add_argument("--database", help="database (default: $NEO4J_DATABASE, else the server's default)")
    m.add_argument("--check", action="store_true", help="only compare the mirror with the store; write nothing")
    m.add_argument("--full", action="store_true",
                   help="compare every node and relationship property by property, even when the mirror holds "
                        "this store generation already")
    m.add_argument("--batch-size", type=int, default=1000, metavar="N", help="rows per statement (default: 1000)")
    m.add_argument("--tx-rows", type=int, default=10_000, metavar="N",
                   help="rows per transaction, in several statements (default: 10000)")
    m.add_argument("--tx-timeout", type=float, metavar="SECONDS",
                   help="how long the server lets one transaction run (default: $KG_MIRROR_TX_TIMEOUT, else 60)")
    m.add_argument("--retry", type=float, default=10.0, metavar="SECONDS",
                   help="how long to retry a transaction while the server is away (default: 10)")
    m.set_defaults(func=cmd_mirror)


def cmd_mirror(args) -> int:
    from graph.neo4j.bolt import BoltError, BoltUnavailable, connect
    from graph.neo4j.mirror import MirrorError, check_parity, sync

    from ..settings import Settings

    settings = Settings()
    uri = args.neo4j_uri or settings.mirror_uri()
    for name in ("batch_size", "tx_rows"):
        if getattr(args, name) < 1:
            return fail(f"--{name.replace('_', '-')} must be at least 1, not {getattr(args, name)}", EXIT_USAGE)
    tx_timeout = args.tx_timeout if args.tx_timeout is not None else settings.mirror_tx_timeout
    if tx_timeout <= 0:
        return fail(f"--tx-timeout must be more than 0 seconds, not {tx_timeout:g}", EXIT_USAGE)
    store = store_of(args)
    len(store)  # a missing store is reported before anything is written
    try:
        server = connect(uri, user=args.user if args.user is not None else settings.neo4j_user,
                         password=args.password if args.password is not None else settings.neo4j_password,
                         database=args.database if args.database is not None else settings.neo4j_database,
                         retry_seconds=max(args.retry, 0.0))
    except BoltUnavailable as exc:
        hint = "" if args.neo4j_uri or settings.neo4j_uri else " (start one with `make neo4j`, or pass --neo4j-uri)"
        return fail(f"{exc}{hint}", EXIT_MIRROR)
    except BoltError as exc:
        return fail(str(exc), EXIT_MIRROR)
    try:
        if not args.check:
            report = sync(store, server, batch_size=args.batch_size, tx_rows=args.tx_rows, tx_timeout=tx_timeout,
                          full=args.full)
            print(f"mirror: {server.name} at {uri}: {report.summary()}")
        parity = check_parity(store, server)
    except MirrorError as exc:
        return fail(str(exc), EXIT_MIRROR)
    finally:
        server.close()
    print("parity with the store:")
    for line in parity.lines():
        print("  " + line)
    sys.stdout.flush()
    if not parity.ok:
        return fail("the mirror differs from the store (see the table above); run `kg mirror` to repair it",
                    EXIT_PARITY)
    print(f"parity: ok ({sum(parity.mirror.nodes.values())} nodes, {sum(parity.mirror.rels.values())} "
          f"relationships, {len(parity.mirror.pairs)} who-met-whom pairs)")
    return 0
