"""What every command shares: exit codes, the one-line failure, the store a command names."""

from __future__ import annotations

import sys

__all__ = ["EXIT_USAGE", "EXIT_INPUT", "EXIT_STORE", "EXIT_MIRROR", "EXIT_PARITY", "fail", "store_of"]

# 2 usage, 3 bad input, 4 store, 5 Neo4j server or sync, 6 mirror parity mismatch
EXIT_USAGE, EXIT_INPUT, EXIT_STORE, EXIT_MIRROR, EXIT_PARITY = 2, 3, 4, 5, 6


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
