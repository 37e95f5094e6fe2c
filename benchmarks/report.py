"""The whole benchmark as one report: the tables of the parts asked for, the machine
they ran on, and the targets met or missed."""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

__all__ = ["SECTIONS", "run", "targets", "format_targets", "machine"]

SECTIONS = ("build", "query", "serve", "hostile", "mirror", "pages")


def run(sections: list[str], scales: list[int], *, store: str | None = None, seconds: float = 5.0,
        concurrency: int = 8, as_json: bool = False) -> list[str]:
    """Measure ``sections`` and print them (or, with ``as_json``, print all figures as
    JSON at the end); the sections that could not be measured."""
    from . import build, hostile, mirror, pages, queries, serve

    show = (lambda *a: None) if as_json else _print
    show(machine())
    figures: dict = {"machine": machine()}
    failed: list[str] = []

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
                lambda: build.build_table(scales), build.format_build)
    if any(s in sections for s in ("query", "serve", "hostile", "mirror", "pages")):
        with _built(store) as location:
            if "query" in sections:
                section("query", "query, ms: p50 / p99 (HTTP: GET with the query in the URL; uncached unless said)",
                        lambda: queries.query_table(location), queries.format_query)
            if "serve" in sections:
                section("serve", f"serve: kg serve under load from another process on loopback "
                                 f"({seconds:g} s each)",
                        lambda: serve.serve_table(location, seconds=seconds, concurrency=concurrency),
                        serve.format_serve)
            if "hostile" in sections:
                section("hostile", f"hostile: kg serve under 50 clients on loopback for {6 * seconds:g} s, 5 of them "
                                   "sending runaway queries without pause",
                        lambda: hostile.hostile_table(location, seconds=6 * seconds), hostile.format_hostile)
            if "pages" in sections:
                section("pages", "pages: server time of each page (sequential, loopback) and the network views "
                                 "in headless Chromium at 1280×800",
                        lambda: pages.pages_table(location), pages.format_pages)
            if "mirror" in sections:
                section("mirror", "mirror: kg mirror on Neo4j 5 (and FalkorDB), each server started here",
                        lambda: mirror.mirror_table(location), mirror.format_mirror)
    figures["targets"] = targets(figures)
    if as_json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        show("\ntargets", format_targets(figures["targets"]))
    return failed


def _print(*parts: str) -> None:
    print("\n".join(parts))
    sys.stdout.flush()


@contextmanager
def _built(location: str | None):
    if location:
        yield location
        return
    from graph.build import build
    from graph.stores.oxigraph import OxigraphStore

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


