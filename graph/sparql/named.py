"""Named queries (``graph/sparql/queries/*.rq``) run with values bound, never pasted in.

A value reaches a query as an RDF term built by pyoxigraph (which refuses an invalid
IRI and escapes a literal) and written into a trailing ``VALUES`` block: the query
text itself never changes with the request.

    >>> import pyoxigraph as ox
    >>> values(a=ox.NamedNode("https://w3id.org/china-russia-dialogue/id/person/wang-yi"))
    'VALUES (?a) { (<https://w3id.org/china-russia-dialogue/id/person/wang-yi>) }'
    >>> values(t=[ox.Literal('say "hi"'), ox.Literal("AGREE")])
    'VALUES (?t) { ("say \\\\"hi\\\\"") ("AGREE") }'
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from importlib import resources
from itertools import product

import pyoxigraph as ox

from ontology.rules import MEETING_TYPES
from ontology.vocab import PREFIXES

__all__ = ["load", "render", "values", "select", "ask", "py", "XSD_DATE"]

XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
_Term = ox.NamedNode | ox.Literal


# A query names the meeting types as an empty VALUES block with this comment; ``render``
# fills it from the one definition (``ontology.rules.MEETING_TYPES``).
_MEETING_TYPES = re.compile(r"VALUES\s+\?(\w+)\s*\{\s*\}(\s*#\s*the meeting types\b)")


def render(text: str) -> str:
    """Query text with the project's named value lists filled in.

    >>> render("VALUES ?t {}  # the meeting types")
    'VALUES ?t { "CONSULT" "AGREE" }  # the meeting types'
    """
    return _MEETING_TYPES.sub(
        lambda m: f"VALUES ?{m[1]} {{ {' '.join(str(ox.Literal(t)) for t in MEETING_TYPES)} }}{m[2]}", text)


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of ``graph/sparql/queries/NAME.rq``, rendered."""
    return render(resources.files("graph.sparql").joinpath("queries", f"{name}.rq").read_text(encoding="utf-8"))


def values(**bindings: _Term | list[_Term] | None) -> str:
    """A ``VALUES`` block: each variable bound to a term or to each of a list of terms
    (all combinations); None leaves a variable free."""
    names, columns = [], []
    for name, value in bindings.items():
        if value is None:
            continue
        terms = value if isinstance(value, list) else [value]
        for t in terms:
            if not isinstance(t, (ox.NamedNode, ox.Literal)):
                raise TypeError(f"only IRIs and literals can be bound, not {t!r}")
        names.append(name)
        columns.append(terms)
    if not names:
        return ""
    rows = " ".join("(" + " ".join(str(t) for t in row) + ")" for row in product(*columns))
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {rows} }}"


def select(store, name: str, **bindings) -> list[dict[str, object]]:
    """Run the named ``SELECT`` with the bindings; rows map variable names to terms.

    A binding to an empty list matches nothing, as ``VALUES`` with no rows would.
    """
    if any(isinstance(v, list) and not v for v in bindings.values()):
        return []
    text = load(name) + "\n" + values(**bindings)
    res = store.query(text, prefixes=PREFIXES)
    names = [v.value for v in res.variables]
    return [{n: sol[i] for i, n in enumerate(names) if sol[i] is not None} for sol in res]


def ask(store, name: str, **bindings) -> bool:
    return bool(store.query(load(name) + "\n" + values(**bindings), prefixes=PREFIXES))


def py(term):
    """The Python value of a term: str for IRIs and strings, ``date``, int, bool.

    >>> py(ox.Literal("2020-04-14", datatype=XSD_DATE))
    datetime.date(2020, 4, 14)
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value
        try:
            if dtype == XSD_DATE.value:
                return dt.date.fromisoformat(term.value)
            if dtype.endswith("#integer") or dtype.endswith("#int"):
                return int(term.value)
            if dtype.endswith("#boolean"):
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    return term.value
