"""The one place a build happens: report files through the loaders, to RDF, into a store.

A build replaces the store's content with the reports it is given, in one step, after
two checks that keep a graph from being lost to a damaged source:

- each report is checked against itself (``loaders.completeness``): its chronicle
  ends a sentence;
- a report already in the store may not come back with more than ``max_loss`` (a
  share) fewer chronicle events or statements than it has there (``GraphLoss``).

``force=True`` skips both. Reports in the store that the build does not name are not
kept: a build holds exactly the reports it was given (``BuildResult.dropped`` names
those that left).

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
from itertools import chain
from pathlib import Path

import pyoxigraph as ox

from loaders.completeness import check_complete
from loaders.forked import ForkedCall
from loaders.pipeline import BUNDLED_REPORT, Pipeline
from ontology.reference import ReferenceData

from .rdf import iris
from .rdf.mapping import report_graphs, shared_graphs
from .stores import GraphStore
from .stores.base import to_quads

__all__ = ["build", "BuildResult", "GraphLoss", "report_sizes", "MAX_LOSS"]

#: The share of its events or statements a report's graph may lose in a rebuild.
MAX_LOSS = 0.10


class GraphLoss(ValueError):
    """A build would replace a report's graph with a much smaller one of the same report."""


@dataclass(frozen=True)
class ReportSize:
    events: int
    statements: int


@dataclass
class BuildResult:
    reports: list[str]
    events: int
    triples: int
    timings: dict[str, float] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)


def _report_id(graph: str) -> str | None:
    prefix = iris.GRAPH_BASE + "report/"
    return graph[len(prefix):] if graph.startswith(prefix) else None


def report_sizes(store: GraphStore) -> dict[str, ReportSize]:
    """Events and statements of each report in the store (empty for a store with no
    graph yet)."""
    if not store.exists():
        return {}
    statements = {str(s["g"].value): int(s["n"].value) for s in store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    events = {str(s["g"].value): int(s["n"].value) for s in store.query(
        "SELECT ?g (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { "
        "?e a <https://w3id.org/china-russia-dialogue/ontology#ChronicleEvent> } } GROUP BY ?g")}
    out = {}
    for graph, n in statements.items():
        rid = _report_id(graph)
        if rid is not None:
            out[rid] = ReportSize(events.get(graph, 0), n)
    return out


def _loss(before: int, after: int) -> float:
    return 0.0 if before <= 0 else max(0.0, (before - after) / before)


def _refuse_losses(before: dict[str, ReportSize], events: dict[str, int], max_loss: float):
    def check(by_graph: dict[str, int]) -> None:
        for rid, old in before.items():
            if rid not in events:
                continue  # a report this build does not name: not a loss of this kind
            new = ReportSize(events[rid], by_graph.get(str(iris.report_graph(rid)), 0))
            lost = max(_loss(old.events, new.events), _loss(old.statements, new.statements))
            if lost > max_loss:
                raise GraphLoss(
                    f"report {rid} would go from {old.events} chronicle events and {old.statements} statements to "
                    f"{new.events} and {new.statements} (-{lost:.0%}), more than the {max_loss:.0%} a build may "
                    "lose; the graph is unchanged (check the source file, or build with --force)")
    return check


def _shared_nquads(ref: ReferenceData) -> bytes:
    return ox.serialize(to_quads(shared_graphs(ref)), format=ox.RdfFormat.N_QUADS)


def build(sources: Sequence[str | Path] | None, store: GraphStore, *, ref: ReferenceData | None = None,
          names: str = "patterns", force: bool = False, max_loss: float = MAX_LOSS) -> BuildResult:
    """Load every source, map it to RDF and replace the store's content in one step.
    ``names``: how names the reference data does not know are found (``data``,
    ``patterns`` or ``ner``; see ``loaders.mentions``).

    Raises
    ------
    loaders.errors.LoaderError
        A source cannot be read as a report, or looks cut short (``TruncatedReportError``).
    GraphLoss
        A report in the store would lose more than ``max_loss`` of its graph.
    """
    t = {}
    t0 = time.perf_counter()
    ref = ref or ReferenceData.load()
    # The ontology and reference data map to RDF without the reports: that runs beside the loaders.
    with ForkedCall(_shared_nquads, ref) as shared:
        pipe = Pipeline.default(ref, names=names)
        t["setup"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        reports = pipe.run_all(list(sources) if sources else [BUNDLED_REPORT])
        if not force:
            for report in reports:
                check_complete(report)
        t["parse+extract"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        before = report_sizes(store)
        events = {r.info.id: len(r.chronicle) for r in reports}
        check = None if force else _refuse_losses(before, events, max_loss)
        parts = to_quads(report_graphs(reports, ref))
        shared_quads = ox.parse(shared.result(), format=ox.RdfFormat.N_QUADS)
        count = store.replace_quads(chain(shared_quads, parts), check=check)
    t["rdf+store"] = time.perf_counter() - t0
    return BuildResult([r.info.id for r in reports], sum(events.values()), count, t,
                       dropped=sorted(set(before) - set(events)))
