"""/sparql answers a query in the standard vocabularies alone, through SPARQLWrapper over
real HTTP, with what the Turtle export holds."""

from __future__ import annotations

import pytest
import rdflib
from SPARQLWrapper import JSON, SPARQLWrapper

from api.settings import Settings
from helpers.services import live_service

QUERY = """PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT DISTINCT ?e ?p WHERE { ?e sem:hasActor ?p . ?p a foaf:Person }"""
OWN = """PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?e ?p WHERE { ?e ?r ?p . ?r rdfs:subPropertyOf* sem:hasActor . ?p a/rdfs:subClassOf* foaf:Person }"""


@pytest.fixture(scope="module")
def endpoint(store):
    with live_service(Settings(store=store.location)) as url:
        yield url + "/sparql"


def _pairs(url: str, query: str) -> set[tuple[str, str]]:
    w = SPARQLWrapper(url)
    w.setQuery(query)
    w.setReturnFormat(JSON)
    return {(b["e"]["value"], b["p"]["value"]) for b in w.queryAndConvert()["results"]["bindings"]}


def test_every_person_acting_in_every_event_at_sparql(endpoint, turtle_file):
    served = _pairs(endpoint, QUERY)
    assert served == _pairs(endpoint, OWN)
    g = rdflib.Graph()
    g.parse(turtle_file, format="turtle")
    assert served == {(str(e), str(p)) for e, p in g.query(QUERY)}
    assert len(served) > 300
