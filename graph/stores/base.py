"""What every store is: one small class behind one interface (rdflib's ``Store``).

A store declares what it can do as class attributes, so callers ask the store instead
of probing it:

- ``versioned``: ``generation`` names the graph it holds and changes with every
  rebuild (caches keyed on it stay correct); an unversioned store's is None;
- ``atomic_replace``: ``replace_all`` swaps every graph in one step, so readers never
  see a mix of old and new graphs;
- ``updatable``: it takes SPARQL Update (``update``) and whole new content
  (``replace_quads``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

__all__ = ["GraphStore", "StoreError", "MissingStoreError", "StoreCannot", "to_ox", "to_quads"]


class StoreError(Exception):
    """The store cannot be opened or used; the message says why."""


class MissingStoreError(StoreError):
    def __init__(self, location: str):
        self.location = location
        super().__init__(f"no graph store at {location}; run `kg build --store {location}` first")


class StoreCannot(StoreError):
    """The store does not offer what was asked (an update of a read-only store, say)."""


class GraphStore:
    """The interface: SPARQL queries, quads out, an atomic full rebuild, and the
    capabilities below. Defaults cover what a store need not implement itself."""

    versioned: ClassVar[bool] = False
    atomic_replace: ClassVar[bool] = False
    updatable: ClassVar[bool] = False

    location: str = ""

    @property
    def generation(self) -> object | None:
        """Names the graph held now (None for an unversioned store)."""
        return None

    def query(self, sparql: str, **kwargs):
        """Run SPARQL with the union of the named graphs as the default graph (unless
        ``default_graph`` says otherwise); pyoxigraph's result types."""
        raise NotImplementedError

    def quads(self) -> Iterator[ox.Quad]:
        raise NotImplementedError

    def named_graphs(self) -> list[str]:
        return sorted({q.graph_name.value for q in self.quads() if isinstance(q.graph_name, ox.NamedNode)})

    def replace_all(self, graphs: Iterable[tuple[URIRef, Graph]]) -> int:
        """Replace the whole content with these named graphs; the number of quads stored."""
        return self.replace_quads(to_quads(graphs))

    def replace_quads(self, quads: Iterable[ox.Quad]) -> int:
        raise StoreCannot(f"the store at {self.location} cannot be written")

    def update(self, sparql: str, **kwargs) -> None:
        raise StoreCannot(f"the store at {self.location} cannot take updates")

    def exists(self) -> bool:
        """True when the store holds a graph to serve."""
        return True

    def close(self) -> None:
        """Let go of files or connections (the store opens them again when asked)."""

    def __len__(self) -> int:
        raise NotImplementedError


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_quads(graphs: Iterable[tuple[URIRef, Graph]]) -> Iterator[ox.Quad]:
    for name, g in graphs:
        gn = ox.NamedNode(str(name))
        for s, p, o in g:
            yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), gn)
