"""Who met whom, as the data contract defines it: two persons who act in one event whose
PLOVER type is a meeting type (``ontology.rules.MEETING_TYPES``).

    >>> from graph.examples import example_store
    >>> [m.counterpart.id for m in who_met_whom(example_store(), "wang-yi")]
    ['sergey-lavrov']
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from ontology.rules import MEETING_TYPES
from ontology.vocab import CRD, PROV, SEM, SKOS

from ..errors import InvalidParameter
from ..sparql import named as sparql
from . import nodes
from .dates import check_range, overlaps
from .models import Meeting
from .nodes import first, per_generation, resolve_framework
from .people import resolve_person

__all__ = ["who_met_whom", "MEETING_TYPES"]


def who_met_whom(store, person: str | None = None, *, counterpart: str | None = None,
                 since: dt.date | None = None, until: dt.date | None = None, framework: str | None = None,
                 type: str | None = None) -> list[Meeting]:
    # A person's unfiltered meetings are what the service is asked most: kept per store
    # generation (one entry per person, so the cache stays bounded).
    if person is not None and counterpart is None and since is None and until is None \
            and framework is None and type is None:
        return list(_meetings_of(store, person))
    return _who_met_whom(store, person, counterpart=counterpart, since=since, until=until,
                         framework=framework, type=type)


@per_generation
def _meetings_of(store, person: str) -> tuple[Meeting, ...]:
    return tuple(_who_met_whom(store, person))


def _who_met_whom(store, person: str | None = None, *, counterpart: str | None = None,
                  since: dt.date | None = None, until: dt.date | None = None, framework: str | None = None,
                  type: str | None = None) -> list[Meeting]:
    """Who met whom, as the data contract defines it: two persons who act in one event
    whose PLOVER type is CONSULT or AGREE. One entry per pair and event, by date.

    Parameters
    ----------
    store : GraphStore
    person : str, optional
        Id of a person: their meetings, the other person as ``counterpart``. Without
        it (and without ``counterpart``), every pair once, ``person`` before
        ``counterpart`` by IRI.
    counterpart : str, optional
        Id of a second person: only the meetings of the two.
    since, until : datetime.date, optional
        Only events that overlap these days (both inclusive).
    framework : str, optional
        Only events held in this framework: id or code (``sco``, ``BRICS``, ``RIC``).
    type : str, optional
        ``CONSULT`` or ``AGREE``.

    Returns
    -------
    list of Meeting
        With the event, its dates, type, form, places, frameworks, the office a
        counterpart's presence was inferred from, and the passage it was read from.

    Raises
    ------
    UnknownId
        For a person or framework the graph does not have (with close matches).
    InvalidParameter
        For another ``type``, or ``since`` after ``until``.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> store = example_store()
    >>> [(m.counterpart.label, str(m.date), m.type, m.form) for m in who_met_whom(store, "wang-yi")]
    [('Sergey Lavrov', '2020-04-14', 'CONSULT', 'phone_call')]
    >>> who_met_whom(store, "wang-yi", since=dt.date(2021, 1, 1))
    []
    >>> [m.evidence[0].text for m in who_met_whom(store)]
    ['中俄外长通电话']

    See Also
    --------
    person_detail : everything about one person.

    Notes
    -----
    The query (``graph/queries/who_met_whom.rq``) is the contract's definition itself:
    actors through ``sem:hasActor`` or any subproperty of it, persons through
    ``foaf:Person`` or any subclass; the materialized ``crd:metWith`` links are not read.
    """
    check_range(since, until)
    if type is not None and type not in MEETING_TYPES:
        raise InvalidParameter("type", f"{type!r} is not a meeting type", list(MEETING_TYPES))
    if person is None and counterpart is not None:
        person, counterpart = counterpart, None
    a = resolve_person(store, person) if person else None
    b = resolve_person(store, counterpart) if counterpart else None
    rows = sparql.select(store, "who_met_whom", a=a, b=b, type=[ox.Literal(t) for t in MEETING_TYPES])
    if a is None:
        rows = [r for r in rows if r["a"].value < r["b"].value]
    if type:
        rows = [r for r in rows if r["type"].value == type]
    if framework:
        held = {r["event"].value for r in sparql.select(store, "framework_events",
                                                        framework=resolve_framework(store, framework))}
        rows = [r for r in rows if r["event"].value in held]
    ev_facts = nodes.facts(store, (r["event"] for r in rows))
    kept = []
    for r in rows:
        f = ev_facts[r["event"].value]
        begin, end = first(f, SEM.hasBeginTimeStamp), first(f, SEM.hasEndTimeStamp)
        if overlaps(begin, end, since, until):
            kept.append((r, begin, end))
    inferred = {(p["event"].value, p["agent"].value): p["via"] for p in
                sparql.select(store, "participations", event=list({r["event"].value: r["event"]
                                                                   for r, _, _ in kept}.values()))
                if "via" in p}
    linked: set = set(inferred.values())
    for r, _, _ in kept:
        f = ev_facts[r["event"].value]
        linked.update((r["a"], r["b"]))
        for prop in (SEM.hasPlace, CRD.inFramework, CRD.form, PROV.wasDerivedFrom):
            linked.update(f.get(str(prop), ()))
    lf = nodes.facts(store, linked)
    refs = {iri: nodes.ref(iri, f) for iri, f in lf.items()}
    out = []
    for r, begin, end in kept:
        e = r["event"].value
        f = ev_facts[e]
        forms = [t for n in f.get(str(CRD.form), ()) for t in lf.get(n.value, {}).get(str(SKOS.notation), ())]
        via = inferred.get((e, r["b"].value))
        out.append(Meeting(
            person=refs[r["a"].value], counterpart=refs[r["b"].value], date=begin, end_date=end,
            event=nodes.ref(e, f), type=r["type"].value, form=forms[0].value if forms else None,
            places=[refs[n.value] for n in f.get(str(SEM.hasPlace), ()) if n.value in refs],
            frameworks=[refs[n.value] for n in f.get(str(CRD.inFramework), ()) if n.value in refs],
            counterpart_inferred_from=refs.get(via.value) if via is not None else None,
            evidence=[nodes.evidence(n.value, lf[n.value]) for n in f.get(str(PROV.wasDerivedFrom), ())
                      if n.value in lf]))
    out.sort(key=lambda m: (m.date or dt.date.min, m.event.id, m.person.label, m.counterpart.label))
    return out


who_met_whom.__doc__ = _who_met_whom.__doc__
