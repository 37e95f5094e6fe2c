"""Build figures: seconds per stage (setup, parse, extract, RDF, store, export), peak
memory and cost per entry, at several sizes of corpus."""

from __future__ import annotations

import io
import resource
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from graph.rdf.export import export
from graph.rdf.mapping import dataset
from graph.stores import to_quads
from graph.stores.oxigraph import OxigraphStore
from loaders.pipeline import BUNDLED_REPORT, Pipeline
from ontology.reference import ReferenceData

from .corpus import synthetic_report
from .isolated import run_isolated

__all__ = ["measure_build", "measure_build_peak", "build_table", "format_build"]


def measure_build(path: str) -> dict:
    """Build one report file into a fresh store and export it, timing each stage."""
    t: dict[str, float] = {}
    t0 = time.perf_counter()
    ref = ReferenceData.load()
    pipe = Pipeline.default(ref)
    t["setup"] = time.perf_counter() - t0
    stages: dict[str, float] = {}
    report = pipe.run(path, timings=stages)
    t["parse"] = stages.pop("structure")
    t["extract"] = sum(stages.values())
    t0 = time.perf_counter()
    quads = list(to_quads(dataset([report], ref)))
    t["rdf"] = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as d:
        store = OxigraphStore(d)
        t0 = time.perf_counter()
        root = Path(d) / "gen-bench"
        st = ox.Store(str(root))
        st.bulk_extend(quads)
        st.flush()
        t["store"] = time.perf_counter() - t0
        del st
        (Path(d) / "current").symlink_to(root.name)
        t0 = time.perf_counter()
        n = export(store, "turtle", io.BytesIO())
        t["export"] = time.perf_counter() - t0
    return {"entries": len(report.chronicle), "statements": n, "seconds": t,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure_build_peak(path: str) -> dict:
    """``graph.build.build`` of one report file into a fresh store, as ``kg build``
    runs it (streaming, nothing held to time a stage apart): seconds and peak memory."""
    from graph.build import build

    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        result = build([path], OxigraphStore(Path(d) / "store"), force=True)
        seconds = time.perf_counter() - t0
    return {"entries": result.events, "statements": result.triples, "seconds": round(seconds, 2),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            # the forked helpers (loaders' second share, reference data): largest one, mostly pages shared
            "helper_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "input_mb": Path(path).stat().st_size / 2**20}


def build_table(scales: list[int]) -> list[dict]:
    """One row per scale: entries, statements, seconds per stage, peak memory, cost per entry."""
    rows = []
    ref = ReferenceData.load()
    text = BUNDLED_REPORT.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as d:
        for factor in scales:
            path = Path(d) / f"x{factor}.txt"
            path.write_text(text if factor == 1 else synthetic_report(text, factor, ref), encoding="utf-8")
            r = run_isolated("build", str(path))
            r["scale"] = factor
            r["build"] = run_isolated("build-peak", str(path))
            work = sum(v for k, v in r["seconds"].items() if k != "setup")
            r["ms_per_entry"] = 1000 * work / r["entries"]
            r["kb_per_entry"] = 1024 * r["peak_mb"] / r["entries"]
            rows.append(r)
    return rows


def format_build(rows: list[dict]) -> str:
    stages = ["setup", "parse", "extract", "rdf", "store", "export"]
    head = f"{'scale':>5} {'entries':>8} {'statements':>11} " + " ".join(f"{s:>8}" for s in stages) + \
        f" {'total s':>8} {'peak MB':>8} {'ms/entry':>9} {'vs 1x':>6} {'input MB':>9} {'kg build s':>11} " \
        f"{'kg build MB':>12} {'helper MB':>10}"
    lines = [head]
    base = rows[0]["ms_per_entry"] if rows else 1.0
    for r in rows:
        sec = r["seconds"]
        lines.append(f"{r['scale']:>4}x {r['entries']:>8} {r['statements']:>11} "
                     + " ".join(f"{sec.get(s, 0):>8.2f}" for s in stages)
                     + f" {sum(sec.values()):>8.2f} {r['peak_mb']:>8.0f} {r['ms_per_entry']:>9.3f}"
                     + f" {r['ms_per_entry'] / base:>6.2f}"
                     + (f" {r['build']['input_mb']:>9.1f} {r['build']['seconds']:>11.1f} {r['build']['peak_mb']:>12.0f}"
                        f" {r['build'].get('helper_peak_mb', 0):>10.0f}" if "build" in r else ""))
    return "\n".join(lines)
