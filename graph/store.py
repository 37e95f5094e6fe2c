"""The stores behind the graph, one small class each behind one interface.

``OxigraphStore`` is the default: Oxigraph's SPARQL engine on disk. A rebuild writes
a new generation beside the current one and then swaps a symlink, so a build that
fails leaves the previous graph exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from importlib import import_module
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef


class StoreError(Exception):
    """The store cannot be opened or used; the message says why."""


class MissingStoreError(StoreError):
    def __init__(self, location: str):
        self.location = location
        super().__init__(f"no graph store at {location}; run `kg build --store {location}` first")


class GraphStore(Protocol):
    """What every store offers: SPARQL queries, quads out, and an atomic full rebuild."""

    location: str

    def query(self, sparql: str) -> object: ...

    def quads(self) -> Iterator[ox.Quad]: ...

    def replace_all(self, graphs: Iterable[tuple[URIRef, Graph]]) -> int: ...

    def __len__(self) -> int: ...


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


class OxigraphStore:
    """Oxigraph on disk: ``DIR/current`` points at the live generation.

    >>> import tempfile
    >>> from rdflib import Graph, URIRef, Literal
    >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    >>> st = OxigraphStore(tempfile.mkdtemp())
    >>> st.replace_all([(URIRef("urn:g"), g)])
    1
    >>> bool(st.query("ASK { ?s ?p 'x' }"))
    True
    """

    def __init__(self, location: str | os.PathLike, *, create: bool = True):
        self.root = Path(location)
        self.location = str(location)
        self._store: ox.Store | None = None
        if not create and not self.exists():
            raise MissingStoreError(self.location)

    @property
    def current(self) -> Path:
        return self.root / "current"

    @property
    def generation(self) -> str | None:
        """Name of the live generation; it changes with every rebuild."""
        try:
            return os.readlink(self.current)
        except OSError:
            return None

    def exists(self) -> bool:
        return self.current.exists()

    def _open(self) -> ox.Store:
        if self._store is None:
            if not self.exists():
                raise MissingStoreError(self.location)
            self._store = ox.Store.read_only(str(self.current.resolve()))
        return self._store

    def query(self, sparql: str, **kwargs):
        return self._open().query(sparql, use_default_graph_as_union=True, **kwargs)

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._open().quads_for_pattern(None, None, None, None))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._open().named_graphs())

    def __len__(self) -> int:
        return len(self._open())

    def dump(self, output, fmt: ox.RdfFormat, from_graph=None) -> None:
        if from_graph is None:
            self._open().dump(output, fmt)
        else:
            self._open().dump(output, fmt, from_graph=from_graph)

    def replace_all(self, graphs: Iterable[tuple[URIRef, Graph]]) -> int:
        """Write all graphs as a new generation, then make it the live one in one step."""
        return self.replace_quads(to_quads(graphs))

    def replace_quads(self, quads: Iterable[ox.Quad]) -> int:
        """Like ``replace_all``, from quads (an updated copy of the graph, say)."""
        self.root.mkdir(parents=True, exist_ok=True)
        gen = self.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        try:
            st = ox.Store(str(gen))
            st.bulk_extend(quads)
            st.flush()
            count = len(st)
            del st
            link = self.root / f".current-{uuid.uuid4().hex[:6]}"
            os.symlink(gen.name, link)
            old = self.current.resolve() if self.current.exists() else None
            self.close()
            os.replace(link, self.current)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        if old is not None and old != gen.resolve():
            shutil.rmtree(old, ignore_errors=True)
        return count

    def close(self) -> None:
        self._store = None


_BACKENDS: dict[str, tuple[str, str]] = {"oxigraph": ("graph.store", "OxigraphStore"),
                                         "sparql": ("graph.sparql_store", "SparqlStore")}


def register_backend(name: str, module: str, cls: str) -> None:
    _BACKENDS[name] = (module, cls)


def open_store(location: str, *, create: bool = False) -> GraphStore:
    """The store at ``location``: a directory for the embedded store; an ``http(s)://``
    URL for a SPARQL 1.1 server (where that backend is installed)."""
    name = "sparql" if location.startswith(("http://", "https://")) else "oxigraph"
    if name not in _BACKENDS:
        raise StoreError(f"no store backend for {location!r}; available: {', '.join(sorted(_BACKENDS))}")
    module, cls = _BACKENDS[name]
    return getattr(import_module(module), cls)(location, create=create)
