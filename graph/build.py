"""The one place a build happens: report files through the loaders, to RDF, into a store.

    >>> import tempfile
    >>> from graph.stores import open_store
    >>> result = build(None, open_store(tempfile.mkdtemp(), create=True))
    >>> result.reports, result.events
    (['crd-2021-zh'], 644)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from loaders.pipeline import BUNDLED_REPORT, Pipeline
from ontology.reference import ReferenceData

from .rdf.mapping import dataset
from .stores import GraphStore

__all__ = ["build", "BuildResult"]


@dataclass
class BuildResult:
    reports: list[str]
    events: int
    triples: int
    timings: dict[str, float] = field(default_factory=dict)


def build(sources: Sequence[str | Path] | None, store: GraphStore, *, ref: ReferenceData | None = None) -> BuildResult:
    """Load every source, map it to RDF and replace the store's content in one step."""
    t = {}
    t0 = time.perf_counter()
    ref = ref or ReferenceData.load()
    pipe = Pipeline.default(ref)
    t["setup"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    reports = pipe.run_all(list(sources) if sources else [BUNDLED_REPORT])
    t["parse+extract"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    count = store.replace_all(dataset(reports, ref))
    t["rdf+store"] = time.perf_counter() - t0
    return BuildResult([r.info.id for r in reports], sum(len(r.chronicle) for r in reports), count, t)
