"""One search over persons, organizations (with frameworks and countries) and events,
for a search box.

    >>> from graph.examples import example_store
    >>> [(h.kind, h.label) for h in search(example_store(), "外长")]
    [('person', 'Wang Yi'), ('event', '中俄外长通电话')]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pyoxigraph as ox
from pydantic import Field

from ..errors import InvalidParameter
from ..rdf import iris
from ..sparql import named as sparql
from . import events, nodes, people
from .models import Named
from .nodes import per_generation

__all__ = ["SearchHit", "search", "KINDS"]

#: What ``search`` looks through, in the order its answers come.
KINDS = ("person", "organization", "event")


class SearchHit(Named):
    """A node whose name (or, for an event, title or paragraph) matches the words searched."""

    kind: str = Field(description="person, organization, framework, country or event")
    score: float = Field(description="100 for a name exactly as written; lower for looser matches")
    date: dt.date | None = Field(None, description="First day, for an event")


def search(store, q: str, *, kinds: tuple[str, ...] | list[str] = KINDS, limit: int = 10) -> list[SearchHit]:
    """Persons, organizations and events matching ``q``, best first within each kind.

    Parameters
    ----------
    store : GraphStore
    q : str
        A name or words: 王毅, lavrov, 上海合作组织, SCO, 外长.
    kinds : sequence of {"person", "organization", "event"}
        Where to look; organizations include frameworks and countries.
    limit : int
        Most answers of each kind.

    Returns
    -------
    list of SearchHit
        Persons by ``people.search_persons``; organizations, frameworks and countries
        by any of their labels (the whole label 100, its start 80, a word's start 70,
        anywhere 50); events whose title or paragraph holds every word (90 when the
        title is ``q`` itself, else 60), by date.

    Raises
    ------
    InvalidParameter
        For a kind other than these.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> store = example_store()
    >>> [(h.kind, h.id, h.score) for h in search(store, "china")]
    [('country', 'CN', 100.0)]
    >>> [h.label for h in search(store, "lav", kinds=["person"])]
    ['Sergey Lavrov']
    >>> search(store, "  ")
    []
    """
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise InvalidParameter("kind", f"{unknown[0]!r} is not searched", list(KINDS))
    q = q.strip()
    if not q:
        return []
    out: list[SearchHit] = []
    if "person" in kinds:
        for p in people.search_persons(store, q)[:limit]:
            out.append(SearchHit(id=p.id, kind="person", iri=p.iri, label=p.label, labels=p.labels,
                                 score=p.score or 0.0))
    if "organization" in kinds:
        out += _organizations(store, q)[:limit]
    if "event" in kinds:
        wanted = nodes.norm(q)
        for e in events.find_events(store, q=q)[:limit]:
            score = 90.0 if nodes.norm(e.label) == wanted else 60.0
            out.append(SearchHit(id=e.id, kind="event", iri=e.iri, label=e.label, labels={"zh": e.label},
                                 score=score, date=e.date))
    return out


def _organizations(store, q: str) -> list[SearchHit]:
    wanted = nodes.norm(q)
    best: dict[str, float] = {}
    for iri, forms in _labels(store).items():
        score = max((_score(f, wanted) for f in forms), default=0.0)
        if score:
            best[iri] = score
    refs = nodes.refs(store, [ox.NamedNode(iri) for iri in best])
    hits = [SearchHit(id=r.id, kind=r.kind, iri=r.iri, label=r.label, labels=r.labels, score=best[iri])
            for iri, r in refs.items()]
    hits.sort(key=lambda h: (-h.score, h.label.casefold(), h.id))
    return hits


def _score(form: str, q: str) -> float:
    if form == q:
        return 100.0
    if form.startswith(q):
        return 80.0
    if any(w.startswith(q) for w in form.split()):
        return 70.0
    return 50.0 if q in form else 0.0


@per_generation
def _labels(store) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for row in sparql.select(store, "search_labels"):
        if iris.local_name(row["node"].value):
            out[row["node"].value].append(nodes.norm(row["label"].value))
    return dict(out)
