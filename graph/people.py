"""People: finding them by any form of their name, what they held and did, who met whom.

    >>> from graph.examples import example_store
    >>> [p.id for p in search_persons(example_store(), "wáng yì")]
    ['wang-yi']
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from pypinyin import Style, lazy_pinyin

from . import iris, nodes, sparql
from .models import EventRole, Meeting, OfficeHeld, PersonDetail, PersonSummary, Ref
from .nodes import InvalidParameter, UnknownId, per_generation
from .vocab import CRD, ORG, PROV, SCHEMA, SEM, SKOS

__all__ = ["search_persons", "person_detail", "who_met_whom", "resolve_framework", "MEETING_TYPES"]

MEETING_TYPES = ("CONSULT", "AGREE")

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Most specific first: the role a person is listed with when an event names them twice.
_ROLE_ORDER = ("host", "speaker", "signatory", "participant", "inferredParticipant", "hasActor", "mentions")


def _fold(text: str) -> str:
    """Without accents or tone marks: 'wáng yì' → 'wang yi'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _compact(text: str) -> str:
    return re.sub(r"[\s\-‐'’·.]", "", text)


@dataclass
class _Entry:
    iri: str
    labels: dict[str, str]
    alt: list[str]
    pinyin: str | None
    keys: list[tuple[str, str, str]]  # (as written, folded, folded without spaces)


@per_generation
def _person_index(store) -> dict[str, _Entry]:
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    alt: dict[str, list[str]] = defaultdict(list)
    for row in sparql.select(store, "person_labels"):
        p, lab = row["person"].value, row["label"]
        if row["preferred"].value == "true":
            labels[p].setdefault(lab.language or "", lab.value)
        elif lab.value not in alt[p]:
            alt[p].append(lab.value)
    out = {}
    for p in sorted(set(labels) | set(alt)):
        forms = [*labels[p].values(), *alt[p]]
        zh = labels[p].get("zh")
        pinyin = " ".join(lazy_pinyin(zh, style=Style.TONE)) if zh and _CJK.search(zh) else None
        for text in list(forms):
            if _CJK.search(text):
                forms += [" ".join(lazy_pinyin(text, style=Style.TONE)),
                          " ".join(lazy_pinyin(text, style=Style.TONE3))]
        keys = []
        for text in dict.fromkeys(forms):
            n = nodes.norm(text)
            f = _fold(n)
            keys.append((n, f, _compact(f)))
        out[p] = _Entry(p, {k: v for k, v in labels[p].items() if k}, alt[p], pinyin, keys)
    return out


def _score(entry: _Entry, q: str) -> float:
    qn = nodes.norm(q)
    qf = _fold(qn)
    qc = _compact(qf)
    best = 0.0
    for n, f, c in entry.keys:
        if qn == n:
            return 100.0
        if qf == f:
            s = 95.0
        elif qc and qc == c:
            s = 90.0
        elif n.startswith(qn) or f.startswith(qf):
            s = 80.0
        elif any(w.startswith(qf) for w in f.split()) or (qc and c.startswith(qc)):
            s = 70.0
        elif qf in f or (len(qc) > 2 and qc in c):
            s = 50.0
        else:
            continue
        best = max(best, s)
    return best


def _summary(e: _Entry, score: float | None = None) -> PersonSummary:
    key = iris.local_name(e.iri)[1]
    label = e.labels.get("en") or e.labels.get("zh") or next(iter(e.labels.values()), key)
    return PersonSummary(id=key, iri=e.iri, label=label, labels=e.labels, alt_labels=e.alt, pinyin=e.pinyin,
                         score=score)


def search_persons(store, q: str | None = None) -> list[PersonSummary]:
    """Persons whose name matches ``q``, best match first; every person without ``q``.

    A name matches in Chinese, English or Russian, as any alias the text used, or in
    pinyin with tone marks, tone numbers or no tones, spaced or not.

    Parameters
    ----------
    store : GraphStore
    q : str, optional
        A name or part of one: 王毅, Wang Yi, Ван И, wáng yì, wang2 yi4, wangyi.

    Returns
    -------
    list of PersonSummary
        ``score`` is 100 for a name exactly as written, 95 without accents or tones,
        90 without spaces, 80 and 70 for a name or word that starts with ``q``, 50 for
        ``q`` inside a name. Without ``q``: everyone, by label, without scores.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> store = example_store()
    >>> [(p.id, p.score) for p in search_persons(store, "wangyi")]
    [('wang-yi', 90.0)]
    >>> [p.id for p in search_persons(store, "Лавров")]
    ['sergey-lavrov']
    >>> [p.label for p in search_persons(store)]
    ['Sergey Lavrov', 'Wang Yi']
    """
    index = _person_index(store).values()
    if q is None or not q.strip():
        return sorted((_summary(e) for e in index), key=lambda p: (p.label.casefold(), p.id))
    scored = [(s, _summary(e, s)) for e in index if (s := _score(e, q)) > 0]
    scored.sort(key=lambda sp: (-sp[0], sp[1].label.casefold(), sp[1].id))
    return [p for _, p in scored]


