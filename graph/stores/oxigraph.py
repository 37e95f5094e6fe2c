"""The default store: Oxigraph's SPARQL engine on disk.

A rebuild writes a new generation beside the current one and then swaps a symlink, so
a build that fails leaves the previous graph exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from .base import GraphStore, MissingStoreError

__all__ = ["OxigraphStore"]


class OxigraphStore(GraphStore):
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

    versioned = True
    atomic_replace = True
    updatable = True

    def __init__(self, location: str | os.PathLike, *, create: bool = True, **_options):
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

    def replace_quads(self, quads: Iterable[ox.Quad]) -> int:
        """Write the quads as a new generation, then make it the live one in one step."""
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
