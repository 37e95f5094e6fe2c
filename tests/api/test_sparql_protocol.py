"""/sparql as ordinary SPARQL 1.1 clients use it (SPARQLWrapper, rdflib's SPARQLStore,
plain HTTP), over real HTTP: every request form, every answer format, every refusal."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import xml.etree.ElementTree as ET

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from helpers.services import copy_store, live_service
from api.settings import Settings
from graph.stores.oxigraph import OxigraphStore

# rdflib and SPARQLWrapper warn about their own deprecated internals while parsing answers.
pytestmark = pytest.mark.filterwarnings("ignore:.*ConjunctiveGraph is deprecated:DeprecationWarning",
                                        "ignore:.*default_context is deprecated:DeprecationWarning")

PREFIXES = """PREFIX crd: <https://w3id.org/china-russia-dialogue/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
CALLS = PREFIXES + """SELECT ?e ?title WHERE { ?e a crd:ChronicleEvent ; rdfs:label ?title .
                                          FILTER(STR(?title) = "中俄外长通电话") } ORDER BY ?e"""
WANG_YI = "https://w3id.org/china-russia-dialogue/id/person/wang-yi"
DESCRIBE = f"DESCRIBE <{WANG_YI}>"
CONSTRUCT = PREFIXES + f"CONSTRUCT {{ <{WANG_YI}> skos:prefLabel ?l }} WHERE {{ <{WANG_YI}> skos:prefLabel ?l }}"
TOKEN = "test-admin-token"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?t a crd:Tenure }"


@pytest.fixture(scope="module")
def base(store):
    with live_service(Settings(store=store.location)) as url:
        yield url + "/sparql"


@pytest.fixture(scope="module")
def strict_store(store, tmp_path_factory):
    return copy_store(store, tmp_path_factory.mktemp("strict") / "store")


@pytest.fixture(scope="module")
def strict(strict_store):
    """A service with tight limits and an admin token, over its own copy of the graph."""
    settings = Settings(store=strict_store.location, result_limit=100, body_limit=4000, admin_token=TOKEN,
                        query_timeout=0.4, query_workers=1)
    with live_service(settings) as url:
        yield url + "/sparql"


def wrapper(url, fmt, query, method=None):
    w = SPARQLWrapper(url)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    if method:
        w.setMethod(POST)
        if method == POSTDIRECTLY:
            w.setRequestMethod(POSTDIRECTLY)
    return w


# -- SPARQLWrapper: each result format, each request form ---------------------------------------------

@pytest.mark.parametrize("method", [None, POST, POSTDIRECTLY])
def test_select_json_by_get_form_and_direct_post(base, method):
    res = wrapper(base, JSON, CALLS, method).queryAndConvert()
    rows = res["results"]["bindings"]
    assert len(rows) == 5 and rows[0]["title"] == {"type": "literal", "value": "中俄外长通电话", "xml:lang": "zh"}


def test_select_xml(base):
    doc = wrapper(base, XML, CALLS).queryAndConvert()
    literals = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert literals == ["中俄外长通电话"] * 5


def test_select_csv_and_tsv(base):
    text = wrapper(base, CSV, CALLS).queryAndConvert().decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["e", "title"] and len(rows) == 6 and rows[1][1] == "中俄外长通电话"
    tsv = wrapper(base, TSV, CALLS).queryAndConvert().decode().splitlines()
    assert tsv[0] == "?e\t?title" and tsv[1].endswith('\t"中俄外长通电话"@zh') and tsv[1].startswith("<https://")


