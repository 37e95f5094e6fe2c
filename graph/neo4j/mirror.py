"""The graph as a property graph in Neo4j, kept equal to the RDF graph.

:func:`project` reads the store with SPARQL into what the mirror must hold: one node
per person, organization, country, place, event (chronicle entries and the meetings
inside them), agreement, project, framework, office, figure, source passage and
report (labels ``Resource`` and the kind, keyed by ``iri``), and typed relationships
between them (``NODE_KINDS``, ``REL_KINDS``; docs/neo4j.md draws the model).

:func:`sync` reads what the mirror holds and writes only the difference: stale
relationships and nodes are deleted, missing or changed ones merged by IRI, in
batches of one parameterized ``UNWIND $rows …`` statement each, several batches to a
transaction (on a server with transactions), every transaction with a time limit and
retried by the driver on transient errors. A second sync of an unchanged store writes
nothing, and a sync interrupted halfway is completed by the next one.

A sync also leaves a stamp in the database (a ``MirrorState`` node: the store's
generation, the mapping's digest, and the count of nodes per label and relationships
per type it wrote). A re-sync of a store generation the stamp names reads the
mirror's counts (from the server's count store) instead of projecting the store, and
writes nothing when they agree; ``full=True`` compares every property instead.

:func:`check_parity` compares counts per node label and relationship type, and the
who-met-whom pairs of the contract's SPARQL definition, with the mirror. Its SPARQL
is written apart from the projection's, so the two paths check each other.

Only nodes labelled ``Resource`` whose IRI is the project's (``iris.BASE``) belong to
the mirror; anything else in the database is left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ontology.rules import MEETING_TYPES
from ontology.vocab import PREFIXES

from ..rdf import iris
from ..sparql import named
from .bolt import BoltError, BoltQueryError, BoltServer, BoltUnavailable
from .dialects import Dialect

__all__ = ["NODE_KINDS", "REL_KINDS", "MAPPING_DIGEST", "MirrorError", "Projection", "Plan", "SyncReport", "Parity",
           "Counts", "Stamp", "project", "read_mirror", "read_stamp", "plan", "sync", "check_parity", "store_counts",
           "mirror_counts"]

RESOURCE = "Resource"
STAMP_LABEL = "MirrorState"


class MirrorError(Exception):
    """The mirror could not be brought up to date; the message says what happened."""


@dataclass(frozen=True)
class NodeKind:
    label: str
    cls: str  # a class of the contract; instances of its subclasses count too


@dataclass(frozen=True)
class RelKind:
    """One relationship type. ``where`` binds ``?a`` (start) and ``?b`` (end), and
    ``id_var`` when several relationships of the type may join the same two nodes; its
    value (through ``id_value``) goes to the property ``id_prop``. ``optional`` binds
    the other properties (``props``: variable → property)."""

    type: str
    where: str
    id_prop: str | None = None
    id_var: str = "id"
    id_value: Callable[[str], Any] = str
    optional: str = ""
    props: tuple[tuple[str, str], ...] = ()


# In order of precedence: a node of two kinds gets the first.
NODE_KINDS: tuple[NodeKind, ...] = (
    NodeKind("Person", "foaf:Person"),
    NodeKind("Organization", "org:Organization"),
    NodeKind("Country", "schema:Country"),
    NodeKind("Place", "schema:Place"),
    NodeKind("Event", "sem:Event"),
    NodeKind("Agreement", "crd:Agreement"),
    NodeKind("Project", "crd:Project"),
    NodeKind("Framework", "crd:Framework"),
    NodeKind("Office", "crd:Office"),
    NodeKind("Figure", "crd:Figure"),
    NodeKind("Passage", "crd:Passage"),
    NodeKind("Report", "crd:Report"),
)
LABELS: tuple[str, ...] = (RESOURCE, *(k.label for k in NODE_KINDS))


def _local(iri: str) -> str:
    """The last segment of an IRI as a snake_case key.

    >>> _local("https://w3id.org/china-russia-dialogue/ontology#inferredParticipant")
    'inferred_participant'
    >>> _local("https://w3id.org/china-russia-dialogue/id/role/dialogue-partner")
    'dialogue_partner'
    """
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", _local_name(iri)).lower()
    name = re.sub(r"[^a-z0-9_]+", "_", name).strip("_") or "value"
    return name if name[0].isalpha() else "p_" + name


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


_DATED = (("start", "start_date"), ("end", "end_date"))

REL_KINDS: tuple[RelKind, ...] = (
    RelKind("PARTICIPATED_IN", "?p rdfs:subPropertyOf+ sem:hasActor . ?b ?p ?a .", id_prop="role", id_var="p",
            id_value=_local,
            optional="OPTIONAL { FILTER(?p = crd:inferredParticipant) ?part crd:inEvent ?b ; crd:agent ?a ; "
                     "crd:inferredFrom ?office . ?office skos:prefLabel ?via FILTER(LANG(?via) = 'en') }",
            props=(("via", "inferred_from"),)),
    RelKind("MENTIONS", "?a crd:mentions ?b ."),
    RelKind("MEMBER_OF", "?id a/rdfs:subClassOf* org:Membership ; org:member ?a ; org:organization ?b . "
                         "MINUS { ?id a crd:Tenure }",
            id_prop="membership",
            optional="OPTIONAL { ?id org:role ?role } OPTIONAL { ?id schema:startDate ?start } "
                     "OPTIONAL { ?id schema:endDate ?end }",
            props=(("role", "role"), *_DATED)),
    RelKind("HELD", "?id a crd:Tenure ; crd:holder ?a ; crd:office ?b .", id_prop="tenure",
            optional="OPTIONAL { ?id schema:startDate ?start } OPTIONAL { ?id schema:endDate ?end }",
            props=_DATED),
    RelKind("POST_IN", "?a org:postIn ?b ."),
    RelKind("PART_OF", "?a org:subOrganizationOf ?b ."),
    RelKind("LOCATED_IN", "{ ?a schema:containedInPlace ?b } UNION { ?a schema:location ?b }"),
    RelKind("TOOK_PLACE_IN", "?a sem:hasPlace ?b ."),
    RelKind("HAS_MEETING", "?a sem:hasSubEvent ?b ."),
    RelKind("IN_FRAMEWORK", "?a crd:inFramework ?b ."),
    RelKind("IN_SERIES", "?a crd:inSeries ?b ."),
    RelKind("NATIONAL_OF", "?a schema:nationality ?b ."),
    RelKind("AFFILIATED_WITH", "?a schema:affiliation ?b ."),
    RelKind("MET_WITH", "?enc a crd:Encounter ; crd:person ?a, ?b ; crd:inEvent ?id . FILTER(STR(?a) < STR(?b))",
            id_prop="event", optional="OPTIONAL { ?enc schema:startDate ?date }", props=(("date", "date"),)),
    RelKind("ABOUT", "?a crd:about ?b ."),
    RelKind("CONCLUDES", "?a crd:concludes ?b ."),
    RelKind("PARTY_TO", "?b crd:party ?a ."),
    RelKind("PARTNER_IN", "?b crd:partner ?a ."),
    RelKind("REPORTS", "?a crd:reports ?b ."),
    RelKind("FLOW_FROM", "?a crd:flowFrom ?b ."),
    RelKind("FLOW_TO", "?a crd:flowTo ?b ."),
    RelKind("DERIVED_FROM", "?a prov:wasDerivedFrom ?b ."),
    RelKind("IN_REPORT", "?a dcterms:isPartOf ?b ."),
)
_REL_BY_TYPE = {k.type: k for k in REL_KINDS}

# --- SPARQL on the store -------------------------------------------------------------------

_KIND_VALUES = " ".join(f'({k.cls} "{k.label}")' for k in NODE_KINDS)
_CLASS_VALUES = " ".join(k.cls for k in NODE_KINDS)
_IN_ID = "FILTER(isIRI({v}) && STRSTARTS(STR({v}), STR(id:)))"

SPARQL_NODES = f"""
SELECT DISTINCT ?s ?kind WHERE {{
  VALUES (?c ?kind) {{ {_KIND_VALUES} }}
  ?s a/rdfs:subClassOf* ?c .
  {_IN_ID.format(v="?s")}
}}"""

# The projection reads broad patterns and keeps the rows of mirrored nodes itself (a
# join with the node kinds, or even a filter on the subject, costs more than the rows
# it saves).
SPARQL_LITERALS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(isLiteral(?o)) }"

SPARQL_TYPES = "SELECT ?s ?t WHERE { ?s a ?t . FILTER(isIRI(?t)) }"

# Facts whose value is a concept: how each becomes a property (its notation, its English
# label, or the local name of its IRI).
_CONCEPT_FACTS = {
    "http://semanticweb.cs.vu.nl/2009/11/sem/eventType": ("plover", "notation"),
    "https://w3id.org/china-russia-dialogue/ontology#form": ("form", "notation"),
    "https://w3id.org/china-russia-dialogue/ontology#chronicleSection": ("section", "label"),
    "https://w3id.org/china-russia-dialogue/ontology#role": ("role", "local"),
}
SPARQL_CONCEPTS = f"""
SELECT ?s ?p ?c ?n ?l WHERE {{
  VALUES ?p {{ {" ".join(f"<{p}>" for p in _CONCEPT_FACTS)} }}
  ?s ?p ?c .
  # sem:eventType is the PLOVER type; the form is also stated as one, and is crd:form here
  FILTER(?p != sem:eventType || STRSTARTS(STR(?c), "https://w3id.org/china-russia-dialogue/id/plover/"))
  OPTIONAL {{ ?c skos:notation ?n }}
  OPTIONAL {{ ?c skos:prefLabel ?l FILTER(LANG(?l) = "en") }}
}}"""


def sparql_rels(kind: RelKind) -> str:
    """The SPARQL that lists one relationship type's rows: ``?a ?b`` [``?id``] and
    properties (of every node; the projection keeps those between mirrored nodes)."""
    ident = "" if not kind.id_prop else " ?id" if kind.id_var == "id" else f" (?{kind.id_var} AS ?id)"
    head = "?a ?b" + ident + "".join(f" ?{v}" for v, _ in kind.props)
    return (f"SELECT DISTINCT {head} WHERE {{ {kind.where} {_IN_ID.format(v='?a')} {_IN_ID.format(v='?b')} "
            f"{kind.optional} }}")


# For the parity check: the same questions asked in SPARQL alone.
def _mirrored(var: str) -> str:
    # A join, not FILTER EXISTS: Oxigraph evaluates EXISTS once per row, hundreds of times slower.
    v = var[1:]
    return (f"{var} a ?t_{v} . ?t_{v} rdfs:subClassOf* ?k_{v} . VALUES ?k_{v} {{ {_CLASS_VALUES} }} "
            f"{_IN_ID.format(v=var)}")


SPARQL_NODE_COUNTS = f"""
SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  VALUES (?c ?kind) {{ {_KIND_VALUES} }}
  ?s a/rdfs:subClassOf* ?c .
  {_IN_ID.format(v="?s")}
}} GROUP BY ?kind"""


def sparql_rel_count(kind: RelKind) -> str:
    """The SPARQL that counts one relationship type: distinct (start, end[, id]) between
    mirrored nodes."""
    ident = "?a ?b" + (f" ?{kind.id_var}" if kind.id_prop else "")
    return (f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT {ident} WHERE {{ {kind.where} {_mirrored('?a')} "
            f"{_mirrored('?b')} }} }}")


def _rows(store, sparql: str) -> Iterator[tuple]:
    """Rows of a SELECT as tuples of pyoxigraph terms (None where unbound), in the
    order of its variables."""
    res = store.query(sparql, prefixes=PREFIXES)
    width = range(len(res.variables))
    for sol in res:
        yield tuple(sol[i] for i in width)


# --- literal values to property values -----------------------------------------------------

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
_FLOAT = {_XSD + t for t in ("double", "float", "decimal")}
_PARTIAL_DATES = {_XSD + "gYear": "year", _XSD + "gYearMonth": "month"}
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"

_PREF_LABEL, _ALT_LABEL = _SKOS + "prefLabel", _SKOS + "altLabel"
# rdfs:label, foaf:name and schema:name repeat the preferred labels.
_SKIP = {_RDFS + "label", "http://xmlns.com/foaf/0.1/name", "https://schema.org/name"}
_KEYS = {
    "https://schema.org/identifier": "code",
    "http://semanticweb.cs.vu.nl/2009/11/sem/hasBeginTimeStamp": "begin",
    "http://semanticweb.cs.vu.nl/2009/11/sem/hasEndTimeStamp": "end",
    "http://www.w3.org/ns/prov#value": "text",
}


def value_of(term: ox.Literal, *, end: bool = False) -> tuple[Any, str | None]:
    """A literal as a property value; for a date given only to the year or month, the
    period's first day (its last day when ``end``), and that precision.

    >>> value_of(ox.Literal("2020-05-01", datatype=ox.NamedNode(_XSD + "date")))
    (datetime.date(2020, 5, 1), None)
    >>> value_of(ox.Literal("2015-03", datatype=ox.NamedNode(_XSD + "gYearMonth")))
    (datetime.date(2015, 3, 1), 'month')
    >>> value_of(ox.Literal("2019-02", datatype=ox.NamedNode(_XSD + "gYearMonth")), end=True)
    (datetime.date(2019, 2, 28), 'month')
    >>> value_of(ox.Literal("12.5", datatype=ox.NamedNode(_XSD + "decimal")))
    (12.5, None)
    """
    text, datatype = term.value, term.datatype.value
    try:
        if datatype == _XSD + "date":
            return dt.date.fromisoformat(text), None
        if datatype in _PARTIAL_DATES:
            year, _, month = text.partition("-")
            first = dt.date(int(year), int(month or 1), 1)
            if not end:
                return first, _PARTIAL_DATES[datatype]
            after = dt.date(first.year + (not month or first.month == 12), 1 if not month else first.month % 12 + 1, 1)
            return after - dt.timedelta(days=1), _PARTIAL_DATES[datatype]
        if datatype == _XSD + "boolean":
            return text in ("true", "1"), None
        if datatype in _INTEGER:
            return int(text), None
        if datatype in _FLOAT:
            return float(text), None
    except ValueError:
        pass
    return text, None


def _key(predicate: str) -> str:
    return _KEYS.get(predicate) or _local(predicate)


def _collapse(values: list[Any]) -> Any:
    values = sorted(set(values), key=lambda v: (str(type(v)), v))
    if len(values) == 1:
        return values[0]
    if len({type(v) for v in values}) > 1:  # Neo4j lists hold one type
        values = sorted({str(v) for v in values})
    return values


_ENDS = frozenset({"end", "end_date"})


def _put(props: dict[str, list[Any]], key: str, term: ox.Literal) -> None:
    value, precision = value_of(term, end=key in _ENDS)
    props[key].append(value)
    if precision:
        props[key + "_precision"].append(precision)


# --- what the mirror must hold -------------------------------------------------------------

RelKey = tuple[str, str, str, Any]  # (type, start IRI, end IRI, value of the type's id property)


@dataclass
class Projection:
    """Nodes (IRI → (label, properties)) and relationships (key → list of property maps)."""

    nodes: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    rels: dict[RelKey, list[dict[str, Any]]] = field(default_factory=dict)

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per label and relationships per type."""
        nodes: dict[str, int] = defaultdict(int)
        rels: dict[str, int] = defaultdict(int)
        for label, _ in self.nodes.values():
            nodes[label] += 1
        for key, found in self.rels.items():
            rels[key[0]] += len(found)
        return dict(nodes), dict(rels)


