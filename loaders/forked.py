"""A call made in a forked process while this one goes on: how a build uses its second
core (the loaders read half the entries beside the other half; the reference data is
mapped to RDF while the report is read).

A process running other threads is not forked (a lock one of them holds would stay held
in the child for good), nor is one on a system without ``fork``: there, or if the child
fails, the call is made here when its result is asked for, so the result is the same
either way and an error is raised here, as if nothing had been forked.
"""

from __future__ import annotations

import multiprocessing
import pickle
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["ForkedCall", "can_fork"]

T = TypeVar("T")


def can_fork() -> bool:
    """Whether this process may fork a helper: no other thread runs, and the system forks."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


class ForkedCall(Generic[T]):
    """``fn(*args)``, computed in a forked child from the moment this is made; ``result()``
    waits for it. The child reads the caller's memory as it was at the fork, so
    ``args`` are not copied; the result comes back pickled.

    >>> with ForkedCall(sum, [1, 2, 3]) as call:
    ...     call.result()
    6
    """

    def __init__(self, fn: Callable[..., T], *args):
        self._fn, self._args = fn, args
        self._child = self._conn = None
        if can_fork():
            ctx = multiprocessing.get_context("fork")
            self._conn, child_end = ctx.Pipe(duplex=False)
            self._child = ctx.Process(target=self._run, args=(child_end,), daemon=True)
            self._child.start()
            child_end.close()

    @property
    def forked(self) -> bool:
        return self._child is not None

    def _run(self, conn) -> None:
        try:
            conn.send_bytes(pickle.dumps(self._fn(*self._args), protocol=pickle.HIGHEST_PROTOCOL))
        except BaseException:
            pass  # the caller makes the call itself, and meets the error there
        finally:
            conn.close()

    def result(self) -> T:
        if self._child is not None:
            try:
                data = self._conn.recv_bytes()
            except (EOFError, OSError):
                data = None
            self.close()
            if data is not None:
                return pickle.loads(data)
        return self._fn(*self._args)

    def close(self) -> None:
        """Let the child go (killed if it is still working: its result is not wanted)."""
        if self._child is not None:
            self._conn.close()
            self._child.join(timeout=0.5)
            if self._child.is_alive():
                self._child.kill()
                self._child.join()
            self._child = None

    def __enter__(self) -> ForkedCall[T]:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
