"""Deterministic IRIs: the same input gives the same IRI on every build.

Reference entities are named by their curated id; entities the data does not know
yet by a readable slug of their Chinese name plus a short hash of it; events by
report, date and a hash of the title.

    >>> person("sergey-lavrov")
    rdflib.term.URIRef('https://w3id.org/china-russia-dialogue/id/person/sergey-lavrov')
    >>> local_name(person("sergey-lavrov"))
    ('person', 'sergey-lavrov')
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from urllib.parse import quote

from rdflib import URIRef

BASE = "https://w3id.org/china-russia-dialogue/id/"
GRAPH_BASE = "https://w3id.org/china-russia-dialogue/graph/"

ONTOLOGY_GRAPH = URIRef(GRAPH_BASE + "ontology")
REFERENCE_GRAPH = URIRef(GRAPH_BASE + "reference")

KINDS = ("person", "organization", "country", "place", "event", "agreement", "project", "office", "tenure",
         "membership", "framework", "passage", "report", "plover", "form", "section", "role", "encounter",
         "participation", "chapter", "figure", "credit")


def _iri(kind: str, key: str) -> URIRef:
    return URIRef(f"{BASE}{kind}/{quote(key, safe='-._~')}")


def person(key: str) -> URIRef:
    return _iri("person", key)


def organization(key: str) -> URIRef:
    return _iri("organization", key)


def country(code: str) -> URIRef:
    return _iri("country", code.upper())


def place(key: str) -> URIRef:
    return _iri("place", key)


def office(key: str) -> URIRef:
    return _iri("office", key)


def agreement(key: str) -> URIRef:
    return _iri("agreement", key)


def project(key: str) -> URIRef:
    return _iri("project", key)


def framework(code: str) -> URIRef:
    return _iri("framework", code)


def concept(scheme: str, key: str) -> URIRef:
    return _iri(scheme, key)


def report(report_id: str) -> URIRef:
    return _iri("report", report_id)


def report_graph(report_id: str) -> URIRef:
    return URIRef(GRAPH_BASE + "report/" + quote(report_id, safe="-._~"))


def passage(report_id: str, start: int, end: int) -> URIRef:
    return _iri("passage", f"{report_id}-{start}-{end}")


def event(report_id: str, day: dt.date, title: str, seq: int = 1) -> URIRef:
    h = hashlib.sha1(re.sub(r"\s+", "", title).encode()).hexdigest()[:8]
    return _iri("event", f"{report_id}-{day:%Y%m%d}-{h}" + (f"-{seq}" if seq > 1 else ""))


def derived(kind: str, *parts: str) -> URIRef:
    """A node that only exists as part of others (tenure, participation, encounter)."""
    h = hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]
    return _iri(kind, h)


def slug_for(name: str) -> str:
    """A readable, stable key for a name the reference data does not know.

    >>> slug_for("王毅")
    'zh-wang-yi-1b53'
    """
    from pypinyin import lazy_pinyin

    norm = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    latin = "-".join(lazy_pinyin(norm))
    latin = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode().lower())
    h = hashlib.sha1(norm.encode()).hexdigest()[:4]
    return f"zh-{latin.strip('-')[:48]}-{h}"


def local_name(iri: str) -> tuple[str, str] | None:
    """(kind, key) of a project IRI, None for any other IRI."""
    if not iri.startswith(BASE):
        return None
    kind, _, key = iri[len(BASE):].partition("/")
    return (kind, key) if kind in KINDS and key else None