def project(store) -> Projection:
    """What the mirror of ``store`` holds: its nodes and relationships with their
    properties, as plain Python values (dates as ``datetime.date``)."""
    kinds: dict[str, str] = {}
    order = {k.label: i for i, k in enumerate(NODE_KINDS)}
    for s, kind in _rows(store, SPARQL_NODES):
        s, kind = s.value, kind.value
        if s not in kinds or order[kind] < order[kinds[s]]:
            kinds[s] = kind
    facts: dict[str, dict[str, list[Any]]] = {s: defaultdict(list) for s in kinds}
    for s, p, o in _rows(store, SPARQL_LITERALS):
        props = facts.get(s.value)
        p = p.value
        if props is None or p in _SKIP:
            continue
        if p == _PREF_LABEL:
            lang = o.language
            props["name_" + re.sub(r"[^a-z0-9]+", "_", lang.lower()) if lang else "name"].append(o.value)
        elif p == _ALT_LABEL:
            props["aliases"].append(o.value)
        else:
            _put(props, _key(p), o)
    for s, p, c, notation, label in _rows(store, SPARQL_CONCEPTS):
        props = facts.get(s.value)
        if props is None:
            continue
        key, how = _CONCEPT_FACTS[p.value]
        value = {"notation": notation, "label": label}.get(how)
        props[key].append(value.value if value is not None else _local(c.value) if how == "local" else c.value)
    for s, t in _rows(store, SPARQL_TYPES):
        props = facts.get(s.value)
        if props is not None:
            props["types"].append(_local_name(t.value))
    out = Projection()
    for s, kind in kinds.items():
        props: dict[str, Any] = {k: _collapse(v) for k, v in facts[s].items()}
        for k in ("aliases", "types"):
            if k in props and not isinstance(props[k], list):
                props[k] = [props[k]]
        name = next((props[k] for k in ("name_en", "name_zh", "name_ru", "name") if k in props), None)
        if name is not None:
            props["name"] = name if not isinstance(name, list) else name[0]
        props["iri"] = s
        props["id"] = iris.local_name(s)[1] if iris.local_name(s) else _local_name(s)
        out.nodes[s] = (kind, props)
    for kind in REL_KINDS:
        _project_rels(store, kind, kinds, out)
    return out


