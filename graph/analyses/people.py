"""People: finding them by any form of their name, what they held and did.

    >>> from graph.examples import example_store
    >>> [p.id for p in search_persons(example_store(), "wáng yì")]
    ['wang-yi']
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from pypinyin import Style, lazy_pinyin

from ontology.rules import MEETING_TYPES
from ontology.vocab import CRD, ORG, SCHEMA, SKOS

from ..rdf import iris
from ..sparql import named as sparql
from . import nodes
from .events import event_roles
from .models import OfficeHeld, PersonDetail, PersonSummary, Ref
from .nodes import per_generation

__all__ = ["search_persons", "person_detail", "resolve_person"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


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
        out[p] = _Entry(p, {k: v for k, v in labels[p].items() if k}, sorted(alt[p]), pinyin, keys)
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


def resolve_person(store, person: str) -> ox.NamedNode:
    """The person an id names, or ``UnknownId`` with close ids and name matches."""
    return nodes.resolve(store, "person", person, extra=lambda: [p.id for p in search_persons(store, person)[:3]])


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
    node = resolve_person(store, person)
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
                                  end=r["end"].value if "end" in r else None,
                                  first_day=sparql.py(r.get("first")), last_day=sparql.py(r.get("last"))))
    offices.sort(key=lambda o: (o.start or "", o.office.id))
    entry = _person_index(store).get(node.value)
    summary = _summary(entry) if entry else PersonSummary(id=person, iri=node.value, label=person)
    met = len(sparql.select(store, "who_met_whom", a=node, type=[ox.Literal(t) for t in MEETING_TYPES]))
    note = f.get(str(SKOS.note))
    return PersonDetail(**summary.model_dump(exclude={"score"}), nationality=one(SCHEMA.nationality),
                        affiliation=one(SCHEMA.affiliation), note=note[0].value if note else None,
                        offices=offices, events=event_roles(acts, lf, refs),
                        mentioned_in=event_roles(mentions, lf, refs), met_count=met)
