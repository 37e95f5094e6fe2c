"""``kg bench``: the benchmark tables (build and scale, query, serve, mirror) and the targets."""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

SECTIONS = ("build", "query", "serve", "mirror")


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
    from graph import bench

    from .cli import EXIT_STORE, EXIT_USAGE, _fail

    sections = [s for s in SECTIONS if s in (args.only or SECTIONS)]
    try:
        scales = [int(x) for x in args.scales.split(",") if x.strip()]
    except ValueError:
        return _fail(f"--scales takes whole numbers separated by commas, not {args.scales!r}", EXIT_USAGE)
    if "build" in sections and (not scales or min(scales) < 1):
        return _fail(f"--scales needs at least one size of 1 or more, not {args.scales!r}", EXIT_USAGE)
    if args.seconds <= 0 or args.concurrency < 1:
        return _fail("--seconds must be positive and --concurrency at least 1", EXIT_USAGE)
    if args.store:
        from graph.store import MissingStoreError, OxigraphStore

        if not OxigraphStore(args.store, create=True).exists():
            return _fail(str(MissingStoreError(args.store)), EXIT_STORE)
    show = (lambda *a: None) if args.json else _print
    show(machine())
    figures: dict = {"machine": machine()}
    failed = []

    def section(name: str, title: str, measure, fmt) -> None:
        try:
            figures[name] = measure()
        except (RuntimeError, OSError) as exc:
            failed.append(name)
            figures[name] = {"failed": str(exc)}
            show("\n" + title, f"failed: {exc}")
            return
        show("\n" + title, fmt(figures[name]))

    if "build" in sections:
        section("build", "build (report → store + Turtle export), seconds per stage",
                lambda: bench.build_table(scales), bench.format_build)
    if any(s in sections for s in ("query", "serve", "mirror")):
        with _store(args.store) as store:
            if "query" in sections:
                section("query", "query, ms: p50 / p99 (HTTP: GET with the query in the URL; uncached unless said)",
                        lambda: bench.query_table(store), bench.format_query)
            if "serve" in sections:
                section("serve", f"serve: kg serve under load from another process on loopback "
                                 f"({args.seconds:g} s each)",
                        lambda: bench.serve_table(store, seconds=args.seconds, concurrency=args.concurrency),
                        bench.format_serve)
            if "mirror" in sections:
                section("mirror", "mirror: Neo4j mirror over Bolt, against FalkorDB started here",
                        lambda: bench.mirror_table(store), bench.format_mirror)
    figures["targets"] = bench.targets(figures)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        show("\ntargets", bench.format_targets(figures["targets"]))
    if failed:
        return _fail(f"{', '.join(failed)} could not be measured (see above)", 1)
    return 0


def _print(*parts: str) -> None:
    print("\n".join(parts))
    sys.stdout.flush()


@contextmanager
def _store(location: str | None):
    if location:
        yield location
        return
    from graph.dataset import build
    from graph.store import OxigraphStore

    with tempfile.TemporaryDirectory() as d:
        store = Path(d) / "store"
        build(None, OxigraphStore(store))
        yield str(store)


def machine() -> str:
    """One line naming the machine and the versions that decide the figures."""
    cpu = ""
    try:
        cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                    if ln.startswith("model name")), "")
    except OSError:
        pass
    try:
        mem = f", {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        mem = ""
    versions = []
    for dist in ("pyoxigraph", "rdflib", "fastapi", "uvicorn", "httptools", "uvloop"):
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            pass
    return (f"machine: {platform.machine()}{', ' + cpu if cpu else ''}, {os.cpu_count()} cores{mem}; "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}; " + ", ".join(versions))
