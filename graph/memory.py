"""The graph held in memory for serving, kept in step with the store it was read from.

Oxigraph in memory answers without the on-disk store's index I/O, and the graph
(tens of thousands of statements per report) fits easily. ``MemoryStore`` reads its origin once, answers from RAM, notices
a rebuild of the origin (``kg build`` while the service runs) and reads the new
generation in the background, and writes SPARQL updates through to the origin as a
new generation.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox

from .store import GraphStore, OxigraphStore

__all__ = ["MemoryStore", "serving_store"]

log = logging.getLogger(__name__)


class MemoryStore:
    """A copy in RAM of another store, with the same interface.

    ``generation`` counts the copies: it changes whenever the graph served changes, so
    caches keyed on it stay correct (reading it also looks for a rebuilt origin).

    >>> import tempfile
    >>> from rdflib import Graph, URIRef, Literal
    >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    >>> disk = OxigraphStore(tempfile.mkdtemp()); disk.replace_all([(URIRef("urn:g"), g)])
    1
    >>> mem = MemoryStore(disk)
    >>> bool(mem.query("ASK { ?s ?p 'x' }")), len(mem), mem.generation
    (True, 1, 1)
    >>> mem.update("INSERT DATA { GRAPH <urn:g> { <urn:b> <urn:p> 'y' } }")
    >>> len(mem), len(OxigraphStore(disk.location)), mem.generation
    (2, 2, 2)
    """

    def __init__(self, origin: GraphStore, *, check_every: float = 1.0):
        self.origin = origin
        self.location = origin.location
        self.check_every = check_every
        self._generation = 0
        self._write = threading.Lock()
        self._reloading = threading.Lock()
        self._checked = time.monotonic()
        self._store, self._origin_generation = self._read()
        self._generation = 1

    @property
    def generation(self) -> int:
        self._follow_origin()
        return self._generation

    def _read(self) -> tuple[ox.Store, object]:
        gen = getattr(self.origin, "generation", None)
        st = ox.Store()
        st.bulk_extend(self.origin.quads())
        close = getattr(self.origin, "close", None)
        if close is not None:
            # The read-only handle would pin a generation that the next build deletes.
            close()
        return st, gen

    def _follow_origin(self) -> None:
        now = time.monotonic()
        if now - self._checked < self.check_every:
            return
        self._checked = now
        if getattr(self.origin, "generation", None) == self._origin_generation:
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
        if getattr(self.origin, "generation", None) == self._origin_generation:
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
        with self._write:
            st = ox.Store()
            st.bulk_extend(self._store.quads_for_pattern(None, None, None, None))
            st.update(sparql, **kwargs)
            writer = getattr(self.origin, "replace_quads", None)
            if writer is None:
                raise TypeError(f"the store at {self.location} cannot take updates")
            writer(st.quads_for_pattern(None, None, None, None))
            self._store, self._origin_generation = st, getattr(self.origin, "generation", None)
            self._generation += 1

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._store.quads_for_pattern(None, None, None, None))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def replace_all(self, graphs) -> int:
        count = self.origin.replace_all(graphs)
        self.refresh()
        return count

    def __len__(self) -> int:
        return len(self._store)


def serving_store(store: GraphStore) -> GraphStore:
    """The store to serve from: the embedded store is copied into memory; a SPARQL
    server is queried where it is."""
    return MemoryStore(store) if isinstance(store, OxigraphStore) else store
