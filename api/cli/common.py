"""What every command shares: exit codes, the one-line failure, the store a command names."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["EXIT_USAGE", "EXIT_INPUT", "EXIT_STORE", "EXIT_MIRROR", "EXIT_PARITY", "EXIT_LIMIT", "fail", "store_of",
           "replacing"]

# 2 usage (a bad option, query or port), 3 bad input (a report that cannot be read, or one that would lose
# part of the graph), 4 store (missing, damaged, unreachable), 5 Neo4j server or sync, 6 mirror parity
# mismatch, 7 a query stopped by the time or memory limit
EXIT_USAGE, EXIT_INPUT, EXIT_STORE, EXIT_MIRROR, EXIT_PARITY, EXIT_LIMIT = 2, 3, 4, 5, 6, 7


def fail(message: str, code: int) -> int:
    """Say what went wrong in one line on stderr; the exit code to return."""
    print(f"kg: error: {message}", file=sys.stderr)
    return code


def store_of(args, *, create: bool = False):
    """The store ``--store`` names (else the settings'), opened with the settings' options."""
    from graph.stores import open_store

    from ..settings import Settings

    settings = Settings()
    return open_store(args.store or settings.store, create=create, **settings.store_options())


@contextmanager
def replacing(path: str | os.PathLike) -> Iterator:
    """A binary file that becomes ``path`` only when the block ends without an error:
    written beside it under a temporary name, renamed into place, removed on failure."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