def targets(figures: dict) -> list[tuple[str, str, str, bool | None]]:
    """The issue's targets against the figures measured: (group, target, measured,
    met); met is None where the figure was not measured."""
    out: list[tuple[str, str, str, bool | None]] = []
    rows = figures.get("build")
    build = {r["scale"]: r for r in rows} if isinstance(rows, list) else {}
    if 1 in build:
        # The target is a build as `kg build` runs it (the staged run also exports Turtle).
        whole = build[1].get("build") or {"seconds": sum(build[1]["seconds"].values()),
                                          "peak_mb": build[1]["peak_mb"]}
        out.append(("build", "≤ 5 s", f"{whole['seconds']:.2f} s", whole["seconds"] <= 5))
        out.append(("build", "peak ≤ 500 MB", f"{whole['peak_mb']:.0f} MB", whole["peak_mb"] <= 500))
        big = max(build)
        if big > 1:
            ratio = build[big]["ms_per_entry"] / build[1]["ms_per_entry"]
            out.append(("build", "per entry at 100× ≤ 1.2× 1×", f"{ratio:.2f}× at {big}×",
                        ratio <= 1.2 if big >= 100 else None))
    query = figures.get("query")
    eng = query.get("engines", {}) if isinstance(query, dict) else {}
    wmw = "bench_who_met_whom"

    def p50(engine: str) -> float | None:
        r = eng.get(engine, {})
        return r[wmw]["p50_ms"] if wmw in r else None

    sp, cached, ox_server, rdf = p50("sparql"), p50("sparql-cached"), p50("oxigraph-server"), p50("rdflib")
    if sp is not None:
        out.append(("who-met-whom", "/sparql p50 ≤ 10 ms", f"{sp:.2f} ms", sp <= 10))
        if ox_server is not None:
            out.append(("who-met-whom", "≤ ½ Oxigraph server", f"{sp / ox_server:.2f}×", sp <= ox_server / 2))
        if rdf is not None:
            out.append(("who-met-whom", "≥ 50× rdflib", f"{rdf / sp:.0f}×", rdf / sp >= 50))
    if cached is not None:
        out.append(("who-met-whom", "from cache ≤ 2 ms", f"{cached:.2f} ms", cached <= 2))
    serve = figures.get("serve")
    if isinstance(serve, dict) and "rows" in serve:
        met = next((r for r in serve["rows"] if r["endpoint"].startswith("/persons")), None)
        if met:
            out.append(("service", "/persons/{id}/met ≥ 500 req/s", f"{met['rps']:.0f}", met["rps"] >= 500))
            out.append(("service", "p99 ≤ 50 ms", f"{met['p99_ms']:.0f} ms", met["p99_ms"] <= 50))
        out.append(("service", "start to first answer ≤ 3 s", f"{serve['first_answer_s']:.2f} s",
                    serve["first_answer_s"] <= 3))
    pages = figures.get("pages")
    if isinstance(pages, dict) and pages.get("rows"):
        worst = max(pages["rows"], key=lambda r: r["p50_ms"])
        out.append(("pages", "every page p50 ≤ 100 ms", f"{worst['p50_ms']:.1f} ms ({worst['page']})",
                    worst["p50_ms"] <= 100))
        if pages.get("browser"):
            slow = max(pages["browser"], key=lambda r: r["median_s"])
            out.append(("pages", "views fitted ≤ 1.5 s (median)", f"{slow['median_s']:.2f} s ({slow['view']})",
                        slow["median_s"] <= 1.5 and not any(r["outside"] for r in pages["browser"])))
    hostile = figures.get("hostile")
    if isinstance(hostile, dict) and "normal" in hostile:
        n = hostile["normal"]
        out.append(("hostile load", "normal p99 < 1 s", f"{n['p99_ms']:.0f} ms", n["p99_ms"] < 1000 and not n["failed"]))
        out.append(("hostile load", "memory under the cap", f"{hostile['rss_peak_mb']} of {hostile['memory_cap_mb']} MB",
                    hostile["rss_peak_mb"] <= hostile["memory_cap_mb"]))
        out.append(("hostile load", "CPU idle within the time limit", f"{hostile['seconds_to_idle']:.1f} s",
                    hostile["seconds_to_idle"] <= hostile["time_limit_s"]))

    from .mirror import mirror_targets
    out += mirror_targets(figures.get("mirror"))
    return out


def format_targets(rows: list[tuple[str, str, str, bool | None]]) -> str:
    """One line per group of targets: target, figure, whether it is met.

    >>> print(format_targets([("build", "≤ 5 s", "4.2 s", True), ("build", "at 100×", "0.7×", None),
    ...                       ("service", "≥ 500 req/s", "150", False)]))
    build: ≤ 5 s 4.2 s yes · at 100× 0.7× (not measured)
    service: ≥ 500 req/s 150 NO
    """
    groups: dict[str, list[str]] = {}
    for group, target, measured, ok in rows:
        mark = "(not measured)" if ok is None else "yes" if ok else "NO"
        groups.setdefault(group, []).append(f"{target} {measured} {mark}")
    return "\n".join(f"{g}: " + " · ".join(items) for g, items in groups.items()) or "(none measured in this run)"
