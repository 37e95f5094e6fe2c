"""The default store: Oxigraph's SPARQL engine on disk.

A rebuild writes a new generation beside the current one and then swaps a symlink, so
a build that fails leaves the previous graph exactly as it was. One build writes at a
time (a lock file in the store's directory); each starts by removing what builds that
failed or were killed left behind (generations that never went live).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from .base import ContentCheck, DamagedStoreError, GraphStore, MissingStoreError, QuadCounter

__all__ = ["OxigraphStore", "batched"]

#: Quads written to a new generation at a time.
BATCH = 100_000


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Lists of at most ``size`` items, in order.

    >>> list(batched(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


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

    def is_blank(self) -> bool:
        """True when the directory holds nothing of a store (so a graph may be built
        there without replacing anything); False for one whose live generation is
        gone but other generations or files remain."""
        if not self.root.exists():
            return True
        return self.root.is_dir() and not any(p.name != ".lock" for p in self.root.iterdir())

    def _open(self) -> ox.Store:
        if self._store is None:
            if not self.exists():
                raise MissingStoreError(self.location)
            try:
                self._store = ox.Store.read_only(str(self.current.resolve()))
            except (OSError, RuntimeError, ValueError) as exc:
                raise DamagedStoreError(self.location, exc) from None
        return self._store

    def query(self, sparql: str, **kwargs):
        if "default_graph" not in kwargs:
            kwargs.setdefault("use_default_graph_as_union", True)
        return self._open().query(sparql, **kwargs)

    def quads(self) -> Iterator[ox.Quad]:
        store = self._open()
        try:
            yield from store.quads_for_pattern(None, None, None, None)
        except (OSError, RuntimeError) as exc:
            raise DamagedStoreError(self.location, exc) from None

    def named_graphs(self) -> list[str]:
        try:
            return sorted(g.value for g in self._open().named_graphs())
        except (OSError, RuntimeError) as exc:
            raise DamagedStoreError(self.location, exc) from None

    def __len__(self) -> int:
        store = self._open()
        try:
            return len(store)
        except (OSError, RuntimeError) as exc:
            raise DamagedStoreError(self.location, exc) from None

    def dump(self, output, fmt: ox.RdfFormat, from_graph=None) -> None:
        if from_graph is None:
            self._open().dump(output, fmt)
        else:
            self._open().dump(output, fmt, from_graph=from_graph)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the store's write lock, after clearing what earlier builds left."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            live = self.current.resolve() if self.current.exists() else None
            for p in self.root.iterdir():
                if p.name.startswith("gen-") and p.resolve() != live:
                    shutil.rmtree(p, ignore_errors=True)
                elif p.name.startswith(".current-"):
                    p.unlink(missing_ok=True)
            yield

    def replace_quads(self, quads: Iterable[ox.Quad], *, check: ContentCheck | None = None) -> int:
        """Write the quads as a new generation, then make it the live one in one step
        (unless ``check`` refuses it)."""
        with self._writing():
            gen = self.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
            try:
                st = ox.Store(str(gen))
                counter = QuadCounter()
                for batch in batched(counter.count(quads), BATCH):
                    # bulk_extend holds all it is given at once: batches keep a build's memory flat
                    st.bulk_extend(batch)
                st.flush()
                count = len(st)
                del st
                if check is not None:
                    check(counter.by_graph)
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
