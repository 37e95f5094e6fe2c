"""The graph as a property graph in Neo4j, kept equal to the RDF graph.

:func:`project` reads the store with SPARQL into what the mirror must hold: one node
per person, organization, country, place, event, agreement, project and framework
(labels ``Resource`` and the kind, keyed by ``iri``), and typed relationships between
them. :func:`sync` reads what the mirror holds, and writes only the difference:
stale nodes and relationships are deleted, missing or changed ones are merged by IRI,
in batches of one parameterized ``UNWIND`` statement per transaction. A second sync of
an unchanged store writes nothing, and a sync interrupted halfway is completed by the
next one. :func:`check_parity` compares counts per node label and relationship type,
and the who-met-whom pairs, with the answers of SPARQL on the store.

Only nodes labelled ``Resource`` whose IRI is the project's (``iris.BASE``) belong to
the mirror; anything else in the database is left alone. The mapping, with Cypher for
common questions, is described in ``docs/neo4j.md``.
"""

from __future__ import annotations

import math
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..rdf import iris
from ..sparql.run import run_query
from .bolt import BoltError, BoltServer, BoltUnavailable

__all__ = ["NODE_KINDS", "REL_KINDS", "QUERIES", "MirrorError", "Projection", "Plan", "SyncReport", "Parity", "Counts",
           "project", "read_mirror", "plan", "sync", "check_parity", "store_counts", "mirror_counts"]

RESOURCE = "Resource"


class MirrorError(Exception):
    """The mirror could not be brought up to date; the message says what happened."""


@dataclass(frozen=True)
class NodeKind:
    label: str
    cls: str  # a contract class; instances of its subclasses count too


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


NODE_KINDS: tuple[NodeKind, ...] = (
    NodeKind("Person", "foaf:Person"),
    NodeKind("Organization", "org:Organization"),
    NodeKind("Country", "schema:Country"),
    NodeKind("Place", "schema:Place"),
    NodeKind("Event", "sem:Event"),
    NodeKind("Agreement", "crd:Agreement"),
    NodeKind("Project", "crd:Project"),
    NodeKind("Framework", "crd:Framework"),
)


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


REL_KINDS: tuple[RelKind, ...] = (
    RelKind("PARTICIPATED_IN", "?p rdfs:subPropertyOf+ sem:hasActor . ?b ?p ?a .", id_prop="role", id_var="p",
            id_value=_local,
            optional="OPTIONAL { FILTER(?p = crd:inferredParticipant) ?part crd:inEvent ?b ; crd:agent ?a ; "
                     "crd:inferredFrom ?office . ?office skos:prefLabel ?via FILTER(LANG(?via) = 'en') }",
            props=(("via", "inferred_from"),)),
    RelKind("MENTIONS", "?a crd:mentions ?b ."),
    RelKind("MEMBER_OF", "?id a/rdfs:subClassOf* org:Membership ; org:member ?a ; org:organization ?b .",
            id_prop="membership",
            optional="OPTIONAL { ?id org:role ?role } OPTIONAL { ?id schema:startDate ?start } "
                     "OPTIONAL { ?id schema:endDate ?end }",
            props=(("role", "role"), ("start", "start_date"), ("end", "end_date"))),
    RelKind("PART_OF", "?a org:subOrganizationOf ?b ."),
    RelKind("LOCATED_IN", "{ ?a schema:containedInPlace ?b } UNION { ?a schema:location ?b }"),
    RelKind("TOOK_PLACE_IN", "?a sem:hasPlace ?b ."),
    RelKind("HAS_MEETING", "?a sem:hasSubEvent ?b ."),
    RelKind("IN_FRAMEWORK", "?a crd:inFramework ?b ."),
    RelKind("NATIONAL_OF", "?a schema:nationality ?b ."),
    RelKind("AFFILIATED_WITH", "?a schema:affiliation ?b ."),
    RelKind("MET_WITH", "?enc a crd:Encounter ; crd:person ?a, ?b ; crd:inEvent ?id . FILTER(STR(?a) < STR(?b))",
            id_prop="event", optional="OPTIONAL { ?enc schema:startDate ?date }", props=(("date", "date"),)),
    RelKind("ABOUT", "?a crd:about ?b ."),
    RelKind("CONCLUDES", "?a crd:concludes ?b ."),
    RelKind("PARTY_TO", "?b crd:party ?a ."),
    RelKind("PARTNER_IN", "?b crd:partner ?a ."),
)
_REL_BY_TYPE = {k.type: k for k in REL_KINDS}

# --- SPARQL on the store -------------------------------------------------------------------

_KIND_VALUES = " ".join(f'({k.cls} "{k.label}")' for k in NODE_KINDS)
_CLASS_VALUES = " ".join(k.cls for k in NODE_KINDS)


