"""Events: finding them by date, type, framework, actor and words, and all about one.

    >>> from graph.examples import example_store
    >>> [e.label for e in find_events(example_store(), type="CONSULT")]
    ['中俄外长通电话']
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import pyoxigraph as ox

from ontology.rules import Rules
from ontology.vocab import CRD, DCTERMS, PROV, SCHEMA, SEM

from ..errors import InvalidParameter
from ..rdf import iris
from ..sparql import named as sparql
from . import nodes
from .dates import check_range, many, overlaps
from .models import Actor, EventDetail, EventRole, EventSummary, Ref
from .nodes import first, per_generation, resolve_actor, resolve_framework

__all__ = ["find_events", "event_detail", "event_types", "event_roles", "event_summaries"]


_RULES = Rules.load()


@per_generation
def _all_events(store) -> list[tuple[EventSummary, str, int]]:
    """Every event with the text ``q`` searches and its place in the chronicle.

    The text is the title and paragraph, folded, and the English words for them: the
    English names of the event's type, form, actors, places, frameworks and subjects, and
    of the topics its text is about (``rules/topics.tsv``), so that ``vaccine`` finds
    what ``疫苗`` finds."""
    english: dict[str, list[str]] = defaultdict(list)
    for r in sparql.select(store, "event_words"):
        english[r["event"].value].append(r["word"].value)
    seen: dict[str, tuple[EventSummary, str, int]] = {}
    for r in sparql.select(store, "events"):
        iri = r["event"].value
        if iri in seen:
            continue
        ln = iris.local_name(iri)
        label = r["label"].value if "label" in r else (ln[1] if ln else iri)
        summary = EventSummary(id=ln[1] if ln else iri, iri=iri, label=label, date=sparql.py(r.get("begin")),
                               end_date=sparql.py(r.get("end")), type=sparql.py(r.get("type")),
                               form=sparql.py(r.get("form")))
        chinese = label + " " + (r["description"].value if "description" in r else "")
        text = nodes.norm(" ".join((chinese, *english.get(iri, ()), *_RULES.topic_words(chinese))))
        index = sparql.py(r.get("index"))
        seen[iri] = (summary, text, index if isinstance(index, int) else 0)
    return sorted(seen.values(), key=lambda x: (x[0].date or dt.date.min, x[2], x[0].id))


def event_summaries(store) -> dict[str, EventSummary]:
    """Every event's summary by IRI."""
    return {e.iri: e for e, _, _ in _all_events(store)}


@per_generation
def event_types(store) -> tuple[str, ...]:
    """The PLOVER event types the graph knows (the notations of its PLOVER scheme).

    >>> from graph.examples import example_store
    >>> event_types(example_store())
    ('CONSULT', 'SUPPORT')
    """
    rows = sparql.select(store, "scheme_notations", scheme=ox.NamedNode(str(iris.concept("plover", "scheme"))))
    return tuple(sorted({r["notation"].value for r in rows}))


def find_events(store, *, since: dt.date | None = None, until: dt.date | None = None,
                type: str | Sequence[str] | None = None, framework: str | Sequence[str] | None = None,
                actor: str | Sequence[str] | None = None, q: str | None = None) -> list[EventSummary]:
    """Events that meet every condition given, by date.

    Parameters
    ----------
    store : GraphStore
    since, until : datetime.date, optional
        Only events that overlap these days (both inclusive).
    type : str or sequence of str, optional
        PLOVER event types (CONSULT, AGREE, COOPERATE, SUPPORT …): any of them.
    framework : str or sequence of str, optional
        Only events held in one of these frameworks: id or code (``sco``, ``BRICS``, ``RIC``).
    actor : str or sequence of str, optional
        Only events every one of these persons, organizations or countries acts in
        (``wang-yi``, ``sco``, ``CN``; ``country/CN`` where an id is ambiguous).
    q : str, optional
        Words in the title or paragraph (case-insensitive), in Chinese or in English:
        English words match the English names of the event's type, form, actors,
        places, frameworks and subjects, and the topics of its text.

    Returns
    -------
    list of EventSummary

    Raises
    ------
    UnknownId
        For an actor or framework the graph does not have (with close matches).
    InvalidParameter
        For an unknown type, or ``since`` after ``until``.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> store = example_store()
    >>> [str(e.date) for e in find_events(store, since=dt.date(2020, 4, 21))]
    ['2020-04-20']
    >>> [e.type for e in find_events(store, actor="CN")]
    ['SUPPORT']
    >>> [e.form for e in find_events(store, q="外长")]
    ['phone_call']
    >>> [e.label for e in find_events(store, actor=["wang-yi", "sergey-lavrov"])]
    ['中俄外长通电话']
    """
    check_range(since, until)
    types, frameworks, actors = many(type), many(framework), many(actor)
    for t in types:
        if t not in event_types(store):
            raise InvalidParameter("type", f"{t!r} is not an event type", list(event_types(store)))
    keep = None
    for a in actors:
        acts = {r["event"].value for r in sparql.select(store, "actor_events", actor=resolve_actor(store, a))}
        keep = acts if keep is None else keep & acts
    if frameworks:
        held = {r["event"].value for r in sparql.select(store, "framework_events",
                                                        framework=[resolve_framework(store, f) for f in frameworks])}
        keep = held if keep is None else keep & held
    words = nodes.norm(q).split() if q else []
    out = []
    for e, text, _ in _all_events(store):
        if keep is not None and e.iri not in keep:
            continue
        if types and e.type not in types:
            continue
        if (since or until) and not overlaps(e.date, e.end_date, since, until):
            continue
        if words and not all(w in text for w in words):
            continue
        out.append(e)
    return out


