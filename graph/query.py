"""Running SPARQL on a store and shaping the answers for people and programs."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .vocab import PREFIXES


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



_COUNT_BY_CLASS = """
SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?c { crd:ChronicleEvent foaf:Person org:Organization schema:Country schema:Place
              crd:Agreement crd:Project crd:Passage crd:Office crd:Tenure crd:Report crd:Framework }
  ?s a/rdfs:subClassOf* ?c .
} GROUP BY ?c
"""

_MET = "SELECT (COUNT(*) AS ?n) WHERE { ?a crd:metWith ?b . FILTER(STR(?a) < STR(?b)) }"


def stats(store) -> dict[str, int]:
    """Counts users ask for first: statements, events, persons, organizations, who-met-whom pairs."""
    out = {"statements": len(store)}
    names = {"ChronicleEvent": "events", "Person": "persons", "Organization": "organizations",
             "Country": "countries", "Place": "places", "Agreement": "agreements", "Project": "projects",
             "Passage": "passages", "Office": "offices", "Tenure": "office_terms", "Report": "reports",
             "Framework": "frameworks (not organizations)"}
    counts = {}
    for row in run_query(store, _COUNT_BY_CLASS).rows:
        key = row["c"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        counts[names.get(key, key)] = int(row["n"])
    for key in names.values():
        out[key] = counts.get(key, 0)
    out["met_pairs"] = int(run_query(store, _MET).rows[0]["n"])
    return out