def _project_rels(store, kind: RelKind, nodes: dict[str, str], out: Projection) -> None:
    grouped: dict[RelKey, dict[str, list[Any]]] = {}
    for row in _rows(store, sparql_rels(kind)):
        a, b = row[0].value, row[1].value
        if a not in nodes or b not in nodes:
            continue
        ident = kind.id_value(row[2].value) if kind.id_prop else None
        props = grouped.setdefault((kind.type, a, b, ident), defaultdict(list))
        for (var, prop), term in zip(kind.props, row[3 if kind.id_prop else 2:]):
            if term is None:
                continue
            if isinstance(term, ox.Literal):
                _put(props, prop, term)
            else:
                props[prop].append(_local(term.value) if prop == "role" else term.value)
    for key, values in grouped.items():
        props = {p: min(v) for p, v in values.items()}
        if kind.id_prop:
            props[kind.id_prop] = key[3]
        out.rels[key] = [props]


def encoded(want: Projection, dialect: Dialect) -> Projection:
    """The projection with its values as ``dialect``'s server stores them."""
    def enc(props: dict[str, Any]) -> dict[str, Any]:
        return {k: dialect.encode(v) for k, v in props.items()}

    return Projection({iri: (label, enc(props)) for iri, (label, props) in want.nodes.items()},
                      {key: [enc(p) for p in found] for key, found in want.rels.items()})


