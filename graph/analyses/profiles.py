"""Profiles and timelines: what a person's page and the timeline view show, each panel
one call here over the analyses of people, events and who met whom.

    >>> from graph.examples import example_store
    >>> p = person_profile(example_store(), "wang-yi")
    >>> [(c.person.label, c.meetings) for c in p.counterparts], [t.month for t in p.timeline]
    ([('Sergey Lavrov', 1)], ['2020-04'])
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pyoxigraph as ox

from ontology.vocab import PROV, SCHEMA

from . import nodes
from .meetings import who_met_whom
from .models import Counterpart, Meeting, PersonProfile, Ref, TimelineItem
from .nodes import per_generation, resolve_actor
from .people import person_detail

__all__ = ["person_profile", "timeline", "nationalities"]


def nationalities(store, persons: list[str]) -> dict[str, Ref]:
    """The state of each person (by IRI) the graph gives one for (``schema:nationality``)."""
    facts = nodes.facts(store, [ox.NamedNode(p) for p in persons])
    states = {p: f[str(SCHEMA.nationality)][0] for p, f in facts.items() if f.get(str(SCHEMA.nationality))}
    refs = nodes.refs(store, list(set(states.values())))
    return {p: refs[s.value] for p, s in states.items() if s.value in refs}


def _items(store, meetings: list[Meeting], roles: dict[str, str] | None = None) -> list[TimelineItem]:
    states = nationalities(store, list({m.counterpart.iri for m in meetings} | {m.person.iri for m in meetings}))
    by_event: dict[str, TimelineItem] = {}
    for m in meetings:
        item = by_event.get(m.event.iri)
        if item is None:
            item = by_event[m.event.iri] = TimelineItem(
                event=m.event, date=m.date, end_date=m.end_date, month=m.date.isoformat()[:7] if m.date else None,
                type=m.type, form=m.form, role=(roles or {}).get(m.event.iri), evidence=m.evidence)
        for p in (m.person, m.counterpart) if roles is None else (m.counterpart,):
            if all(c.iri != p.iri for c in item.counterparts):
                item.counterparts.append(p)
                state = states.get(p.iri)
                if state and all(c.iri != state.iri for c in item.countries):
                    item.countries.append(state)
    return list(by_event.values())


@per_generation(maxsize=512)
def _profile(store, person: str) -> PersonProfile:
    detail = person_detail(store, person)
    met = who_met_whom(store, person)
    roles = {e.event.iri: e.role for e in detail.events}
    items = {i.event.iri: i for i in _items(store, met, roles)}
    # Events acted in without meeting anyone (statements, visits, speeches) are on the timeline too.
    others = [e for e in detail.events if e.event.iri not in items]
    facts = nodes.facts(store, [ox.NamedNode(e.event.iri) for e in others])
    passages = nodes.facts(store, [p for f in facts.values() for p in f.get(str(PROV.wasDerivedFrom), ())])
    for e in others:
        f = facts.get(e.event.iri, {})
        items[e.event.iri] = TimelineItem(
            event=e.event, date=e.date, month=e.date.isoformat()[:7] if e.date else None, type=e.type, role=e.role,
            evidence=[nodes.evidence(p.value, passages[p.value]) for p in f.get(str(PROV.wasDerivedFrom), ())
                      if p.value in passages])
    timeline = sorted(items.values(), key=lambda i: (i.date or dt.date.min, i.event.id))
    states = nationalities(store, list({m.counterpart.iri for m in met}))
    seen: dict[str, list[Meeting]] = defaultdict(list)
    for m in met:
        if all(x.event.iri != m.event.iri for x in seen[m.counterpart.iri]):
            seen[m.counterpart.iri].append(m)
    counterparts = [Counterpart(person=ms[0].counterpart, country=states.get(iri), meetings=len(ms),
                                first=min((m.date for m in ms if m.date), default=None),
                                last=max((m.date for m in ms if m.date), default=None))
                    for iri, ms in seen.items()]
    counterparts.sort(key=lambda c: (-c.meetings, c.person.label))
    return PersonProfile(person=detail, timeline=timeline, counterparts=counterparts,
                         by_type=dict(Counter(i.type or "other" for i in timeline).most_common()),
                         by_month=dict(sorted(Counter(i.month for i in timeline if i.month).items())))


def person_profile(store, person: str) -> PersonProfile:
    """A person's page: names (zh, en, ru), offices held with dates, every event they
    acted in by date (with the counterparts met there and their states, and the
    passages), whom they met most often, events by type and by month.

    Raises
    ------
    UnknownId
        For a person the graph does not have (with close matches).
    """
    return _profile(store, person)


def timeline(store, *, person: str | None = None, country: str | None = None, framework: str | None = None,
             type: str | None = None, since: dt.date | None = None, until: dt.date | None = None) -> list[TimelineItem]:
    """Who met whom over time: one item per meeting event, by date, with everyone who
    met in it and their states; filtered by a person, a state (someone of it met
    someone), a framework, a type and a period.

    Raises
    ------
    UnknownId, InvalidParameter
        As ``who_met_whom``; for a country the graph does not have.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> [(t.event.label, [c.label for c in t.counterparts]) for t in timeline(example_store())]
    [('中俄外长通电话', ['Sergey Lavrov', 'Wang Yi'])]
    >>> timeline(example_store(), country="FR")
    Traceback (most recent call last):
    ...
    graph.errors.UnknownId: no actor with id 'country/FR'
    """
    state = resolve_actor(store, f"country/{country}") if country else None
    met = who_met_whom(store, person, since=since, until=until, framework=framework, type=type)
    items = _items(store, met)
    if state is not None:
        items = [i for i in items if any(c.iri == state.value for c in i.countries)]
    for i in items:
        i.counterparts.sort(key=lambda r: r.label)
    return sorted(items, key=lambda i: (i.date or dt.date.min, i.event.id))
