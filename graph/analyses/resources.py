"""Any node of the graph by its IRI: what it says and what points at it, for the pages
and RDF documents that the node's IRI dereferences to.

    >>> from graph.examples import example_store
    >>> d = describe(example_store(), "person", "wang-yi")
    >>> d.ref.label, [s.predicate_label for s in d.outgoing][:2], d.incoming_total
    ('Wang Yi', ['rdf:type', 'skos:altLabel'], 2)
"""

from __future__ import annotations

import pyoxigraph as ox

from ontology.vocab import PREFIXES

from ..errors import UnknownId
from ..rdf import iris
from ..sparql import named as sparql
from . import nodes
from .models import NodeDescription, Statement

__all__ = ["describe", "node_triples", "resolve_node", "INCOMING_SHOWN"]

INCOMING_SHOWN = 500


def resolve_node(store, kind: str, key: str) -> ox.NamedNode:
    """The node ``/id/{kind}/{key}`` names, whatever its kind, or ``UnknownId``."""
    if kind not in iris.KINDS:
        raise UnknownId(kind, key, [])
    node = ox.NamedNode(nodes.iri_of(kind, key))
    if key in nodes.ids_of_kind(store, kind) or sparql.select(store, "incoming", node=node)[:1]:
        return node
    raise UnknownId(kind, key, nodes.close_matches(store, kind, key))


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and prefix != "id" and "/" not in iri[len(ns):] and "#" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _statement(p: ox.NamedNode, o, refs) -> Statement:
    if isinstance(o, ox.Literal):
        dtype = o.datatype.value if not o.language else None
        return Statement(predicate=p.value, predicate_label=_curie(p.value), value=o.value, kind="literal",
                         language=o.language or None,
                         datatype=dtype if dtype != "http://www.w3.org/2001/XMLSchema#string" else None)
    if isinstance(o, ox.BlankNode):
        return Statement(predicate=p.value, predicate_label=_curie(p.value), value=o.value, kind="bnode")
    return Statement(predicate=p.value, predicate_label=_curie(p.value), value=o.value, kind="iri",
                     node=refs.get(o.value))


def describe(store, kind: str, key: str) -> NodeDescription:
    """The statements about a node and those pointing at it (the first
    ``INCOMING_SHOWN``), each neighbour labelled.

    Raises
    ------
    UnknownId
        For an IRI the graph says nothing about.
    """
    node = resolve_node(store, kind, key)
    out = sparql.select(store, "outgoing", node=node)
    inc = sparql.select(store, "incoming", node=node)
    inc.sort(key=lambda r: (r["p"].value, r["s"].value))
    shown = inc[:INCOMING_SHOWN]
    neighbours = {r["o"] for r in out if isinstance(r["o"], ox.NamedNode) and iris.local_name(r["o"].value)}
    neighbours.update(r["s"] for r in shown if isinstance(r["s"], ox.NamedNode))
    refs = nodes.refs(store, [node, *neighbours])
    own = nodes.facts(store, [node])[node.value]
    outgoing = sorted((_statement(r["p"], r["o"], refs) for r in out),
                      key=lambda s: (s.predicate_label, s.language or "", s.value))
    incoming = [_statement(r["p"], r["s"], refs) for r in shown]
    return NodeDescription(iri=node.value, ref=refs[node.value], types=[t for t in nodes.types_of(own)],
                           outgoing=outgoing, incoming=incoming, incoming_total=len(inc))


def node_triples(store, kind: str, key: str) -> list[ox.Triple]:
    """The node's statements and those pointing at it, as triples (for RDF clients)."""
    node = resolve_node(store, kind, key)
    triples = [ox.Triple(node, r["p"], r["o"]) for r in sparql.select(store, "outgoing", node=node)]
    triples += [ox.Triple(r["s"], r["p"], node) for r in sparql.select(store, "incoming", node=node)]
    return list(dict.fromkeys(triples))
