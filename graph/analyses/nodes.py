"""Nodes as users name them: ids, labels, the facts about them, and the errors for
ids and values that name nothing.

An id is the local name of a node's IRI (``wang-yi``); with its kind (``person``) it
gives the IRI back. Lookups that depend only on the graph are kept per store
generation (see ``per_generation``).
"""

from __future__ import annotations

import difflib
import threading
import time
import unicodedata
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from functools import wraps

import pyoxigraph as ox

from ontology.vocab import CRD, DCTERMS, PROV, RDF, RDFS, SKOS

from ..errors import InvalidParameter, UnknownId
from ..rdf import iris
from ..sparql import named as sparql
from .models import Evidence, Ref

__all__ = ["UnknownId", "InvalidParameter", "per_generation", "iri_of", "ids_of_kind", "resolve", "facts",
           "refs", "ref", "evidence", "label_of", "norm", "first", "resolve_framework", "resolve_actor"]


_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()
_UNVERSIONED_TTL = 30.0


def per_generation(fn: Callable | None = None, *, maxsize: int | None = None) -> Callable:
    """Keep ``fn(store, *args)`` until the store's ``generation`` changes (for a store
    without one, for half a minute). With ``maxsize``, at most that many answers of
    ``fn`` are kept, the least recently used going first (for answers keyed by what a
    request asks, which has no end)."""
    if fn is None:
        return lambda f: per_generation(f, maxsize=maxsize)
    kept: OrderedDict = OrderedDict()  # (id of a store's cache, key) → that cache, least recently used first

    @wraps(fn)
    def wrapper(store, *args):
        gen = store.generation
        if gen is None:
            gen = ("ttl", int(time.monotonic() // _UNVERSIONED_TTL))
        with _caches_lock:
            try:
                per_store = _caches.setdefault(store, {})
            except TypeError:
                return fn(store, *args)
        key = (fn.__qualname__, args)
        hit = per_store.get(key)
        if hit is not None and hit[0] == gen:
            if maxsize is not None:
                with _caches_lock:
                    kept[(id(per_store), key)] = per_store
                    kept.move_to_end((id(per_store), key))
            return hit[1]
        value = fn(store, *args)
        per_store[key] = (gen, value)
        if maxsize is not None:
            with _caches_lock:
                kept[(id(per_store), key)] = per_store
                kept.move_to_end((id(per_store), key))
                while len(kept) > maxsize:
                    (_, old), cache = kept.popitem(last=False)
                    cache.pop(old, None)
        return value

    return wrapper


def norm(text: str) -> str:
    """Text folded for matching: NFKC, case-folded, spaces collapsed.

    >>> norm("  Sergey   LAVROV ")
    'sergey lavrov'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def iri_of(kind: str, key: str) -> str:
    """The IRI an id names.

    >>> iri_of("person", "wang-yi")
    'https://w3id.org/china-russia-dialogue/id/person/wang-yi'
    """
    return str(iris.concept(kind, key))


@per_generation
def _ids(store) -> dict[str, frozenset[str]]:
    by_kind: dict[str, set[str]] = defaultdict(set)
    for row in sparql.select(store, "subjects"):
        ln = iris.local_name(row["s"].value) if isinstance(row["s"], ox.NamedNode) else None
        if ln:
            by_kind[ln[0]].add(ln[1])
    return {k: frozenset(v) for k, v in by_kind.items()}


def ids_of_kind(store, kind: str) -> frozenset[str]:
    """The ids of every node of this kind that the graph says something about."""
    return _ids(store).get(kind, frozenset())


@per_generation
def _label_index(store) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for row in sparql.select(store, "labels"):
        if isinstance(row["s"], ox.NamedNode):
            index[norm(row["label"].value)].add(row["s"].value)
    return {k: frozenset(v) for k, v in index.items()}


def close_matches(store, kind: str, key: str, *, n: int = 5) -> list[str]:
    """Ids of this kind that ``key`` may have meant: nodes with ``key`` as a label,
    then ids spelled alike."""
    out: list[str] = []
    for iri in sorted(_label_index(store).get(norm(key), ())):
        ln = iris.local_name(iri)
        if ln and ln[0] == kind and ln[1] not in out:
            out.append(ln[1])
    keys = ids_of_kind(store, kind)
    lowered = {k.lower(): k for k in keys}
    for m in difflib.get_close_matches(key.lower(), list(lowered), n=n, cutoff=0.6):
        if lowered[m] not in out:
            out.append(lowered[m])
    return out[:n]


def resolve(store, kind: str, key: str, *, extra: Callable[[], list[str]] | None = None) -> ox.NamedNode:
    """The node of this kind with this id, or ``UnknownId`` with close matches."""
    if key in ids_of_kind(store, kind):
        return ox.NamedNode(iri_of(kind, key))
    matches = list(extra()) if extra else []
    matches += [m for m in close_matches(store, kind, key) if m not in matches]
    raise UnknownId(kind, key, matches[:5])


def facts(store, nodes: Iterable[ox.NamedNode]) -> dict[str, dict[str, list]]:
    """Every statement about each node: ``{iri: {predicate IRI: [terms]}}``, the terms
    of each predicate in a fixed order (every store answers alike, whatever order its
    engine returns rows in)."""
    nodes = list(dict.fromkeys(n for n in nodes if isinstance(n, ox.NamedNode)))
    out: dict[str, dict[str, list]] = {n.value: defaultdict(list) for n in nodes}
    for start in range(0, len(nodes), 500):
        for row in sparql.select(store, "outgoing", node=nodes[start:start + 500]):
            out[row["node"].value][row["p"].value].append(row["o"])
    for f in out.values():
        for terms in f.values():
            terms.sort(key=_term_order)
    return out


def _term_order(t) -> tuple[str, str, str]:
    extra = getattr(t, "language", None) or (t.datatype.value if isinstance(t, ox.Literal) else "")
    return type(t).__name__, t.value, extra


_PREF, _LABEL, _ALT = str(SKOS.prefLabel), str(RDFS.label), str(SKOS.altLabel)


def label_of(f: dict[str, list], fallback: str = "") -> tuple[str, dict[str, str]]:
    """(display label, preferred labels by language) from a node's facts: English,
    else Chinese, else any."""
    labels: dict[str, str] = {}
    for prop in (_PREF, _LABEL):
        for t in f.get(prop, ()):
            if isinstance(t, ox.Literal):
                labels.setdefault(t.language or "", t.value)
        if labels:
            break
    label = labels.get("en") or labels.get("zh") or next(iter(labels.values()), fallback)
    return label, {k: v for k, v in labels.items() if k}


def ref(iri: str, f: dict[str, list] | None) -> Ref:
    ln = iris.local_name(iri)
    kind, key = ln if ln else ("external", iri)
    label, labels = label_of(f or {}, key)
    return Ref(id=key, kind=kind, iri=iri, label=label, labels=labels)


def refs(store, nodes: Iterable[ox.NamedNode]) -> dict[str, Ref]:
    """A ``Ref`` for each node, labelled."""
    fs = facts(store, nodes)
    return {iri: ref(iri, f) for iri, f in fs.items()}


def evidence(iri: str, f: dict[str, list]) -> Evidence:
    def one(prop):
        v = f.get(str(prop))
        return sparql.py(v[0]) if v else None

    report = one(DCTERMS.isPartOf)
    ln = iris.local_name(iri)
    return Evidence(id=ln[1] if ln else iri, iri=iri, text=one(PROV.value) or "", start=one(CRD.startOffset),
                    end=one(CRD.endOffset), line=one(CRD.line),
                    report=iris.local_name(report)[1] if report and iris.local_name(report) else None)


def types_of(f: dict[str, list]) -> list[str]:
    return sorted({t.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in f.get(str(RDF.type), ())})


def first(f: dict, prop) -> object:
    """The Python value of a node's first ``prop`` in its facts, or None."""
    v = f.get(str(prop))
    return sparql.py(v[0]) if v else None


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
    graph.errors.UnknownId: no framework with id 'SCO'
    """
    table = _frameworks(store)
    hit = table.get(framework.strip().casefold())
    if hit is None:
        close = difflib.get_close_matches(framework.strip().casefold(), sorted(table), n=5, cutoff=0.5)
        raise UnknownId("framework", framework, close)
    return ox.NamedNode(hit)


_ACTOR_KINDS = ("person", "organization", "country")


def resolve_actor(store, actor: str) -> ox.NamedNode:
    """The person, organization or country an id names (``wang-yi``, ``sco``, ``CN``),
    or ``kind/id`` where an id is ambiguous."""
    kind, _, key = actor.partition("/") if "/" in actor else ("", "", actor)
    kinds = (kind,) if kind else _ACTOR_KINDS
    for k in kinds:
        if k in _ACTOR_KINDS and key in ids_of_kind(store, k):
            return ox.NamedNode(iri_of(k, key))
    close = []
    for k in kinds:
        if k in _ACTOR_KINDS:
            close += close_matches(store, k, key, n=3)
    raise UnknownId("actor", actor, close[:5])
