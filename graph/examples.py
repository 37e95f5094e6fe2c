"""A tiny graph in memory, for the examples in the docstrings: the ontology, two
foreign ministers and their phone call of 14 April 2020."""

from __future__ import annotations

import pyoxigraph as ox

from ontology import ONTOLOGY_TTL

from .stores.memory import MemoryStore

__all__ = ["example_store"]

_EXAMPLE_TTL = """
@prefix crd: <https://w3id.org/china-russia-dialogue/ontology#> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix id: <https://w3id.org/china-russia-dialogue/id/> .

id:person\\/wang-yi a crd:Person ; skos:prefLabel "王毅"@zh, "Wang Yi"@en, "Ван И"@ru ;
    skos:altLabel "王毅外长"@zh .
id:person\\/sergey-lavrov a crd:Person ; skos:prefLabel "拉夫罗夫"@zh, "Sergey Lavrov"@en, "Сергей Лавров"@ru .
id:country\\/CN a crd:Country ; skos:prefLabel "中国"@zh, "China"@en ; schema:identifier "CN" .
id:plover\\/scheme a skos:ConceptScheme .
id:plover\\/CONSULT a skos:Concept ; skos:inScheme id:plover\\/scheme ; skos:notation "CONSULT" .
id:plover\\/SUPPORT a skos:Concept ; skos:inScheme id:plover\\/scheme ; skos:notation "SUPPORT" .
id:form\\/phone_call a skos:Concept ; skos:notation "phone_call" ; skos:prefLabel "phone call"@en .

id:event\\/r-20200414-call a crd:ChronicleEvent, crd:PhoneCall ; rdfs:label "中俄外长通电话"@zh ;
    sem:hasBeginTimeStamp "2020-04-14"^^xsd:date ; sem:hasEndTimeStamp "2020-04-14"^^xsd:date ;
    sem:eventType id:plover\\/CONSULT ; crd:form id:form\\/phone_call ;
    crd:inferredParticipant id:person\\/wang-yi, id:person\\/sergey-lavrov ;
    prov:wasDerivedFrom id:passage\\/r-10-17 .
id:event\\/r-20200420-aid a crd:ChronicleEvent ; rdfs:label "中国向俄罗斯提供援助"@zh ;
    sem:hasBeginTimeStamp "2020-04-20"^^xsd:date ; sem:hasEndTimeStamp "2020-04-22"^^xsd:date ;
    sem:eventType id:plover\\/SUPPORT ; crd:participant id:country\\/CN ; crd:mentions id:person\\/wang-yi ;
    prov:wasDerivedFrom id:passage\\/r-20-30 .
id:passage\\/r-10-17 a crd:Passage ; prov:value "中俄外长通电话"@zh ; crd:startOffset 10 ; crd:endOffset 17 .
id:passage\\/r-20-30 a crd:Passage ; prov:value "中国向俄罗斯提供援助"@zh ; crd:startOffset 20 ; crd:endOffset 30 .
"""


def example_store() -> MemoryStore:
    """The example graph.

    >>> len(example_store()) > 300
    True
    """
    st = ox.Store()
    st.load(path=str(ONTOLOGY_TTL), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:x-example:ontology"))
    st.load(_EXAMPLE_TTL, ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:x-example:data"))
    return MemoryStore.of(st.quads_for_pattern(None, None, None, None), "memory:example")