# --- what the mirror holds -----------------------------------------------------------------

# Each read is anchored on one labelled node: a pattern with two (a)-[r]->(b:Resource)
# lets the planner pick a cartesian product when it plans on an empty database, and a
# cached plan of that kind takes seconds once the mirror is full.
READ_NODES = ("MATCH (n:Resource) WHERE n.iri STARTS WITH $base "
              "RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props")
READ_RELS = ("MATCH (a:Resource)-[r]->(b) WHERE a.iri STARTS WITH $base "
             "RETURN a.iri AS a, type(r) AS type, b.iri AS b, 'Resource' IN labels(b) AS ours, "
             "properties(r) AS props")


def read_mirror(server: BoltServer) -> Projection:
    """What the mirror holds now, in the shape of :func:`project` (values as
    ``server.dialect.decode`` gives them); a node whose labels are not ``Resource``
    and one kind gets the label ``""``."""
    out = Projection()
    decode = server.dialect.decode
    for row in server.read(READ_NODES, {"base": iris.BASE}):
        labels = set(row["labels"]) - {RESOURCE}
        out.nodes[row["iri"]] = (labels.pop() if len(labels) == 1 else "",
                                 {k: decode(v) for k, v in row["props"].items()})
    for row in server.read(READ_RELS, {"base": iris.BASE}):
        if not row["ours"] or not isinstance(row["b"], str) or not row["b"].startswith(iris.BASE):
            continue
        kind = _REL_BY_TYPE.get(row["type"])
        props = {k: decode(v) for k, v in row["props"].items()}
        ident = props.get(kind.id_prop) if kind and kind.id_prop else None
        out.rels.setdefault((row["type"], row["a"], row["b"], ident), []).append(props)
    return out


