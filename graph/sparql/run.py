"""Running the project's own SPARQL on a store, in this process, and shaping the answers
(counts for ``kg stats``, the mirror's reads). A user's query goes through
``graph.sparql.execute`` in a query worker instead (``kg query``, ``/sparql``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ontology.vocab import PREFIXES


class QueryError(ValueError):
    """A query that cannot run: the parser's message, with its position where known."""


PROLOGUE = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())


@dataclass
class QueryResult:
    kind: str  # "bindings", "boolean" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    boolean: bool | None = None
    turtle: str = ""


def _text(term) -> str:
    return term.value if hasattr(term, "value") else str(term)


def run_query(store, sparql: str, *, prologue: bool = True) -> QueryResult:
    """Run a SPARQL query; the standard prefixes (crd, sem, foaf, org, schema, skos,
    prov, dcterms …) are declared for the caller unless ``prologue`` is False."""
    text = PROLOGUE + sparql if prologue else sparql
    try:
        res = store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL: {exc}") from None
    except (ValueError, OSError) as exc:
        raise QueryError(f"query failed: {exc}") from None
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        rows = [{v: _text(sol[v]) for v in variables if sol[v] is not None} for sol in res]
        return QueryResult("bindings", variables, rows)
    if isinstance(res, ox.QueryBoolean):
        return QueryResult("boolean", boolean=bool(res))
    data = ox.serialize(list(res), None, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return QueryResult("graph", turtle=data.decode())