def _person_node(store, person: str) -> ox.NamedNode:
    return nodes.resolve(store, "person", person, extra=lambda: [p.id for p in search_persons(store, person)[:3]])


@per_generation
def _frameworks(store) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in sparql.select(store, "frameworks"):
        iri = row["framework"].value
        ln = iris.local_name(iri)
        if ln:
            out.setdefault(ln[1].casefold(), iri)
        if "notation" in row:
            out.setdefault(row["notation"].value.casefold(), iri)
    return out


def resolve_framework(store, framework: str) -> ox.NamedNode:
    """The framework an id (``sco``, ``BRI``) or code (``SCO``, ``RIC``) names, in any case.

    >>> from graph.examples import example_store
    >>> resolve_framework(example_store(), "SCO")
    Traceback (most recent call last):
    ...
    graph.nodes.UnknownId: no framework with id 'SCO'
    """
    table = _frameworks(store)
    hit = table.get(framework.strip().casefold())
    if hit is None:
        close = difflib.get_close_matches(framework.strip().casefold(), sorted(table), n=5, cutoff=0.5)
        raise UnknownId("framework", framework, close)
    return ox.NamedNode(hit)


def check_range(since: dt.date | None, until: dt.date | None) -> None:
    if since and until and since > until:
        raise InvalidParameter("from", f"{since} is after to={until}")


def overlaps(begin: dt.date | None, end: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    """True when the days ``begin``–``end`` meet the range ``since``–``until``."""
    if begin is None:
        return since is None and until is None
    end = end or begin
    return (since is None or end >= since) and (until is None or begin <= until)


def _first(f: dict, prop) -> object:
    v = f.get(str(prop))
    return sparql.py(v[0]) if v else None


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
    a = _person_node(store, person) if person else None
    b = _person_node(store, counterpart) if counterpart else None
    rows = sparql.select(store, "who_met_whom", a=a, b=b)
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
        begin, end = _first(f, SEM.hasBeginTimeStamp), _first(f, SEM.hasEndTimeStamp)
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


def person_detail(store, person: str) -> PersonDetail:
    """Everything about one person: names, nationality, offices held and when, the
    events they act in and those that only name them.

    Raises
    ------
    UnknownId
        For an id the graph does not have (with close matches).

    Examples
    --------
    >>> from graph.examples import example_store
    >>> p = person_detail(example_store(), "wang-yi")
    >>> p.labels["ru"], [(e.event.label, e.role) for e in p.events], p.met_count
    ('Ван И', [('中俄外长通电话', 'inferredParticipant')], 1)
    >>> [e.event.label for e in p.mentioned_in]
    ['中国向俄罗斯提供援助']
    """
    node = _person_node(store, person)
    f = nodes.facts(store, [node])[node.value]
    tenures = sparql.select(store, "tenures", person=node)
    acts = sparql.select(store, "actor_events", actor=node)
    mentions = [{**r, "property": ox.NamedNode(str(CRD.mentions))}
                for r in sparql.select(store, "mention_events", node=node)]
    linked = {*f.get(str(SCHEMA.nationality), ()), *f.get(str(SCHEMA.affiliation), ())}
    linked.update(r["office"] for r in tenures)
    linked.update(r["event"] for r in (*acts, *mentions))
    linked.update(r["via"] for r in acts if "via" in r)
    lf = nodes.facts(store, linked)
    posts = {o for r in tenures for o in lf[r["office"].value].get(str(ORG.postIn), ())}
    lf.update(nodes.facts(store, [o for o in posts if o.value not in lf]))
    refs = {iri: nodes.ref(iri, x) for iri, x in lf.items()}

    def one(prop) -> Ref | None:
        v = f.get(str(prop))
        return refs.get(v[0].value) if v else None

    offices = []
    for r in tenures:
        org = lf[r["office"].value].get(str(ORG.postIn), ())
        offices.append(OfficeHeld(office=refs[r["office"].value], organization=refs.get(org[0].value) if org else None,
                                  start=r["start"].value if "start" in r else None,
                                  end=r["end"].value if "end" in r else None))
    offices.sort(key=lambda o: (o.start or "", o.office.id))
    entry = _person_index(store).get(node.value)
    summary = _summary(entry) if entry else PersonSummary(id=person, iri=node.value, label=person)
    met = len(sparql.select(store, "who_met_whom", a=node))
    note = f.get(str(SKOS.note))
    return PersonDetail(**summary.model_dump(exclude={"score"}), nationality=one(SCHEMA.nationality),
                        affiliation=one(SCHEMA.affiliation), note=note[0].value if note else None,
                        offices=offices, events=event_roles(acts, lf, refs),
                        mentioned_in=event_roles(mentions, lf, refs), met_count=met)


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
        best[e] = EventRole(event=refs[e], date=_first(f, SEM.hasBeginTimeStamp), type=types[0] if types else None,
                            role=role, inferred_from=refs.get(r["via"].value) if "via" in r else None)
    return sorted(best.values(), key=lambda x: (x.date or dt.date.min, x.event.id))


def _rank(role: str) -> int:
    return _ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER)


who_met_whom.__doc__ = _who_met_whom.__doc__