# --- the difference ------------------------------------------------------------------------


@dataclass
class Plan:
    """What a sync writes: deletions first, then merges."""

    delete_rels: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    delete_nodes: list[str] = field(default_factory=list)
    upsert_nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    upsert_rels: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _same(a: dict[str, Any], b: dict[str, Any], tolerance: float) -> bool:
    if a.keys() != b.keys():
        return False
    for k, v in a.items():
        w = b[k]
        if isinstance(v, float) and isinstance(w, (int, float)) and not isinstance(w, bool):
            if not math.isclose(v, w, rel_tol=tolerance):
                return False
        elif (list(v) if isinstance(v, tuple) else v) != (list(w) if isinstance(w, tuple) else w):
            return False
    return True


def plan(want: Projection, have: Projection, *, tolerance: float = 1e-9) -> Plan:
    """The writes that turn ``have`` (the mirror) into ``want`` (the store's projection);
    floats within ``tolerance`` (relative) of each other are the same."""
    p = Plan()
    gone: set[str] = set()
    for iri, (label, _) in have.nodes.items():
        if iri not in want.nodes or want.nodes[iri][0] != label:
            gone.add(iri)
            p.delete_nodes.append(iri)
            p.counts["nodes removed" if iri not in want.nodes else "nodes relabelled"] += 1
    for iri, (label, props) in want.nodes.items():
        if iri in have.nodes and iri not in gone:
            if _same(props, have.nodes[iri][1], tolerance):
                continue
            p.counts["nodes updated"] += 1
        elif iri not in have.nodes:
            p.counts["nodes created"] += 1
        p.upsert_nodes[label].append({"iri": iri, "props": props})
    have_rels = {k: v for k, v in have.rels.items() if k[1] not in gone and k[2] not in gone}
    for key, found in have_rels.items():
        wanted = want.rels.get(key)
        if wanted is None or len(found) > 1:
            p.delete_rels[key[0]].append({"type": key[0], "a": key[1], "b": key[2], "id": key[3]})
            if wanted is None:
                p.counts["relationships removed"] += 1
    for key, (props,) in want.rels.items():
        found = have_rels.get(key)
        if found is not None and len(found) == 1:
            if _same(props, found[0], tolerance):
                continue
            p.counts["relationships updated"] += 1
        else:
            p.counts["relationships created" if found is None else "relationships repaired"] += 1
        p.upsert_rels[key[0]].append({"a": key[1], "b": key[2], "id": key[3], "props": props})
    return p


# --- writing -------------------------------------------------------------------------------

DELETE_RELS = {
    k.type: (f"UNWIND $rows AS row MATCH (a:Resource {{iri: row.a}})-[r:{k.type}]->(b:Resource {{iri: row.b}}) "
             + (f"WHERE r.{k.id_prop} = row.id OR (row.id IS NULL AND r.{k.id_prop} IS NULL) " if k.id_prop else "")
             + "DELETE r")
    for k in REL_KINDS
}
# A type the mapping no longer has.
DELETE_RELS_OF_TYPE = ("UNWIND $rows AS row MATCH (a:Resource {iri: row.a})-[r]->(b:Resource {iri: row.b}) "
                       "WHERE type(r) = row.type DELETE r")
DELETE_NODES = "UNWIND $rows AS iri MATCH (n:Resource {iri: iri}) DETACH DELETE n"
# Labels and relationship types cannot be parameters: one statement per kind, from the tables above.
UPSERT_NODES = {k.label: f"UNWIND $rows AS row MERGE (n:Resource {{iri: row.iri}}) SET n:{k.label}, n = row.props"
                for k in NODE_KINDS}
UPSERT_RELS = {
    k.type: ("UNWIND $rows AS row MATCH (a:Resource {iri: row.a}) MATCH (b:Resource {iri: row.b}) "
             f"MERGE (a)-[r:{k.type}{f' {{{k.id_prop}: row.id}}' if k.id_prop else ''}]->(b) SET r = row.props")
    for k in REL_KINDS
}
# For a text too long for one statement (on a server that limits them): appended piece by
# piece, each piece only onto the exact prefix before it, so a retried piece is not added twice.
_APPEND_TEXT = "MATCH (n:Resource {{iri: $iri}}) WHERE size(n.{key}) = $offset SET n.{key} = n.{key} + $chunk"
_PROPERTY_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")

