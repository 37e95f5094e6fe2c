"""The whole graph as a stream of bytes, for answers sent while they are written.

``iter_export`` runs ``graph.dataset.export`` (the code ``kg export`` uses) in a thread
and hands its output over in chunks as the serializer writes them; a consumer that
stops early (a client that hangs up) stops the writer too.

    >>> from graph.examples import example_store
    >>> chunks = list(iter_export(example_store(), "ntriples"))
    >>> sum(len(c) for c in chunks) > 1000, chunks[0][:1]
    (True, b'<')
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from .dataset import FORMATS, UnknownFormatError, export

__all__ = ["iter_export"]

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
    """The export of the whole graph in ``fmt`` (a name of ``graph.dataset.FORMATS``),
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
