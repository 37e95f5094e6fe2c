"""``kg bench``: the benchmark tables (build and scale, query, serve, mirror) and the targets."""

from __future__ import annotations

from benchmarks.report import SECTIONS

from .common import EXIT_STORE, EXIT_USAGE, fail


def register(sub) -> None:
    b = sub.add_parser("bench", help="measure build, query, serve and mirror speed and print the tables")
    b.add_argument("--scales", default="1,10,100",
                   help="corpus sizes, as multiples of the chronicle (default 1,10,100)")
    b.add_argument("--only", action="append", choices=SECTIONS, metavar="{" + ",".join(SECTIONS) + "}",
                   help="run only this part; repeat for several (default: all)")
    b.add_argument("--store", metavar="DIR", help="measure query, serve and mirror on this store "
                                                  "(default: a fresh build of the bundled report)")
    b.add_argument("--seconds", type=float, default=5.0, help="seconds of load on each endpoint (default 5)")
    b.add_argument("--concurrency", type=int, default=8, help="connections loading the service (default 8)")
    b.add_argument("--json", action="store_true", help="print the figures as JSON")
    b.set_defaults(func=cmd_bench)


def cmd_bench(args) -> int:
    from benchmarks.report import run

    sections = [s for s in SECTIONS if s in (args.only or SECTIONS)]
    try:
        scales = [int(x) for x in args.scales.split(",") if x.strip()]
    except ValueError:
        return fail(f"--scales takes whole numbers separated by commas, not {args.scales!r}", EXIT_USAGE)
    if "build" in sections and (not scales or min(scales) < 1):
        return fail(f"--scales needs at least one size of 1 or more, not {args.scales!r}", EXIT_USAGE)
    if args.seconds <= 0 or args.concurrency < 1:
        return fail("--seconds must be positive and --concurrency at least 1", EXIT_USAGE)
    if args.store:
        from graph.stores import MissingStoreError
        from graph.stores.oxigraph import OxigraphStore

        if not OxigraphStore(args.store, create=True).exists():
            return fail(str(MissingStoreError(args.store)), EXIT_STORE)
    failed = run(sections, scales, store=args.store, seconds=args.seconds, concurrency=args.concurrency,
                 as_json=args.json)
    if failed:
        return fail(f"{', '.join(failed)} could not be measured (see above)", 1)
    return 0