# The stamp: which store generation the mirror holds, by which mapping, with what counts.
READ_STAMP = (f"MATCH (s:{STAMP_LABEL} {{base: $base}}) "
              "RETURN s.generation AS generation, s.mapping AS mapping, s.counts AS counts")
DROP_STAMP = f"MATCH (s:{STAMP_LABEL} {{base: $base}}) DELETE s"
WRITE_STAMP = (f"MERGE (s:{STAMP_LABEL} {{base: $base}}) SET s.generation = $generation, s.mapping = $mapping, "
               "s.counts = $counts, s.synced_at = $synced_at")


def _mapping_digest() -> str:
    parts = [(k.label, k.cls) for k in NODE_KINDS] + [(k.type, k.where, k.id_prop, k.id_var, k.optional, k.props)
                                                     for k in REL_KINDS]
    parts += [sorted(_KEYS.items()), sorted(_CONCEPT_FACTS.items()), sorted(_SKIP), "dates-v1"]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


#: Changes when the mapping changes: a stamp of another mapping never short-cuts a sync.
MAPPING_DIGEST = _mapping_digest()


@dataclass(frozen=True)
class Stamp:
    generation: str
    mapping: str
    nodes: dict[str, int]
    rels: dict[str, int]


def read_stamp(server: BoltServer) -> Stamp | None:
    """The stamp the last complete sync left, or None."""
    rows = server.read(READ_STAMP, {"base": iris.BASE})
    if not rows or not rows[0]["generation"]:
        return None
    try:
        counts = json.loads(rows[0]["counts"] or "{}")
        return Stamp(rows[0]["generation"], rows[0]["mapping"] or "", dict(counts.get("nodes", {})),
                     dict(counts.get("rels", {})))
    except (ValueError, TypeError, AttributeError):
        return None


def _count_store_query() -> str:
    # Counts by one label or one type are answered from the server's count store.
    parts = [f"MATCH (n:{label}) RETURN 'node' AS what, '{label}' AS name, count(n) AS n" for label in LABELS]
    parts += [f"MATCH ()-[r:{k.type}]->() RETURN 'rel' AS what, '{k.type}' AS name, count(r) AS n" for k in REL_KINDS]
    return " UNION ALL ".join(parts)


COUNT_STORE = _count_store_query()


def server_counts(server: BoltServer) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label of the mirror (and ``Resource``) and relationships per type in
    the whole database, from the server's count store: cheap whatever the size."""
    statement = server.dialect.graph_counts_statement
    if statement:
        try:
            row = server.read(statement)[0]
        except BoltQueryError:
            pass  # a user the procedure is not granted to
        else:
            nodes = {r["label"]: int(r["count"]) for r in row["nodes"] if set(r) == {"label", "count"}}
            rels = {r["relationshipType"]: int(r["count"]) for r in row["rels"]
                    if set(r) == {"relationshipType", "count"}}
            return ({label: nodes.get(label, 0) for label in LABELS},
                    {k.type: rels.get(k.type, 0) for k in REL_KINDS})
    nodes, rels = {}, {}
    for row in server.read(COUNT_STORE):
        (nodes if row["what"] == "node" else rels)[row["name"]] = int(row["n"])
    return nodes, rels


def _stamp_holds(server: BoltServer, stamp: Stamp) -> bool:
    """The database's counts per label and type are those the stamp recorded."""
    nodes, rels = server_counts(server)
    want_nodes = {label: stamp.nodes.get(label, 0) for label in LABELS if label != RESOURCE}
    want_nodes[RESOURCE] = sum(stamp.nodes.values())
    return (nodes == want_nodes
            and rels == {k.type: stamp.rels.get(k.type, 0) for k in REL_KINDS})


@dataclass
class SyncReport:
    dialect: str
    counts: dict[str, int]
    statements: int
    seconds: float
    transactions: int = 0
    #: How the mirror was compared: "full" (every property) or "stamp" (counts of a
    #: mirror that holds this store generation).
    compared: str = "full"

    def summary(self) -> str:
        changes = ", ".join(f"{n} {what}" for what, n in sorted(self.counts.items()) if n) or "no changes"
        how = " (the mirror holds this store generation; counts checked)" if self.compared == "stamp" else ""
        return (f"{changes}{how}; {self.statements} statements in {self.transactions} transactions, "
                f"{self.seconds:.2f} s")


@dataclass
class Statement:
    query: str
    params: dict[str, Any]
    rows: int


