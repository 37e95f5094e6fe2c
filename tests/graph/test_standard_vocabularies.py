"""The contract's standard terms are stated, not left to inference: over the Turtle export
read by rdflib, a query in SEM, FOAF, ORG, schema.org and PROV alone finds what the
project's own subclasses and subproperties say."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import RDF

from graph.rdf.mapping import StandardTerms, ontology_graph

SEM = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
ID = "https://w3id.org/china-russia-dialogue/id/"
STANDARD_ONLY = """
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT DISTINCT ?e ?p WHERE { ?e sem:hasActor ?p . ?p a foaf:Person }"""
# The project's own definition: an actor through sem:hasActor or any subproperty, a person
# through foaf:Person or any subclass (what a reasoner would conclude).
WITH_SUBTERMS = """
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?e ?p WHERE { ?e ?r ?p . ?r rdfs:subPropertyOf* sem:hasActor . ?p a/rdfs:subClassOf* foaf:Person }"""


@pytest.fixture(scope="module")
def graph(turtle_file) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(turtle_file, format="turtle")
    return g


def test_every_person_acting_in_every_event_by_standard_terms_alone(graph):
    standard = {(str(e), str(p)) for e, p in graph.query(STANDARD_ONLY)}
    own = {(str(e), str(p)) for e, p in graph.query(WITH_SUBTERMS)}
    assert standard == own
    assert len(standard) > 300
    # the foreign ministers' call of 14 April 2020, where the entry names only the offices
    call = {e for e, p in standard if p == ID + "person/wang-yi"} & {e for e, p in standard
                                                                      if p == ID + "person/sergey-lavrov"}
    assert any("/event/crd-2021-zh-20200414-" in e for e in call)


def test_every_node_carries_the_standard_class_of_its_own_class(graph):
    terms = StandardTerms.of(ontology_graph())
    missing = [(s, c) for s, own in graph.subject_objects(RDF.type) for c in terms.classes.get(own, ())
               if (s, RDF.type, c) not in graph]
    assert missing == []
    for cls, at_least in ((FOAF.Person, 900), (SEM.Event, 644),
                          (rdflib.URIRef("http://www.w3.org/ns/org#Organization"), 500),
                          (rdflib.URIRef("https://schema.org/Country"), 190),
                          (rdflib.URIRef("https://schema.org/Place"), 300),
                          (rdflib.URIRef("http://www.w3.org/ns/prov#Entity"), 644)):
        assert len(set(graph.subjects(RDF.type, cls))) >= at_least, cls


def test_every_statement_is_also_made_with_the_standard_property(graph):
    terms = StandardTerms.of(ontology_graph())
    missing = [(s, p, o) for p, standard in terms.properties.items() for s, o in graph.subject_objects(p)
               for q in standard if (s, q, o) not in graph]
    assert missing == []
    assert terms.properties[rdflib.URIRef("https://w3id.org/china-russia-dialogue/ontology#host")] == (SEM.hasActor,)


def test_memberships_are_stated_in_org_terms(graph):
    rows = graph.query("""
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?m WHERE { ?m a org:Membership ; org:member <https://w3id.org/china-russia-dialogue/id/country/IN> ;
                             org:organization <https://w3id.org/china-russia-dialogue/id/organization/sco> }""")
    assert len(rows) >= 1
    # an office's holders are org:member of their tenure too (crd:holder is a subproperty)
    rows = graph.query("""
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?t WHERE { ?t a org:Membership ; org:member <https://w3id.org/china-russia-dialogue/id/person/wang-yi> }""")
    assert len(rows) >= 1
