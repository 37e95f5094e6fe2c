"""The graph at a glance, kept per store generation.

    >>> from graph.examples import example_store
    >>> stats(example_store())["persons"]
    2
"""

from __future__ import annotations

from ..sparql.run import run_query
from .nodes import per_generation

__all__ = ["stats"]


_COUNT_BY_CLASS = """
SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?c { crd:ChronicleEvent foaf:Person org:Organization schema:Country schema:Place
              crd:Agreement crd:Project crd:Passage crd:Office crd:Tenure crd:Report crd:Framework }
  ?s a/rdfs:subClassOf* ?c .
} GROUP BY ?c
"""

_MET = "SELECT (COUNT(*) AS ?n) WHERE { ?a crd:metWith ?b . FILTER(STR(?a) < STR(?b)) }"
_MEETINGS = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?entry sem:hasSubEvent ?m }"


@per_generation
def stats(store) -> dict[str, int]:
    """Counts users ask for first: statements, events (chronicle entries), meetings inside
    them, persons, organizations, who-met-whom pairs."""
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
    out["meetings"] = int(run_query(store, _MEETINGS).rows[0]["n"])
    out["met_pairs"] = int(run_query(store, _MET).rows[0]["n"])
    return out