def _mirrored(var: str) -> str:
    # A join, not FILTER EXISTS: Oxigraph evaluates EXISTS once per row, hundreds of times slower.
    v = var[1:]
    return (f"{var} a ?t_{v} . ?t_{v} rdfs:subClassOf* ?k_{v} . VALUES ?k_{v} {{ {_CLASS_VALUES} }} "
            f"FILTER(isIRI({var}) && STRSTARTS(STR({var}), STR(id:)))")


SPARQL_NODES = f"""
SELECT DISTINCT ?s ?kind WHERE {{
  VALUES (?c ?kind) {{ {_KIND_VALUES} }}
  ?s a/rdfs:subClassOf* ?c .
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(id:)))
}}"""

SPARQL_NODE_COUNTS = f"""
SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  VALUES (?c ?kind) {{ {_KIND_VALUES} }}
  ?s a/rdfs:subClassOf* ?c .
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(id:)))
}} GROUP BY ?kind"""

SPARQL_LITERALS = f"""
SELECT DISTINCT ?s ?p ?o (LANG(?o) AS ?lang) (DATATYPE(?o) AS ?dt) WHERE {{
  {_mirrored("?s")}
  ?s ?p ?o . FILTER(isLiteral(?o))
}}"""

SPARQL_TYPES = f"""
SELECT DISTINCT ?s ?t WHERE {{ {_mirrored("?s")} ?s a ?t . FILTER(isIRI(?t)) }}"""

# Concept-valued facts become the concept's notation (PLOVER type, form), else its English label.
SPARQL_CONCEPTS = f"""
SELECT DISTINCT ?s ?p ?v WHERE {{
  {_mirrored("?s")}
  VALUES ?p {{ sem:eventType crd:form crd:chronicleSection }}
  ?s ?p ?c .
  OPTIONAL {{ ?c skos:notation ?n }}
  OPTIONAL {{ ?c skos:prefLabel ?l FILTER(LANG(?l) = "en") }}
  BIND(COALESCE(?n, ?l, STR(?c)) AS ?v)
}}"""

SPARQL_MET_PAIRS = "SELECT DISTINCT ?a ?b WHERE { ?a crd:metWith ?b . FILTER(STR(?a) < STR(?b)) }"


def _rel_where(kind: RelKind) -> str:
    return f"{kind.where} {_mirrored('?a')} {_mirrored('?b')}"


def sparql_rels(kind: RelKind) -> str:
    """The SPARQL that lists one relationship type's rows: ``?a ?b`` [``?id``] and properties."""
    ident = "" if not kind.id_prop else " ?id" if kind.id_var == "id" else f" (?{kind.id_var} AS ?id)"
    head = "?a ?b" + ident + "".join(f" ?{v}" for v, _ in kind.props)
    return f"SELECT DISTINCT {head} WHERE {{ {_rel_where(kind)} {kind.optional} }}"


def sparql_rel_count(kind: RelKind) -> str:
    """The SPARQL that counts one relationship type: distinct (start, end[, id])."""
    ident = "?a ?b" + (f" ?{kind.id_var}" if kind.id_prop else "")
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT {ident} WHERE {{ {_rel_where(kind)} }} }}"


# --- literal facts to properties -----------------------------------------------------------

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
_FLOAT = {_XSD + "double", _XSD + "float"}
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"

_PREF_LABEL, _ALT_LABEL = _SKOS + "prefLabel", _SKOS + "altLabel"
# rdfs:label and foaf:name repeat the preferred labels.
_SKIP = {_RDFS + "label", "http://xmlns.com/foaf/0.1/name"}
_KEYS = {
    "https://schema.org/identifier": "code",
    "http://semanticweb.cs.vu.nl/2009/11/sem/hasBeginTimeStamp": "begin",
    "http://semanticweb.cs.vu.nl/2009/11/sem/hasEndTimeStamp": "end",
    "http://semanticweb.cs.vu.nl/2009/11/sem/eventType": "plover",
    "https://w3id.org/china-russia-dialogue/ontology#chronicleSection": "section",
}


def _typed(text: str, datatype: str) -> Any:
    if datatype == _XSD + "boolean":
        return text in ("true", "1")
    try:
        if datatype in _INTEGER:
            return int(text)
        if datatype in _FLOAT:
            return float(text)
    except ValueError:
        pass
    return text  # dates stay ISO strings (see the dialects)


def _key(predicate: str) -> str:
    return _KEYS.get(predicate) or _local(predicate)


def _collapse(values: list[Any]) -> Any:
    values = sorted(set(values), key=lambda v: (str(type(v)), v))
    if len(values) == 1:
        return values[0]
    if len({type(v) for v in values}) > 1:  # Neo4j lists hold one type
        values = sorted({str(v) for v in values})
    return values