def event_detail(store, event: str) -> EventDetail:
    """Everything about one event: dates, type and form, who acted in it and how (with
    the office a participant was inferred from), who it only names, places,
    frameworks, what it is about, and the passages it was read from.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> e = event_detail(example_store(), "r-20200414-call")
    >>> [(a.node.label, a.role) for a in e.actors], e.evidence[0].start
    ([('Sergey Lavrov', 'inferredParticipant'), ('Wang Yi', 'inferredParticipant')], 10)
    """
    node = nodes.resolve(store, "event", event)
    f = nodes.facts(store, [node])[node.value]
    parts = {(r["agent"].value): r.get("via") for r in sparql.select(store, "participations", event=[node])}
    # Rows in a fixed order: every store answers alike, whatever order its engine returns.
    actor_rows = sorted(sparql.select(store, "event_actors", event=node),
                        key=lambda r: (r["actor"].value, r["property"].value))
    linked = {r["actor"] for r in actor_rows}
    linked.update(v for v in parts.values() if v is not None)
    for prop in (SEM.hasPlace, CRD.inFramework, CRD.mentions, CRD.chronicleSection, DCTERMS.isPartOf,
                 PROV.wasDerivedFrom):
        linked.update(t for t in f.get(str(prop), ()) if isinstance(t, ox.NamedNode))
    about = sorted(sparql.select(store, "event_about", event=node), key=lambda r: r["node"].value)
    linked.update(r["node"] for r in about)
    lf = nodes.facts(store, linked)
    refs = {iri: nodes.ref(iri, x) for iri, x in lf.items()}
    actors: dict[str, Actor] = {}
    for r in actor_rows:
        a = r["actor"].value
        role = r["property"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        via = parts.get(a)
        if a in actors and (role == "hasActor" or actors[a].role not in ("hasActor", "participant")):
            continue  # sem:hasActor is stated beside every more specific role
        actors[a] = Actor(node=refs[a], role=role, inferred_from=refs.get(via.value) if via is not None else None)

    def many(prop):
        return [refs[t.value] for t in f.get(str(prop), ()) if isinstance(t, ox.NamedNode) and t.value in refs]

    def one(prop):
        v = many(prop)
        return v[0] if v else None

    summary = next((s for s, _, _ in _all_events(store) if s.iri == node.value), None)
    if summary is None:
        label, _ = nodes.label_of(f, event)
        summary = EventSummary(id=event, iri=node.value, label=label)
    desc = f.get(str(SCHEMA.description))
    online = f.get(str(CRD.online))
    return EventDetail(
        **summary.model_dump(), description=desc[0].value if desc else None,
        online=sparql.py(online[0]) if online else None, section=one(CRD.chronicleSection),
        report=next((r for r in many(DCTERMS.isPartOf) if r.kind == "report"), None),
        actors=sorted(actors.values(), key=lambda a: (a.node.kind, a.node.label)),
        mentions=sorted(many(CRD.mentions), key=lambda r: r.label), places=many(SEM.hasPlace),
        frameworks=many(CRD.inFramework), about=[refs[r["node"].value] for r in about],
        evidence=[nodes.evidence(t.value, lf[t.value]) for t in f.get(str(PROV.wasDerivedFrom), ())
                  if t.value in lf])


# Most specific first: the role a person is listed with when an event names them twice.
_ROLE_ORDER = ("host", "speaker", "signatory", "participant", "inferredParticipant", "hasActor", "mentions")


def event_roles(rows, lf: dict, refs: dict[str, Ref]) -> list[EventRole]:
    """One ``EventRole`` per event from rows of (event, property, via), the most
    specific role kept, by date."""
    best: dict[str, EventRole] = {}
    for r in rows:
        e = r["event"].value
        role = r["property"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if e in best and _rank(best[e].role) <= _rank(role):
            continue
        f = lf.get(e, {})
        types = [iris.local_name(t.value)[1] for t in f.get(str(SEM.eventType), ())
                 if iris.local_name(t.value) and iris.local_name(t.value)[0] == "plover"]
        best[e] = EventRole(event=refs[e], date=first(f, SEM.hasBeginTimeStamp), type=types[0] if types else None,
                            role=role, inferred_from=refs.get(r["via"].value) if "via" in r else None)
    return sorted(best.values(), key=lambda x: (x.date or dt.date.min, x.event.id))


def _rank(role: str) -> int:
    return _ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER)
