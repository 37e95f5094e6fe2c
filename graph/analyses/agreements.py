"""Agreements as answers: what the report names, when it was signed, by whom, and the
events that concluded or cited it, documents of the report's period apart from older
ones it cites.

    >>> from graph.examples import example_store
    >>> find_agreements(example_store())
    []
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import pyoxigraph as ox

from ontology.reference import PartialDate
from ontology.vocab import CRD, PROV, SCHEMA

from ..errors import InvalidParameter
from ..rdf import iris
from ..sparql import named as sparql
from . import events, nodes
from .dates import check_range
from .models import AgreementSummary
from .nodes import first, per_generation

__all__ = ["find_agreements", "agreement_types", "report_periods"]


def report_periods(store) -> list[tuple[dt.date, dt.date]]:
    """The periods the graph's reports cover, first and last day.

    >>> from graph.examples import example_store
    >>> report_periods(example_store())
    []
    """
    out = []
    for r in sparql.select(store, "report_periods"):
        begin, _, end = r["coverage"].value.partition("/")
        try:
            out.append((dt.date.fromisoformat(begin), dt.date.fromisoformat(end)))
        except ValueError:
            continue  # a coverage not written as two days says nothing about the period
    return out


def _days(date: str | None) -> tuple[dt.date, dt.date] | None:
    try:
        d = PartialDate(date) if date else None
        return (d.first, d.last) if d else None
    except (ValueError, IndexError):
        return None


@per_generation
def _agreements(store) -> tuple[AgreementSummary, ...]:
    works = [r["agreement"] for r in sparql.select(store, "agreements")]
    wf = nodes.facts(store, works)
    about = sparql.select(store, "about_events", node=works)
    summaries = events.event_summaries(store)
    periods = report_periods(store)
    concluding = sorted({r["event"].value for r in about if r["property"].value == str(CRD.concludes)})
    actors: dict[str, list[str]] = defaultdict(list)
    for r in sparql.select(store, "network_event_actors", event=[ox.NamedNode(e) for e in concluding]):
        ln = iris.local_name(r["actor"].value)
        if ln and ln[0] == "person" and r["actor"].value not in actors[r["event"].value]:
            actors[r["event"].value].append(r["actor"].value)
    linked = {t for f in wf.values() for t in (*f.get(str(CRD.party), ()), *f.get(str(PROV.wasDerivedFrom), ()))}
    linked.update(ox.NamedNode(a) for people in actors.values() for a in people)
    lf = nodes.facts(store, linked)
    refs = {iri: nodes.ref(iri, f) for iri, f in lf.items()}
    by_work: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in about:
        kind = "concluded_by" if r["property"].value == str(CRD.concludes) else "cited_by"
        if r["event"].value not in by_work[r["node"].value][kind]:
            by_work[r["node"].value][kind].append(r["event"].value)
    out = []
    for w in works:
        f = wf[w.value]
        ref = nodes.ref(w.value, f)
        date = first(f, SCHEMA.dateCreated)
        date = date.isoformat() if isinstance(date, dt.date) else date
        days = _days(date)
        # in date order, whatever order the store lists them in
        concluded = sorted((summaries[e] for e in by_work[w.value]["concluded_by"] if e in summaries),
                           key=lambda e: (e.date or dt.date.min, e.id))
        cited = sorted((summaries[e] for e in by_work[w.value]["cited_by"] if e in summaries),
                       key=lambda e: (e.date or dt.date.min, e.id))
        signers: list[str] = []
        for e in concluded:  # the event that signed it, not one that later extended it
            if days is None or (e.date and days[0] <= e.date <= days[1]):
                signers += [a for a in sorted(actors.get(e.iri, ())) if a not in signers]
        kind = first(f, SCHEMA.additionalType)
        out.append(AgreementSummary(
            id=ref.id, iri=ref.iri, label=ref.label, labels=ref.labels, type=kind, date=date,
            concluded_in_period=days is not None and any(b <= days[0] and days[1] <= e for b, e in periods),
            parties=sorted((refs[t.value] for t in f.get(str(CRD.party), ()) if t.value in refs),
                           key=lambda r: (r.kind, r.label)),
            signers=[refs[a] for a in signers if a in refs],
            concluded_by=concluded, cited_by=cited,
            evidence=sorted((nodes.evidence(t.value, lf[t.value]) for t in f.get(str(PROV.wasDerivedFrom), ())
                             if t.value in lf), key=lambda x: (x.start or 0, x.id))))
    return tuple(sorted(out, key=lambda a: (a.date is None, a.date or "", a.label.casefold(), a.id)))


def agreement_types(store) -> tuple[str, ...]:
    """The types of the agreements the reports name (treaty, memorandum …)."""
    return tuple(sorted({a.type for a in _agreements(store) if a.type}))


def find_agreements(store, *, since: dt.date | None = None, until: dt.date | None = None,
                    party: Sequence[str] = (), type: Sequence[str] = (),
                    signed: bool | None = None) -> list[AgreementSummary]:
    """The agreements the reports name, by date (undated last), that meet every condition.

    Parameters
    ----------
    store : GraphStore
    since, until : datetime.date, optional
        Only documents signed in these days (a date known to the month or year counts
        when it meets them); undated ones are then left out.
    party : sequence of str
        Ids of states or organizations (``CN``, ``sco``) that are all parties to it.
    type : sequence of str
        Any of these types (``treaty``, ``memorandum``, ``joint_statement`` …).
    signed : bool, optional
        True: only documents signed or adopted in the period the report covers;
        False: only older documents the report cites.

    Returns
    -------
    list of AgreementSummary
        With date, parties, the persons acting in the event that signed it, the events
        that concluded or cited it, and the passages that name it.

    Raises
    ------
    UnknownId
        For a party the graph does not have.
    InvalidParameter
        For an unknown type, or ``since`` after ``until``.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> find_agreements(example_store(), type=["treaty"])
    Traceback (most recent call last):
    ...
    graph.errors.InvalidParameter: type: 'treaty' is not a type of agreement the reports name
    """
    check_range(since, until)
    known = agreement_types(store)
    for t in type:
        if t not in known:
            raise InvalidParameter("type", f"{t!r} is not a type of agreement the reports name", list(known))
    wanted = {nodes.resolve_actor(store, p).value for p in party}
    out = []
    for a in _agreements(store):
        if type and a.type not in type:
            continue
        if wanted and not wanted <= {p.iri for p in a.parties}:
            continue
        if signed is not None and a.concluded_in_period != signed:
            continue
        if since or until:
            days = _days(a.date)
            if days is None or (since and days[1] < since) or (until and days[0] > until):
                continue
        out.append(a)
    return out