def test_ask_in_json_and_xml(base):
    ask = PREFIXES + 'ASK { ?e rdfs:label "中俄外长通电话"@zh }'
    assert wrapper(base, JSON, ask).queryAndConvert()["boolean"] is True
    doc = wrapper(base, XML, ask).queryAndConvert()
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert wrapper(base, JSON, "ASK { <urn:nothing> ?p ?o }").queryAndConvert()["boolean"] is False


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_construct_and_describe_in_rdf_formats(base, fmt):
    g = wrapper(base, fmt, CONSTRUCT).queryAndConvert()
    if not isinstance(g, rdflib.Graph):
        g = rdflib.Graph().parse(data=g, format={TURTLE: "turtle", N3: "n3", JSONLD: "json-ld"}[fmt])
    assert rdflib.Literal("王毅", lang="zh") in set(g.objects(rdflib.URIRef(WANG_YI), rdflib.namespace.SKOS.prefLabel))
    d = wrapper(base, fmt, DESCRIBE).queryAndConvert()
    if not isinstance(d, rdflib.Graph):
        d = rdflib.Graph().parse(data=d, format={TURTLE: "turtle", N3: "n3", JSONLD: "json-ld"}[fmt])
    assert len(d) > 5


def test_malformed_query_is_reported_by_sparqlwrapper(base):
    with pytest.raises(QueryBadFormed) as err:
        wrapper(base, JSON, "SELECT ?x WHERE { ?x ?y }").query()
    assert "2:" in str(err.value) or "1:" in str(err.value)


# -- rdflib's SPARQLStore ----------------------------------------------------------------------

def test_rdflib_sparqlstore(base):
    g = rdflib.Graph(SPARQLStore(base))
    rows = list(g.query(CALLS))
    assert len(rows) == 5 and str(rows[0][1]) == "中俄外长通电话"
    labels = set(g.objects(rdflib.URIRef(WANG_YI), rdflib.namespace.SKOS.prefLabel))
    assert rdflib.Literal("Wang Yi", lang="en") in labels
    assert g.query(PREFIXES + 'ASK { ?e rdfs:label "中俄外长通电话"@zh }').askAnswer is True
    constructed = g.query(CONSTRUCT).graph
    assert len(constructed) >= 3


def test_rdflib_sparqlstore_post(base):
    g = rdflib.Graph(SPARQLStore(base, method="POST_FORM", returnFormat="json"))
    assert len(list(g.query(CALLS))) == 5


# -- content negotiation and request forms over plain HTTP -----------------------------------------

@pytest.mark.parametrize("accept,media", [
    (None, "application/sparql-results+json"), ("*/*", "application/sparql-results+json"),
    ("application/json", "application/sparql-results+json"), ("application/sparql-results+xml", None),
    ("text/csv", None), ("text/tab-separated-values", None),
    ("text/html;q=0.9, text/csv;q=0.5", "text/csv")])
