"""From report files to a stored dataset: run the loaders, map to RDF, replace the store.

    >>> from graph.dataset import FORMATS
    >>> sorted(FORMATS)
    ['jsonld', 'nquads', 'ntriples', 'trig', 'turtle']
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from loaders.pipeline import BUNDLED_REPORT, Pipeline
from loaders.records import Report
from ontology.reference import ReferenceData

from . import iris
from .build import ReportGraphBuilder, ontology_graph, reference_graph
from .store import GraphStore
from .vocab import PREFIXES


@dataclass
class BuildResult:
    reports: list[str]
    events: int
    triples: int
    timings: dict[str, float] = field(default_factory=dict)


def dataset(reports: Sequence[Report], ref: ReferenceData) -> Iterator[tuple[URIRef, Graph]]:
    """The named graphs of a build: ontology, reference data, one per report (streamed in parts)."""
    ids = [rep.info.id for rep in reports]
    for rid in ids:
        if ids.count(rid) > 1:
            raise ValueError(f"two sources are the same report {rid!r}")
    builder = ReportGraphBuilder(ref)
    yield iris.ONTOLOGY_GRAPH, ontology_graph()
    yield iris.REFERENCE_GRAPH, reference_graph(ref)
    for rep in reports:
        name = iris.report_graph(rep.info.id)
        for part in builder.parts(rep):
            yield name, part


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


FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "trig": (ox.RdfFormat.TRIG, True),
    "jsonld": (ox.RdfFormat.JSON_LD, False),
}


class UnknownFormatError(ValueError):
    def __init__(self, name: str):
        self.name = name
        super().__init__(f"unknown export format {name!r}; choose one of: {', '.join(sorted(FORMATS))}")


def export(store: GraphStore, fmt: str, output) -> int:
    """Write the whole graph: named graphs kept for quad formats, merged for triple formats
    (the ontology's axioms included either way). Returns the number of statements."""
    if fmt not in FORMATS:
        raise UnknownFormatError(fmt)
    rdf_format, quads = FORMATS[fmt]
    if quads:
        items = list(store.quads())
    else:
        seen = set()
        items = []
        for q in store.quads():
            t = q.triple
            if t not in seen:
                seen.add(t)
                items.append(t)
        items.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    if prefixes:
        ox.serialize(items, output, rdf_format, prefixes=prefixes)
    else:
        ox.serialize(items, output, rdf_format)
    return len(items)
