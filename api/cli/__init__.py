"""The ``kg`` command: one module per subcommand, each with ``register(subparsers)``.

Every failure is one line on stderr naming the problem, and a documented exit code
(``common``).
"""

from __future__ import annotations

import argparse
import sys

from . import bench, build, export, mirror, query, serve, stats, viz
from .common import EXIT_INPUT, EXIT_LIMIT, EXIT_MIRROR, EXIT_PARITY, EXIT_STORE, EXIT_USAGE, fail

__all__ = ["main", "parser", "COMMANDS", "EXIT_USAGE", "EXIT_INPUT", "EXIT_STORE", "EXIT_MIRROR", "EXIT_PARITY",
           "EXIT_LIMIT"]

COMMANDS = (build, export, query, stats, serve, mirror, viz, bench)


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line too (``kg COMMAND -h`` shows the usage)."""

    def error(self, message: str):
        fail(f"{self.prog}: {message}", EXIT_USAGE)
        sys.exit(EXIT_USAGE)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kg", description="China–Russia Dialogue knowledge graph")
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    from graph.build import GraphLoss
    from graph.stores import StoreError
    from loaders.errors import LoaderError
    from ontology.reference import ReferenceDataError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (LoaderError, ReferenceDataError, GraphLoss) as exc:
        return fail(str(exc), EXIT_INPUT)
    except StoreError as exc:
        return fail(str(exc), EXIT_STORE)
    except FileNotFoundError as exc:
        return fail(f"no such file: {exc.filename or exc}", EXIT_INPUT)
    except OSError as exc:
        where = getattr(exc, "filename", None)
        return fail(f"{exc.strerror or exc}" + (f": {where}" if where else ""), EXIT_STORE)
    except KeyboardInterrupt:
        return fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
