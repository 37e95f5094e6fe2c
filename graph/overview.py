"""The graph at a glance, kept per store generation.

    >>> from graph.examples import example_store
    >>> stats(example_store())["persons"]
    2
"""

from __future__ import annotations

from . import query
from .nodes import per_generation

__all__ = ["stats"]


@per_generation
def stats(store) -> dict[str, int]:
    """``graph.query.stats``: statements, events, persons, organizations, who-met-whom pairs …"""
    return query.stats(store)