# --- what the mirror must hold -------------------------------------------------------------

RelKey = tuple[str, str, str, Any]  # (type, start IRI, end IRI, value of the type's id property)


@dataclass
class Projection:
    """Nodes (IRI → (label, properties)) and relationships (key → list of property maps)."""

    nodes: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    rels: dict[RelKey, list[dict[str, Any]]] = field(default_factory=dict)


def project(store) -> Projection:
    """What the mirror of ``store`` holds: its nodes and relationships with their properties."""
    kinds: dict[str, str] = {}
    order = {k.label: i for i, k in enumerate(NODE_KINDS)}
    for row in run_query(store, SPARQL_NODES).rows:
        s, kind = row["s"], row["kind"]
        if s not in kinds or order[kind] < order[kinds[s]]:
            kinds[s] = kind
    facts: dict[str, dict[str, list[Any]]] = {s: defaultdict(list) for s in kinds}
    for row in run_query(store, SPARQL_LITERALS).rows:
        s, p, o = row["s"], row["p"], row["o"]
        if s not in facts or p in _SKIP:
            continue
        lang = row.get("lang", "")
        if p == _PREF_LABEL:
            facts[s]["name_" + re.sub(r"[^a-z0-9]+", "_", lang.lower()) if lang else "name"].append(o)
        elif p == _ALT_LABEL:
            facts[s]["aliases"].append(o)
        else:
            facts[s][_key(p)].append(_typed(o, row.get("dt", "")))
    for row in run_query(store, SPARQL_CONCEPTS).rows:
        if row["s"] in facts:
            facts[row["s"]][_key(row["p"])].append(row["v"])
    for row in run_query(store, SPARQL_TYPES).rows:
        if row["s"] in facts:
            facts[row["s"]]["types"].append(_local_name(row["t"]))
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
        out.nodes[s] = (kind, props)
    for kind in REL_KINDS:
        _project_rels(store, kind, out)
    return out


def _project_rels(store, kind: RelKind, out: Projection) -> None:
    grouped: dict[RelKey, dict[str, list[Any]]] = {}
    for row in run_query(store, sparql_rels(kind)).rows:
        ident = kind.id_value(row["id"]) if kind.id_prop else None
        key = (kind.type, row["a"], row["b"], ident)
        props = grouped.setdefault(key, defaultdict(list))
        for var, prop in kind.props:
            if var in row:
                props[prop].append(_local(row[var]) if prop == "role" else row[var])
    for key, values in grouped.items():
        props = {p: min(v) for p, v in values.items()}
        if kind.id_prop:
            props[kind.id_prop] = key[3]
        out.rels[key] = [props]


# --- what the mirror holds -----------------------------------------------------------------

READ_NODES = ("MATCH (n:Resource) WHERE n.iri STARTS WITH $base "
              "RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props")
READ_RELS = ("MATCH (a:Resource)-[r]->(b:Resource) WHERE a.iri STARTS WITH $base AND b.iri STARTS WITH $base "
             "RETURN a.iri AS a, type(r) AS type, b.iri AS b, properties(r) AS props")


def read_mirror(server: BoltServer) -> Projection:
    """What the mirror holds now, in the shape of :func:`project`; a node whose labels
    are not ``Resource`` and one kind gets the label ``""``."""
    out = Projection()
    for row in server.read(READ_NODES, {"base": iris.BASE}):
        labels = set(row["labels"]) - {RESOURCE}
        out.nodes[row["iri"]] = (labels.pop() if len(labels) == 1 else "", dict(row["props"]))
    for row in server.read(READ_RELS, {"base": iris.BASE}):
        kind = _REL_BY_TYPE.get(row["type"])
        props = dict(row["props"])
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


@dataclass
class SyncReport:
    dialect: str
    counts: dict[str, int]
    statements: int
    seconds: float

    def summary(self) -> str:
        changes = ", ".join(f"{n} {what}" for what, n in sorted(self.counts.items()) if n) or "no changes"
        return f"{changes}; {self.statements} statements in {self.seconds:.2f} s"


Statement = tuple[str, dict[str, Any]]


