"""Namespaces of the contract's standard vocabularies and of the project's ontology."""

from rdflib import Namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD, DCTERMS, FOAF, PROV

CRD = Namespace("https://w3id.org/china-russia-dialogue/ontology#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")

PREFIXES = {
    "crd": str(CRD),
    "id": "https://w3id.org/china-russia-dialogue/id/",
    "sem": str(SEM),
    "foaf": str(FOAF),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "owl": str(OWL),
    "xsd": str(XSD),
}

__all__ = ["CRD", "SEM", "ORG", "SCHEMA", "TIME", "OWL", "RDF", "RDFS", "SKOS", "XSD", "DCTERMS", "FOAF",
           "PROV", "PREFIXES"]
