"""Benchmarks: how long a build takes, how much memory it needs, and how both grow.

Each measurement runs in a fresh process so that peak memory is that of the job alone.
Synthetic corpora are made from the report's own chronicle: the entries repeated with
their dates moved on by whole years and the people's names permuted among the people
the reference data knows, so that size grows but the language stays the report's.
"""

from __future__ import annotations

import io
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loaders.chronicle import parse_date_head
from loaders.lines import split_lines
from loaders.pipeline import BUNDLED_REPORT, Pipeline
from ontology.reference import ReferenceData


def synthetic_report(text: str, factor: int, ref: ReferenceData, seed: int = 2021) -> str:
    """The report with its chronicle repeated ``factor`` times (copy k moved k years on,
    names permuted among known people).

    >>> text = BUNDLED_REPORT.read_text(encoding="utf-8")
    >>> big = synthetic_report(text, 2, ReferenceData.load())
    >>> big.count("大事记") - text.count("大事记")
    0
    """
    lines = split_lines(text)
    start = next(i for i, ln in enumerate(lines) if "大事记" in ln.text and "\t" not in ln.text)
    head = "\n".join(ln.text for ln in lines[:start + 1])
    body = [ln for ln in lines[start + 1:]]
    forms = sorted({p.zh for p in ref.persons.values() if len(p.zh) >= 2}, key=len, reverse=True)
    name_re = re.compile("|".join(map(re.escape, forms)))
    copies = [head]
    for k in range(factor):
        rng = random.Random(seed + k)
        shuffled = forms[:]
        if k:
            rng.shuffle(shuffled)
        swap = dict(zip(forms, shuffled))
        out = []
        for i, ln in enumerate(body):
            t = ln.text
            if k and parse_date_head(ln, body[i + 1] if i + 1 < len(body) else None) is not None:
                t = re.sub(r"(\d{4})(?=\s*年)", lambda m: str(int(m.group(1)) + k), t, count=2)
            if k:
                t = name_re.sub(lambda m: swap[m.group(0)], t)
            out.append(t)
        copies.append("\n".join(out))
    return "\n".join(copies) + "\n"


def measure_build(path: str) -> dict:
    """Build one report file into a fresh store and export it, timing each stage."""
    import pyoxigraph as ox

    from .dataset import dataset, export
    from .store import OxigraphStore, to_quads

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


def run_isolated(kind: str, arg: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "graph.bench", kind, arg], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


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
            work = sum(v for k, v in r["seconds"].items() if k != "setup")
            r["ms_per_entry"] = 1000 * work / r["entries"]
            r["kb_per_entry"] = 1024 * r["peak_mb"] / r["entries"]
            rows.append(r)
    return rows


def format_build(rows: list[dict]) -> str:
    stages = ["setup", "parse", "extract", "rdf", "store", "export"]
    head = f"{'scale':>5} {'entries':>8} {'statements':>11} " + " ".join(f"{s:>8}" for s in stages) + \
        f" {'total s':>8} {'peak MB':>8} {'ms/entry':>9} {'vs 1x':>6}"
    lines = [head, "-" * len(head)]
    base = rows[0]["ms_per_entry"] if rows else 1.0
    for r in rows:
        sec = r["seconds"]
        lines.append(f"{r['scale']:>4}x {r['entries']:>8} {r['statements']:>11} "
                     + " ".join(f"{sec.get(s, 0):>8.2f}" for s in stages)
                     + f" {sum(sec.values()):>8.2f} {r['peak_mb']:>8.0f} {r['ms_per_entry']:>9.3f}"
                     + f" {r['ms_per_entry'] / base:>6.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1] == "build":
        print(json.dumps(measure_build(sys.argv[2])))