def test_select_content_negotiation(base, accept, media):
    r = httpx.get(base, params={"query": CALLS}, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == (media or accept)
    assert "Accept" in r.headers["vary"]


@pytest.mark.parametrize("accept,media,fmt", [
    (None, "text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", None, ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", None, ox.RdfFormat.JSON_LD), ("application/rdf+xml", None, ox.RdfFormat.RDF_XML),
    ("application/json", "application/ld+json", ox.RdfFormat.JSON_LD)])
def test_graph_content_negotiation(base, accept, media, fmt):
    r = httpx.get(base, params={"query": DESCRIBE}, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == (media or accept)
    assert len(list(ox.parse(r.content, fmt))) > 5


def test_format_parameter_overrides_accept(base):
    r = httpx.get(base, params={"query": CALLS, "format": "csv"}, headers={"Accept": "application/json"})
    assert r.headers["content-type"].startswith("text/csv")


def test_not_acceptable(base):
    r = httpx.get(base, params={"query": CALLS}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.json()["allowed"]


def test_direct_post_and_dataset_parameters(base):
    r = httpx.post(base, content=CALLS.encode(), headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 5
    ontology_only = {"default-graph-uri": "https://w3id.org/china-russia-dialogue/graph/ontology"}
    r = httpx.post(base, params=ontology_only, content=CALLS.encode(),
                   headers={"Content-Type": "application/sparql-query"})
    assert r.json()["results"]["bindings"] == []
    r = httpx.post(base, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
    graphs = {b["g"]["value"] for b in r.json()["results"]["bindings"]}
    assert "https://w3id.org/china-russia-dialogue/graph/report/crd-2021-zh" in graphs


def test_default_prefixes_are_declared_and_positions_are_the_users(base):
    r = httpx.get(base, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?e a crd:ChronicleEvent }"})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "644"
    r = httpx.get(base, params={"query": "SELECT ?x\nWHERE { ?x ?y }"})
    body = r.json()
    assert r.status_code == 400 and body["error"] == "malformed_query"
    assert body["line"] == 2 and body["column"] > 1 and "error at 2:" in body["detail"]


def test_service_description(base):
    r = httpx.get(base)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (None, sd.supportedLanguage, sd.SPARQL11Update) not in g


# -- refusals -----------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 5SERVICE <http://example.org/sparql> { } }",
    "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z . SERVICE ?x { ?s ?p ?o } }"])
def test_service_is_refused(base, query):
    r = httpx.post(base, data={"query": query})
    assert r.status_code == 403 and r.json()["error"] == "refused" and "SERVICE" in r.json()["detail"]


@pytest.mark.parametrize("query", [
    'SELECT ?s WHERE { ?s ?p "SERVICE" } LIMIT 1',
    "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
    "# SERVICE <http://example.org/>\nSELECT * WHERE { ?s ?p ?o } LIMIT 1",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:SERVICE ?o } LIMIT 1",
    "SELECT * WHERE { ?s ?p \"\"\"a SERVICE\n<http://example.org/> { }\"\"\" }"])
def test_the_word_service_elsewhere_is_fine(base, query):
    r = httpx.post(base, data={"query": query})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("send", ["form", "direct", "query-param"])
def test_update_is_refused_without_an_admin_token(base, send):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if send == "form":
        r = httpx.post(base, data={"update": update})
    elif send == "direct":
        r = httpx.post(base, content=update, headers={"Content-Type": "application/sparql-update"})
    else:
        r = httpx.post(base, data={"query": update})
    assert r.status_code == 403 and r.json()["error"] == "update_forbidden"
    r = httpx.post(base, data={"update": update}, headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403
    assert httpx.get(base, params={"query": "ASK { <urn:a> ?p ?o }"}).json()["boolean"] is False


def test_bad_requests(base):
    assert httpx.post(base, content=b"SELECT * {}", headers={"Content-Type": "text/plain"}).status_code == 415
    r = httpx.post(base, content=b"\xff\xfe SELECT", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and "UTF-8" in r.json()["detail"]
    r = httpx.get(base + "?query=ASK%7B%7D&query=ASK%7B%7D")
    assert r.status_code == 400 and "one" in r.json()["detail"]
    r = httpx.get(base, params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert r.status_code == 400
    assert httpx.get(base, params={"update": "CLEAR ALL"}).status_code == 400
    r = httpx.post(base, data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert r.status_code == 400


# -- limits, and updates with the token (the strict service) ----------------------------------------

def test_result_limit(strict):
    r = httpx.get(strict, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 100"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 100
    r = httpx.get(strict, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 101"})
    assert r.status_code == 400 and r.json()["error"] == "result_limit" and "100" in r.json()["detail"]
    r = httpx.get(strict, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and r.json()["error"] == "result_limit"


def test_body_limit(strict):
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 5000
    r = httpx.post(strict, content=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and r.json()["error"] == "body_too_large"

    def chunks():
        yield b"SELECT * WHERE { ?s ?p ?o } # "
        for _ in range(10):
            yield b"x" * 1000

    r = httpx.post(strict, content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_update_with_the_admin_token_is_applied_and_kept(strict, strict_store):
    update = 'INSERT DATA { GRAPH <urn:x-test> { <urn:x-test:a> <http://www.w3.org/2004/02/skos/core#note> "测试" } }'
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert httpx.post(strict, data={"update": update}, headers={"Authorization": "Bearer wrong"}).status_code == 403
    r = httpx.post(strict, data={"update": update}, headers=auth)
    assert r.status_code == 204, r.text
    ask = {"query": "ASK { <urn:x-test:a> ?p ?o }"}
    assert httpx.get(strict, params=ask).json()["boolean"] is True
    assert OxigraphStore(strict_store.location, create=False).query("ASK { <urn:x-test:a> ?p ?o }")
    r = httpx.post(strict, content="DELETE DATA { GRAPH <urn:x-test> { <urn:x-test:a> "
                                   "<http://www.w3.org/2004/02/skos/core#note> \"测试\" } }",
                   headers={**auth, "Content-Type": "application/sparql-update"})
    assert r.status_code == 204
    assert httpx.get(strict, params=ask).json()["boolean"] is False
    r = httpx.post(strict, data={"update": "LOAD <http://127.0.0.1:9/data.ttl>"}, headers=auth)
    assert r.status_code == 403 and "LOAD" in r.json()["detail"]
    r = httpx.post(strict, data={"update": "INSERT DATA { <urn:a> <urn:b> }"}, headers=auth)
    assert r.status_code == 400 and r.json()["error"] == "malformed_query"
    sd = rdflib.Graph().parse(data=httpx.get(strict).text, format="turtle")
    assert (None, None, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#SPARQL11Update")) in sd


def test_rdflib_update_store_with_the_token(strict):
    store = SPARQLUpdateStore(strict, strict, auth=None, headers={"Authorization": f"Bearer {TOKEN}"})
    g = rdflib.Graph(store, identifier=rdflib.URIRef("urn:x-test:rdflib"))
    g.add((rdflib.URIRef("urn:x-test:b"), rdflib.RDFS.label, rdflib.Literal("b")))
    assert httpx.get(strict, params={"query": "ASK { <urn:x-test:b> ?p ?o }"}).json()["boolean"] is True


def test_a_rebuilt_store_is_served_without_a_restart(strict, strict_store):
    marker = ox.Quad(ox.NamedNode("urn:x-test:rebuilt"), ox.NamedNode("urn:x-test:p"), ox.Literal("1"),
                     ox.NamedNode("urn:x-test"))
    writer = OxigraphStore(strict_store.location)
    writer.replace_quads([*writer.quads(), marker])
    deadline = time.monotonic() + 10
    while not httpx.get(strict, params={"query": "ASK { <urn:x-test:rebuilt> ?p ?o }"}).json()["boolean"]:
        assert time.monotonic() < deadline, "the service kept the old graph"
        time.sleep(0.2)


def test_time_limit_and_busy(strict):
    """One worker: a slow query times out with a clear error; while it still runs, one
    more query waits and a third is refused as busy."""
    answers = {}

    def ask(name):
        answers[name] = httpx.post(strict, data={"query": SLOW}, timeout=30)

    first = threading.Thread(target=ask, args=("first",))
    first.start()
    time.sleep(0.1)
    second = threading.Thread(target=ask, args=("second",))
    second.start()
    time.sleep(0.1)
    third = httpx.post(strict, data={"query": SLOW + " # another"})
    first.join()
    second.join()
    assert answers["first"].status_code == 503 and answers["first"].json()["error"] == "timeout"
    assert "0.4 s" in answers["first"].json()["detail"]
    assert answers["second"].status_code == 503
    assert third.status_code == 503 and third.json()["error"] == "busy" and third.headers["retry-after"] == "1"
    deadline = time.monotonic() + 30
    while httpx.get(strict, params={"query": "ASK {}"}).status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_cached_answers_follow_the_store(base):
    q = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    a, b = httpx.get(base, params=q), httpx.get(base, params=q)
    assert a.content == b.content and json.loads(a.content)["results"]["bindings"][0]["n"]["value"]


def test_xml_results_are_well_formed(base):
    r = httpx.get(base, params={"query": 'SELECT ?x WHERE { BIND("<&>\\"" AS ?x) }'},
                  headers={"Accept": "application/sparql-results+xml"})
    root = ET.fromstring(r.content)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert root.find(f"{ns}results/{ns}result/{ns}binding/{ns}literal").text == '<&>"'
