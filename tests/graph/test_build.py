"""The graph as consumers read it: contract terms, SHACL shapes, exports, determinism."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from graph.build import build
from graph.rdf.export import export
from graph.rdf.mapping import dataset
from graph.stores import MissingStoreError
from graph.stores.oxigraph import OxigraphStore
from loaders.errors import NotAReportError
from ontology import SHAPES_TTL

SEM = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")


@pytest.fixture(scope="module")
def graph(turtle) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=turtle, format="turtle")
    return g


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    s = rdflib.Graph()
    s.parse(SHAPES_TTL, format="turtle")
    return s


def test_whole_graph_passes_the_shapes(graph, shapes):
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, text[:2000]


def test_shapes_catch_an_event_without_dates_or_provenance(graph, shapes):
    g = rdflib.Graph()
    g += graph
    event = next(g.subjects(SEM.hasBeginTimeStamp, None))
    g.remove((event, SEM.hasBeginTimeStamp, None))
    g.remove((event, rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))
    conforms, _, text = pyshacl.validate(g, shacl_graph=shapes, inference="none")
    assert not conforms
    assert "hasBeginTimeStamp" in text and "provenance" in text


def test_turtle_export_parses_back_with_oxigraph_to_the_same_count(turtle, store):
    triples = list(ox.parse(turtle, ox.RdfFormat.TURTLE))
    distinct = {(q.subject, q.predicate, q.object) for q in store.quads()}
    assert len(triples) == len(set(triples)) == len(distinct)


@pytest.mark.parametrize("fmt,rdf_format", [("ntriples", ox.RdfFormat.N_TRIPLES),
                                            ("nquads", ox.RdfFormat.N_QUADS),
                                            ("jsonld", ox.RdfFormat.JSON_LD),
                                            ("trig", ox.RdfFormat.TRIG)])
def test_every_export_format_round_trips(store, fmt, rdf_format):
    buf = io.BytesIO()
    n = export(store, fmt, buf)
    parsed = list(ox.parse(buf.getvalue(), rdf_format))
    assert len(parsed) == n > 10_000


def test_export_includes_the_ontology_axioms(graph):
    crd = rdflib.Namespace("https://w3id.org/china-russia-dialogue/ontology#")
    assert (crd.ChronicleEvent, RDFS.subClassOf, crd.Event) in graph
    assert (crd.Event, RDFS.subClassOf, SEM.Event) in graph
    assert (crd.participant, RDFS.subPropertyOf, SEM.hasActor) in graph


def test_events_follow_the_contract(store):
    rows = list(store.query("""
        PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX crd: <https://w3id.org/china-russia-dialogue/ontology#>
        SELECT ?e ?b ?end ?text ?start ?stop ?type WHERE {
          ?e a crd:ChronicleEvent ; rdfs:label "中俄外长通电话"@zh ;
             sem:hasBeginTimeStamp ?b ; sem:hasEndTimeStamp ?end ;
             prov:wasDerivedFrom ?p ; sem:eventType ?t .
          ?t skos:inScheme <https://w3id.org/china-russia-dialogue/id/plover/scheme> ; skos:notation ?type .
          ?p prov:value ?text ; crd:startOffset ?start ; crd:endOffset ?stop .
        } ORDER BY ?b"""))
    assert len(rows) == 5
    assert {r["type"].value for r in rows} == {"CONSULT"}
    first = rows[0]
    assert first["b"].value == first["end"].value == "2020-04-14"
    assert "中俄外长通电话" in first["text"].value


def test_provenance_offsets_point_at_the_passage(store, report):
    rows = store.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX crd: <https://w3id.org/china-russia-dialogue/ontology#>
        SELECT ?text ?s ?e WHERE { ?p a crd:Passage ; prov:value ?text ; crd:startOffset ?s ; crd:endOffset ?e }""")
    n = 0
    for r in rows:
        assert report.text[int(r["s"].value):int(r["e"].value)] == r["text"].value
        n += 1
    assert n >= 644


def test_two_builds_give_the_same_triples(tmp_path, ref, turtle):
    st = OxigraphStore(tmp_path / "again")
    build(None, st, ref=ref)
    buf = io.BytesIO()
    export(st, "turtle", buf)
    assert buf.getvalue() == turtle


def test_a_failed_build_leaves_the_previous_graph(tmp_path, ref):
    st = OxigraphStore(tmp_path / "s")
    build(None, st, ref=ref)
    before = len(st)
    bad = tmp_path / "bad.txt"
    bad.write_text("不是报告\n", encoding="utf-8")
    with pytest.raises(NotAReportError):
        build([bad], st, ref=ref)
    st.close()
    assert len(OxigraphStore(tmp_path / "s", create=False)) == before
    assert [p.name for p in (tmp_path / "s").iterdir() if p.name.startswith("gen-")].__len__() == 1


def test_reading_a_store_that_was_never_built(tmp_path):
    with pytest.raises(MissingStoreError, match="kg build"):
        OxigraphStore(tmp_path / "none", create=False)


def test_same_report_twice_is_refused(report, ref):
    with pytest.raises(ValueError, match="same report"):
        list(dataset([report, report], ref))


def test_labels_are_chinese_and_english(graph):
    lavrov = URIRef("https://w3id.org/china-russia-dialogue/id/person/sergey-lavrov")
    labels = set(graph.objects(lavrov, rdflib.namespace.SKOS.prefLabel))
    assert Literal("Sergey Lavrov", lang="en") in labels
    assert Literal("拉夫罗夫", lang="zh") in labels