def sync(store, server: BoltServer, *, batch_size: int = 1000, tx_rows: int = 10_000, tx_timeout: float = 60.0,
         full: bool = False, want: Projection | None = None,
         on_commit: Callable[[int, int], None] | None = None) -> SyncReport:
    """Bring the mirror on ``server`` up to date with ``store``; see the module notes.

    ``batch_size`` rows go in one statement, statements of up to ``tx_rows`` rows in
    one transaction (one statement per transaction on a server without transactions),
    and a transaction may run ``tx_timeout`` seconds on the server. ``full`` compares
    every property even when the stamp says the mirror holds this store generation.
    ``want`` is ``project(store)`` when the caller has it already (to mirror one store
    to several servers). ``on_commit(done, total)`` is called after each transaction.

    Raises
    ------
    MirrorError
        The server failed or went away; what was committed stays, and the next sync
        completes it.
    """
    t0 = time.perf_counter()
    dialect = server.dialect
    generation = store.generation if getattr(store, "versioned", False) else None
    try:
        dialect.ensure_keys(LABELS, server.read, server.write)
        stamp = read_stamp(server)
        if (not full and want is None and generation and stamp is not None and stamp.generation == str(generation)
                and stamp.mapping == MAPPING_DIGEST and _stamp_holds(server, stamp)):
            return SyncReport(dialect.key, {}, 0, time.perf_counter() - t0, 0, "stamp")
        want = encoded(project(store) if want is None else want, dialect)
        have = read_mirror(server)
    except BoltError as exc:
        raise MirrorError(str(exc)) from None
    todo = plan(want, have, tolerance=dialect.float_tolerance)
    statements = list(_statements(todo, server, batch_size))
    stamp_now = stamp is not None and generation and stamp.generation == str(generation) \
        and stamp.mapping == MAPPING_DIGEST
    if statements or not stamp_now:
        base = {"base": iris.BASE}
        if stamp is not None:
            statements.insert(0, Statement(DROP_STAMP, base, 0))
        if generation:
            nodes, rels = want.counts()
            statements.append(Statement(WRITE_STAMP, {
                **base, "generation": str(generation), "mapping": MAPPING_DIGEST,
                "counts": json.dumps({"nodes": nodes, "rels": rels}, sort_keys=True),
                "synced_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}, 0))
    units = list(_transactions(statements, tx_rows if dialect.transactional else 0))
    done_statements = 0
    for done, unit in enumerate(units, start=1):
        try:
            server.write_many([(s.query, s.params) for s in unit],
                              timeout=tx_timeout if dialect.enforces_timeout else None)
        except BoltError as exc:
            what = "lost the connection" if isinstance(exc, BoltUnavailable) else "failed"
            raise MirrorError(f"the sync {what} after {done - 1} of {len(units)} transactions ({done_statements} of "
                              f"{len(statements)} statements); the mirror is incomplete until the next sync "
                              f"completes it ({exc})") from None
        done_statements += len(unit)
        if on_commit is not None:
            on_commit(done, len(units))
    n_plan = sum(1 for s in statements if s.query not in (DROP_STAMP, WRITE_STAMP))
    return SyncReport(dialect.key, dict(todo.counts), n_plan, time.perf_counter() - t0, len(units))


def _transactions(statements: list[Statement], tx_rows: int) -> Iterator[list[Statement]]:
    """Statements grouped into transactions of at most ``tx_rows`` rows (0: one each)."""
    unit: list[Statement] = []
    rows = 0
    for s in statements:
        if unit and (tx_rows <= 0 or rows + s.rows > tx_rows):
            yield unit
            unit, rows = [], 0
        unit.append(s)
        rows += s.rows
    if unit:
        yield unit


def _statements(todo: Plan, server: BoltServer, batch_size: int) -> Iterator[Statement]:
    for rel_type, rows in sorted(todo.delete_rels.items()):
        yield from _batched(DELETE_RELS.get(rel_type, DELETE_RELS_OF_TYPE), rows, server, batch_size)
    yield from _batched(DELETE_NODES, todo.delete_nodes, server, batch_size)
    for label, rows in sorted(todo.upsert_nodes.items()):
        rows, appends = _fit_rows(UPSERT_NODES[label], rows, server)
        yield from _batched(UPSERT_NODES[label], rows, server, batch_size)
        yield from appends
    for rel_type, rows in sorted(todo.upsert_rels.items()):
        yield from _batched(UPSERT_RELS[rel_type], rows, server, batch_size)


def _batched(query: str, rows: list[Any], server: BoltServer, batch_size: int) -> Iterator[Statement]:
    room = server.dialect.room(query)
    batch: list[Any] = []
    used = 0
    for row in rows:
        size = server.dialect.size_of(row) + 2 if room is not None else 0
        if batch and (len(batch) >= batch_size or (room is not None and used + size > room)):
            yield Statement(query, {"rows": batch}, len(batch))
            batch, used = [], 0
        if room is not None and size > room:
            raise MirrorError(f"a row of {size} bytes does not fit in one statement to {server.name}: {row!r:.200}")
        batch.append(row)
        used += size
    if batch:
        yield Statement(query, {"rows": batch}, len(batch))


def _fit_rows(query: str, rows: list[dict[str, Any]], server: BoltServer) -> tuple[list[dict[str, Any]],
                                                                                  list[Statement]]:
    """Rows cut to fit one statement, and the statements that append what was cut."""
    room = server.dialect.room(query)
    if room is None:
        return rows, []
    out, appends = [], []
    for row in rows:
        while server.dialect.size_of(row) + 2 > room:
            key, text = max(((k, v) for k, v in row["props"].items() if isinstance(v, str) and k != "iri"),
                            key=lambda kv: len(kv[1].encode()), default=(None, ""))
            if key is None or not _PROPERTY_KEY.match(key) or len(text) < 2:
                break  # _batched names the row that cannot fit
            head = text[: len(text) // 2]
            row = {**row, "props": {**row["props"], key: head}}
            appends[:0] = _appends(row["iri"], key, len(head), text[len(head):], server)
        out.append(row)
    return out, appends


def _appends(iri: str, key: str, offset: int, rest: str, server: BoltServer) -> list[Statement]:
    query = _APPEND_TEXT.format(key=key)
    room = server.dialect.max_statement_bytes - len(query.encode()) - 80 - server.dialect.size_of(iri)
    out = []
    while rest:
        n = len(rest)
        while server.dialect.size_of(rest[:n]) > room:
            n = max(1, n * 3 // 4)
        out.append(Statement(query, {"iri": iri, "offset": offset, "chunk": rest[:n]}, 1))
        offset += n
        rest = rest[n:]
    return out


# --- parity --------------------------------------------------------------------------------

COUNT_NODES = ("MATCH (n:Resource) WHERE n.iri STARTS WITH $base UNWIND labels(n) AS label "
               "WITH label WHERE label <> 'Resource' RETURN label, count(*) AS n")
COUNT_RELS = ("MATCH (a:Resource)-[r]->(b) WHERE a.iri STARTS WITH $base AND b.iri STARTS WITH $base "
              "AND 'Resource' IN labels(b) RETURN type(r) AS type, count(r) AS n")
MET_PAIRS = ("MATCH (a:Person)-[:MET_WITH]-(b) WHERE a.iri STARTS WITH $base AND 'Resource' IN labels(a) "
             "AND 'Person' IN labels(b) AND 'Resource' IN labels(b) AND a.iri < b.iri "
             "RETURN DISTINCT a.iri AS a, b.iri AS b")


@dataclass
class Counts:
    nodes: dict[str, int]
    rels: dict[str, int]
    pairs: set[tuple[str, str]]


@dataclass
class Parity:
    """Counts per node label and relationship type, and the who-met-whom pairs, on the
    store (by SPARQL) and in the mirror (by Cypher)."""

    store: Counts
    mirror: Counts

    @property
    def ok(self) -> bool:
        return (self.store.pairs == self.mirror.pairs and _nonzero(self.store.nodes) == _nonzero(self.mirror.nodes)
                and _nonzero(self.store.rels) == _nonzero(self.mirror.rels))

    def lines(self) -> list[str]:
        out = [f"{'':24} {'store':>8} {'mirror':>8}"]
        for title, a, b in (("nodes", self.store.nodes, self.mirror.nodes), ("relationships", self.store.rels,
                                                                             self.mirror.rels)):
            out.append(title)
            for name in sorted(a.keys() | b.keys()):
                x, y = a.get(name, 0), b.get(name, 0)
                out.append(f"  {name:22} {x:8} {y:8}" + ("" if x == y else "   MISMATCH"))
        x, y = len(self.store.pairs), len(self.mirror.pairs)
        out.append(f"{'who met whom (pairs)':24} {x:8} {y:8}" + ("" if self.store.pairs == self.mirror.pairs
                                                                  else "   MISMATCH"))
        for a, b in sorted(self.store.pairs - self.mirror.pairs)[:5]:
            out.append(f"  missing from the mirror: {a} – {b}")
        for a, b in sorted(self.mirror.pairs - self.store.pairs)[:5]:
            out.append(f"  not in the store: {a} – {b}")
        return out


def _nonzero(d: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in d.items() if v}


def store_counts(store) -> Counts:
    """The store's answers, in SPARQL alone: nodes per label, relationships per type,
    and the who-met-whom pairs of the contract's definition."""
    nodes = {kind.value: int(n.value) for kind, n in _rows(store, SPARQL_NODE_COUNTS)}
    rels = {k.type: int(next(_rows(store, sparql_rel_count(k)))[0].value) for k in REL_KINDS}
    met = named.select(store, "who_met_whom", type=[ox.Literal(t) for t in MEETING_TYPES])
    pairs = {(r["a"].value, r["b"].value) for r in met if r["a"].value < r["b"].value}
    return Counts(nodes, rels, pairs)


def mirror_counts(server: BoltServer) -> Counts:
    """The mirror's answers to the same questions as :func:`store_counts`."""
    nodes = {r["label"]: int(r["n"]) for r in server.read(COUNT_NODES, {"base": iris.BASE})}
    rels = {r["type"]: int(r["n"]) for r in server.read(COUNT_RELS, {"base": iris.BASE})}
    pairs = {(r["a"], r["b"]) for r in server.read(MET_PAIRS, {"base": iris.BASE})}
    return Counts(nodes, rels, pairs)


def check_parity(store, server: BoltServer, *, expected: Counts | None = None) -> Parity:
    """Compare the mirror with the store; ``.ok`` is True when every count and the
    who-met-whom pairs agree. ``expected`` is ``store_counts(store)`` when the caller
    has it already.

    Raises
    ------
    MirrorError
        The server failed or went away.
    """
    try:
        return Parity(store_counts(store) if expected is None else expected, mirror_counts(server))
    except BoltError as exc:
        raise MirrorError(f"parity check failed: {exc}") from None
