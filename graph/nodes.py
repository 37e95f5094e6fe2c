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
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import wraps

import pyoxigraph as ox

from . import iris, sparql
from .models import Evidence, Ref
from .vocab import CRD, DCTERMS, PROV, RDF, RDFS, SKOS

__all__ = ["UnknownId", "InvalidParameter", "per_generation", "iri_of", "ids_of_kind", "resolve", "facts",
           "refs", "ref", "evidence", "label_of", "norm"]


class UnknownId(LookupError):
    """No node of this kind has this id; ``close_matches`` lists ids that might be meant."""

    def __init__(self, kind: str, key: str, close_matches: list[str]):
        self.kind, self.key, self.close_matches = kind, key, close_matches
        hint = f"; did you mean {', '.join(close_matches)}?" if close_matches else ""
        super().__init__(f"no {kind} with id {key!r}{hint}")


class InvalidParameter(ValueError):
    """A parameter value the graph cannot use; ``allowed`` lists what would work, where short."""

    def __init__(self, name: str, message: str, allowed: list[str] | None = None):
        self.name, self.allowed = name, allowed
        super().__init__(f"{name}: {message}")


_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()
_UNVERSIONED_TTL = 30.0


def per_generation(fn: Callable) -> Callable:
    """Keep ``fn(store, *args)`` until the store's ``generation`` changes (for a store
    without one, for half a minute)."""

    @wraps(fn)
    def wrapper(store, *args):
        gen = getattr(store, "generation", None)
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
            return hit[1]
        value = fn(store, *args)
        per_store[key] = (gen, value)
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
    """Every statement about each node: ``{iri: {predicate IRI: [terms]}}``."""
    nodes = list(dict.fromkeys(n for n in nodes if isinstance(n, ox.NamedNode)))
    out: dict[str, dict[str, list]] = {n.value: defaultdict(list) for n in nodes}
    for start in range(0, len(nodes), 500):
        for row in sparql.select(store, "outgoing", node=nodes[start:start + 500]):
            out[row["node"].value][row["p"].value].append(row["o"])
    return out


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
