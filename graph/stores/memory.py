"""The graph held in memory, for serving and for small graphs.

Oxigraph in memory answers without the on-disk store's index I/O, and the graph (tens
of thousands of statements per report) fits easily. Over an origin store,
``MemoryStore`` reads the origin once, answers from RAM, notices a rebuild of a
versioned origin (``kg build`` while the service runs) and reads the new generation in
the background, and writes SPARQL updates through to an updatable origin as its new
content.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from .base import GraphStore, StoreCannot

__all__ = ["MemoryStore", "serving_store"]

log = logging.getLogger(__name__)


class MemoryStore(GraphStore):
    """A graph in RAM: empty, a copy of an ``origin`` store kept in step with it, or
    the quads it is given.

    ``generation`` counts the copies: it changes whenever the graph served changes, so
    caches keyed on it stay correct (reading it also looks for a rebuilt origin).

    >>> import tempfile
    >>> from rdflib import Graph, URIRef, Literal
    >>> from graph.stores.oxigraph import OxigraphStore
    >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    >>> disk = OxigraphStore(tempfile.mkdtemp()); disk.replace_all([(URIRef("urn:g"), g)])
    1
    >>> mem = MemoryStore(origin=disk)
    >>> bool(mem.query("ASK { ?s ?p 'x' }")), len(mem), mem.generation
    (True, 1, 1)
    >>> mem.update("INSERT DATA { GRAPH <urn:g> { <urn:b> <urn:p> 'y' } }")
    >>> len(mem), len(OxigraphStore(disk.location)), mem.generation
    (2, 2, 2)
    """

    versioned = True
    atomic_replace = True
    updatable = True

    def __init__(self, location: str = "memory:", *, create: bool = True, origin: GraphStore | None = None,
                 check_every: float = 1.0, **_options):
        self.origin = origin
        self.location = origin.location if origin is not None else location
        self.check_every = check_every
        self._write = threading.Lock()
        self._reloading = threading.Lock()
        self._checked = time.monotonic()
        self._store, self._origin_generation = self._read() if origin is not None else (ox.Store(), None)
        self._generation = 1

    @classmethod
    def of(cls, quads: Iterable[ox.Quad], location: str = "memory:") -> MemoryStore:
        """A store holding these quads."""
        st = cls(location)
        st._store.bulk_extend(quads)
        return st

    @property
    def generation(self) -> int:
        self._follow_origin()
        return self._generation

    def _read(self) -> tuple[ox.Store, object]:
        gen = self.origin.generation
        st = ox.Store()
        st.bulk_extend(self.origin.quads())
        # The read-only handle would pin a generation that the next build deletes.
        self.origin.close()
        return st, gen

    def _follow_origin(self) -> None:
        if self.origin is None or not self.origin.versioned:
            return
        now = time.monotonic()
        if now - self._checked < self.check_every:
            return
        self._checked = now
        if self.origin.generation == self._origin_generation:
            return
        if self._reloading.acquire(blocking=False):
            threading.Thread(target=self._reload, name="kg-reload", daemon=True).start()

    def _reload(self) -> None:
        try:
            with self._write:
                st, gen = self._read()
                self._store, self._origin_generation = st, gen
                self._generation += 1
            log.info("serving generation %s of %s", gen, self.location)
        except Exception as exc:  # the previous copy keeps serving; the next check tries again
            log.warning("could not read the rebuilt store at %s: %s", self.location, exc)
        finally:
            self._reloading.release()

    def refresh(self) -> bool:
        """Read the origin again now if it changed; True when the copy was replaced."""
        if self.origin is None or self.origin.generation == self._origin_generation:
            return False
        with self._reloading:
            with self._write:
                self._store, self._origin_generation = self._read()
                self._generation += 1
        return True

    def query(self, sparql: str, **kwargs):
        self._follow_origin()
        if "default_graph" not in kwargs:
            kwargs.setdefault("use_default_graph_as_union", True)
        return self._store.query(sparql, **kwargs)

    def update(self, sparql: str, **kwargs) -> None:
        """Apply an update to a copy, write the copy to the origin, then serve it: a
        failure anywhere leaves both the served graph and the origin as they were."""
        if self.origin is not None and not self.origin.updatable:
            raise StoreCannot(f"the store at {self.location} cannot take updates")
        with self._write:
            st = ox.Store()
            st.bulk_extend(self._store.quads_for_pattern(None, None, None, None))
            st.update(sparql, **kwargs)
            if self.origin is not None:
                self.origin.replace_quads(st.quads_for_pattern(None, None, None, None))
                self._origin_generation = self.origin.generation
            self._store = st
            self._generation += 1

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._store.quads_for_pattern(None, None, None, None))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def replace_quads(self, quads: Iterable[ox.Quad]) -> int:
        if self.origin is not None:
            count = self.origin.replace_quads(quads)
            self.refresh()
            return count
        st = ox.Store()
        st.bulk_extend(quads)
        with self._write:
            self._store = st
            self._generation += 1
        return len(st)

    def replace_all(self, graphs) -> int:
        if self.origin is not None:
            count = self.origin.replace_all(graphs)
            self.refresh()
            return count
        return super().replace_all(graphs)

    def __len__(self) -> int:
        return len(self._store)


def serving_store(store: GraphStore) -> GraphStore:
    """The store to serve from: a versioned store on this machine (the embedded one) is
    copied into memory; a SPARQL server is queried where it is."""
    return MemoryStore(origin=store) if store.versioned and not isinstance(store, MemoryStore) else store
