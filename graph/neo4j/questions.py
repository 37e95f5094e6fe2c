"""Cypher for the questions analysts put to the mirror, one file each in
``graph/neo4j/queries/NAME.cypher`` (a comment saying what it answers and which
parameters it takes, then the statement). docs/neo4j.md shows them as they are, and the
tests run each on a real Neo4j against the answer of SPARQL on the store.

    >>> QUESTIONS[0], parameters("met_in_period")
    ('met_in_period', ['from', 'to'])
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .cypher import tokens

__all__ = ["QUESTIONS", "load", "parameters", "title"]

#: In the order docs/neo4j.md presents them.
QUESTIONS: tuple[str, ...] = (
    "met_in_period", "counterparts_by_year", "sco_members_on", "agreements_by_year_and_party", "shortest_path",
    "commission_system", "office_holders_on", "meetings_in_entries", "evidence_of_meetings", "trade_figures",
)


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of ``queries/NAME.cypher``, its comment included."""
    if name not in QUESTIONS:
        raise KeyError(f"no Cypher question {name!r}; known: {', '.join(QUESTIONS)}")
    return resources.files("graph.neo4j").joinpath("queries", f"{name}.cypher").read_text(encoding="utf-8")


def parameters(name: str) -> list[str]:
    """The ``$names`` the question takes, in order of first use."""
    seen: dict[str, None] = {}
    for t in tokens(load(name)):
        if t.kind == "param":
            seen.setdefault(t.text[1:].strip("`"), None)
    return list(seen)


def title(name: str) -> str:
    """What the question answers: its leading comment, on one line.

    >>> title("sco_members_on")
    "The SCO's member states on a date ($date), with the day each joined."
    """
    lines = []
    for line in load(name).splitlines():
        if not line.startswith("//"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines)
