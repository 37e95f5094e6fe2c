"""The whole graph written out: to a file (``export``, what ``kg export`` runs) or as a
stream of bytes for answers sent while they are written (``iter_export`` runs ``export``
in a thread and hands its output over in chunks; a consumer that stops early, a client
that hangs up, stops the writer too).

    >>> sorted(FORMATS)
    ['jsonld', 'nquads', 'ntriples', 'trig', 'turtle']

    >>> from graph.examples import example_store
    >>> chunks = list(iter_export(example_store(), "ntriples"))
    >>> sum(len(c) for c in chunks) > 1000, chunks[0][:1]
    (True, b'<')
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import pyoxigraph as ox

from ontology.vocab import PREFIXES

__all__ = ["FORMATS", "UnknownFormatError", "export", "iter_export"]

FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "trig": (ox.RdfFormat.TRIG, True),
    "jsonld": (ox.RdfFormat.JSON_LD, False),
}


class UnknownFormatError(ValueError):
    def __init__(self, name: str):
        self.name = name
        super().__init__(f"unknown export format {name!r}; choose one of: {', '.join(sorted(FORMATS))}")


def export(store, fmt: str, output) -> int:
    """Write the whole graph: named graphs kept for quad formats, merged for triple formats
    (the ontology's axioms included either way). Returns the number of statements."""
    if fmt not in FORMATS:
        raise UnknownFormatError(fmt)
    rdf_format, quads = FORMATS[fmt]
    if quads:
        items = list(store.quads())
    else:
        seen = set()
        items = []
        for q in store.quads():
            t = q.triple
            if t not in seen:
                seen.add(t)
                items.append(t)
        items.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    if prefixes:
        ox.serialize(items, output, rdf_format, prefixes=prefixes)
    else:
        ox.serialize(items, output, rdf_format)
    return len(items)

_DONE = object()


class _Stopped(Exception):
    pass


class _QueueWriter:
    def __init__(self, q: queue.Queue, stop: threading.Event):
        self._q, self._stop = q, stop

    def write(self, data) -> int:
        if self._stop.is_set():
            raise _Stopped()
        chunk = bytes(data)
        while True:
            try:
                self._q.put(chunk, timeout=0.5)
                return len(chunk)
            except queue.Full:
                if self._stop.is_set():
                    raise _Stopped() from None

    def flush(self) -> None:
        pass


def iter_export(store, fmt: str, *, buffered_chunks: int = 64) -> Iterator[bytes]:
    """The export of the whole graph in ``fmt`` (a name of ``FORMATS``),
    chunk by chunk.

    Raises
    ------
    UnknownFormatError
        At once, for a format that does not exist.
    """
    if fmt not in FORMATS:
        raise UnknownFormatError(fmt)
    q: queue.Queue = queue.Queue(maxsize=buffered_chunks)
    stop = threading.Event()
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            export(store, fmt, _QueueWriter(q, stop))
        except _Stopped:
            return
        except BaseException as exc:
            failure.append(exc)
        finally:
            while not stop.is_set():
                try:
                    q.put(_DONE, timeout=0.5)
                    break
                except queue.Full:
                    continue

    def consume() -> Iterator[bytes]:
        threading.Thread(target=produce, name="kg-export", daemon=True).start()
        try:
            while True:
                chunk = q.get()
                if chunk is _DONE:
                    break
                yield chunk
            if failure:
                raise failure[0]
        finally:
            stop.set()

    return consume()
