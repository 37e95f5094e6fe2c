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

from collections.abc import Callable, Iterable, Iterator
from typing import ClassVar

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

__all__ = ["GraphStore", "StoreError", "MissingStoreError", "DamagedStoreError", "StoreCannot", "to_ox", "to_quads",
           "ContentCheck", "QuadCounter"]

#: Called with the number of statements per named graph of new content before it
#: replaces the old; raising keeps the old content.
ContentCheck = Callable[[dict[str, int]], None]


class StoreError(Exception):
    """The store cannot be opened or used; the message says why."""


class MissingStoreError(StoreError):
    def __init__(self, location: str):
        self.location = location
        super().__init__(f"no graph store at {location}; run `kg build --store {location}` first")


class DamagedStoreError(StoreError):
    def __init__(self, location: str, reason: object):
        self.location = location
        first = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
        super().__init__(f"the store at {location} is damaged and cannot be read ({first}); "
                         f"build it again with `kg build --store {location}`")


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

    def replace_all(self, graphs: Iterable[tuple[URIRef, Graph]], *, check: ContentCheck | None = None) -> int:
        """Replace the whole content with these named graphs; the number of quads
        stored. ``check`` sees the new content's statements per graph first, and may
        refuse it by raising (the old content then stays)."""
        return self.replace_quads(to_quads(graphs), check=check)

    def replace_quads(self, quads: Iterable[ox.Quad], *, check: ContentCheck | None = None) -> int:
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


class QuadCounter:
    """Counts quads per named graph as they pass.

    >>> c = QuadCounter()
    >>> q = ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode("urn:g"))
    >>> len(list(c.count([q, q]))), c.by_graph
    (2, {'urn:g': 2})
    """

    def __init__(self):
        self.by_graph: dict[str, int] = {}

    def count(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        counts = self.by_graph
        for q in quads:
            g = q.graph_name
            key = g.value if isinstance(g, ox.NamedNode) else ""
            counts[key] = counts.get(key, 0) + 1
            yield q