def sync(store, server: BoltServer, *, batch_size: int = 1000, want: Projection | None = None,
         on_statement: Callable[[int, int], None] | None = None) -> SyncReport:
    """Bring the mirror on ``server`` up to date with ``store``; see the module notes.

    ``want`` is ``project(store)`` when the caller has it already (to mirror one store
    to several servers). ``on_statement(done, total)`` is called after each statement.

    Raises
    ------
    MirrorError
        The server failed or went away; what was written stays, and the next sync
        completes it.
    """
    t0 = time.perf_counter()
    want = project(store) if want is None else want
    try:
        _ensure_key(server)
        have = read_mirror(server)
    except BoltError as exc:
        raise MirrorError(str(exc)) from None
    todo = plan(want, have, tolerance=server.dialect.float_tolerance)
    statements = list(_statements(todo, server, batch_size))
    for done, (query, params) in enumerate(statements, start=1):
        try:
            server.write(query, params)
        except BoltError as exc:
            what = "lost the connection" if isinstance(exc, BoltUnavailable) else "failed"
            raise MirrorError(f"the sync {what} after {done - 1} of {len(statements)} statements; the mirror "
                              f"is incomplete until the next sync completes it ({exc})") from None
        if on_statement is not None:
            on_statement(done, len(statements))
    return SyncReport(server.dialect.key, dict(todo.counts), len(statements), time.perf_counter() - t0)


def _ensure_key(server: BoltServer) -> None:
    server.dialect.ensure_key(server.read, server.write)


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
            yield query, {"rows": batch}
            batch, used = [], 0
        if room is not None and size > room:
            raise MirrorError(f"a row of {size} bytes does not fit in one statement to {server.name}: {row!r:.200}")
        batch.append(row)
        used += size
    if batch:
        yield query, {"rows": batch}


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
        out.append((query, {"iri": iri, "offset": offset, "chunk": rest[:n]}))
        offset += n
        rest = rest[n:]
    return out


# --- parity --------------------------------------------------------------------------------

COUNT_NODES = ("MATCH (n:Resource) WHERE n.iri STARTS WITH $base UNWIND labels(n) AS label "
               "WITH label WHERE label <> 'Resource' RETURN label, count(*) AS n")
COUNT_RELS = ("MATCH (a:Resource)-[r]->(b:Resource) WHERE a.iri STARTS WITH $base AND b.iri STARTS WITH $base "
              "RETURN type(r) AS type, count(r) AS n")
MET_PAIRS = ("MATCH (a:Person:Resource)-[:MET_WITH]-(b:Person:Resource) WHERE a.iri < b.iri "
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
    """The store's answers: nodes per label, relationships per type, who-met-whom pairs."""
    nodes = {r["kind"]: int(r["n"]) for r in run_query(store, SPARQL_NODE_COUNTS).rows}
    rels = {k.type: int(run_query(store, sparql_rel_count(k)).rows[0]["n"]) for k in REL_KINDS}
    pairs = {(r["a"], r["b"]) for r in run_query(store, SPARQL_MET_PAIRS).rows}
    return Counts(nodes, rels, pairs)


def mirror_counts(server: BoltServer) -> Counts:
    """The mirror's answers to the same questions as :func:`store_counts`."""
    nodes = {r["label"]: int(r["n"]) for r in server.read(COUNT_NODES, {"base": iris.BASE})}
    rels = {r["type"]: int(r["n"]) for r in server.read(COUNT_RELS, {"base": iris.BASE})}
    pairs = {(r["a"], r["b"]) for r in server.read(MET_PAIRS)}
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


# --- Cypher for the common questions (docs/neo4j.md shows them) ----------------------------

WHO_MET_WHOM = """\
MATCH (a:Person)-[m:MET_WITH]->(b:Person)
RETURN a.name AS person, b.name AS met, count(m) AS times, min(m.date) AS first, max(m.date) AS last
ORDER BY times DESC, person, met
LIMIT 20"""

SCO_MEMBERS = """\
MATCH (member)-[m:MEMBER_OF]->(sco:Organization {iri: $sco})
RETURN member.name AS member, m.role AS role, m.start_date AS since, m.end_date AS until
ORDER BY role, member"""

SCO_NETWORK = """\
MATCH (sco:Organization {iri: $sco})<-[:IN_FRAMEWORK]-(e:Event)<-[:PARTICIPATED_IN]-(actor)
RETURN actor.name AS actor, count(DISTINCT e) AS sco_events
ORDER BY sco_events DESC, actor
LIMIT 25"""

AGREEMENTS_BY_YEAR = """\
MATCH (e:Event)-[:CONCLUDES|ABOUT]->(a:Agreement)
RETURN substring(e.begin, 0, 4) AS year, count(DISTINCT a) AS agreements, collect(DISTINCT a.name) AS names
ORDER BY year"""

SIGNINGS_BY_YEAR = """\
MATCH (e:Event {plover: 'AGREE'})
RETURN substring(e.begin, 0, 4) AS year, count(e) AS signings
ORDER BY year"""

QUERIES: dict[str, str] = {"who_met_whom": WHO_MET_WHOM, "sco_members": SCO_MEMBERS, "sco_network": SCO_NETWORK,
                           "agreements_by_year": AGREEMENTS_BY_YEAR, "signings_by_year": SIGNINGS_BY_YEAR}
SCO = str(iris.organization("sco"))


