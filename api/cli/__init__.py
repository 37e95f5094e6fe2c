"""The ``kg`` command: one module per subcommand, each with ``register(subparsers)``.

Every failure is one line on stderr naming the problem, and a documented exit code
(``common``).
"""

from __future__ import annotations

import argparse
import sys

from . import bench, build, export, mirror, query, serve, stats, viz
from .common import EXIT_INPUT, EXIT_MIRROR, EXIT_PARITY, EXIT_STORE, EXIT_USAGE, fail

__all__ = ["main", "parser", "COMMANDS", "EXIT_USAGE", "EXIT_INPUT", "EXIT_STORE", "EXIT_MIRROR", "EXIT_PARITY"]

COMMANDS = (build, export, query, stats, serve, mirror, viz, bench)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="China–Russia Dialogue knowledge graph")
    sub = p.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    from graph.stores import StoreError
    from loaders.errors import LoaderError
    from ontology.reference import ReferenceDataError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (LoaderError, ReferenceDataError) as exc:
        return fail(str(exc), EXIT_INPUT)
    except StoreError as exc:
        return fail(str(exc), EXIT_STORE)
    except FileNotFoundError as exc:
        return fail(f"no such file: {exc.filename}", EXIT_INPUT)
    except OSError as exc:
        return fail(f"{exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}", EXIT_STORE)


if __name__ == "__main__":
    sys.exit(main())
