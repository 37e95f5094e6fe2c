"""The SPARQL-server backend: ``kg build --store http://…`` loads an Oxigraph server run
as a separate process on loopback, and the service answers from it as it does from
the embedded store."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from helpers.services import free_port, live_service, oxigraph_server
from graph.analyses import meetings
from graph.analyses.stats import stats
from graph.sparql.run import run_query
from api.settings import Settings
from graph.stores.sparql_http import SparqlStore
from graph.stores import StoreError, open_store


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="module")
def remote(server) -> SparqlStore:
    r = subprocess.run([sys.executable, "-m", "api.cli", "build", "--store", server], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert "644 chronicle events" in r.stdout
    st = open_store(server)
    assert isinstance(st, SparqlStore)
    return st


def test_the_server_holds_the_same_graph(remote, store):
    assert len(remote) == len(store)
    assert set(remote.named_graphs()) == set(store.named_graphs())
    assert set(remote.quads()) == set(store.quads())


def test_queries_answer_as_on_the_embedded_store(remote, store):
    q = 'SELECT ?e WHERE { ?e a crd:ChronicleEvent ; rdfs:label "中俄外长通电话"@zh } ORDER BY ?e'
    assert run_query(remote, q).rows == run_query(store, q).rows
    assert run_query(remote, "ASK { ?p a crd:Person }").boolean is True
    g = run_query(remote, "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { VALUES ?s { id:person\\/wang-yi } "
                          "?s skos:prefLabel ?l }")
    assert "王毅" in g.turtle
    assert stats(remote) == stats(store)


def test_who_met_whom_is_the_same_on_both_backends(remote, store):
    assert meetings.who_met_whom(remote, "wang-yi") == meetings.who_met_whom(store, "wang-yi")


def test_malformed_query_and_unreachable_server(remote):
    with pytest.raises(SyntaxError):
        remote.query("SELEKT")
    gone = SparqlStore(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match="cannot reach"):
        len(gone)
    assert not gone.exists()


def test_replace_all_puts_graphs_in_parts_and_drops_stale_ones(tmp_path):
    g1, g2, g3 = Graph(), Graph(), Graph()
    g1.add((URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("one")))
    g2.add((URIRef("urn:x:b"), URIRef("urn:x:p"), Literal("two")))
    g3.add((URIRef("urn:x:c"), URIRef("urn:x:p"), Literal("three")))
    with oxigraph_server(tmp_path / "scratch") as url:
        scratch = SparqlStore(url)
        assert not scratch.exists()
        assert scratch.replace_all([(URIRef("urn:x:old"), g3)]) == 1
        scratch.batch_bytes = 10  # one request per part
        assert scratch.replace_all([(URIRef("urn:x:g"), g1), (URIRef("urn:x:g"), g2)]) == 2
        assert scratch.named_graphs(fresh=True) == ["urn:x:g"]
        assert {q.subject.value for q in scratch.quads()} == {"urn:x:a", "urn:x:b"}
        assert scratch.exists()


def test_kg_commands_on_the_server(server, remote, tmp_path):
    r = subprocess.run([sys.executable, "-m", "api.cli", "stats", "--store", server, "--format", "json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and '"events": 644' in r.stdout
    out = tmp_path / "g.nq"
    r = subprocess.run([sys.executable, "-m", "api.cli", "export", "--store", server, "--format", "nquads",
                        "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))) == len(remote)


def test_the_service_over_the_server(server, remote, store):
    with live_service(Settings(store=server, admin_token="t0ken")) as base:
        with httpx.Client(base_url=base, timeout=30) as http:
            met = http.get("/persons/wang-yi/met", params={"limit": 1000}).json()["items"]
            lavrov = sorted(m["date"] for m in met if m["counterpart"]["id"] == "sergey-lavrov")
            expected = sorted(str(m.date) for m in meetings.who_met_whom(store, "wang-yi", counterpart="sergey-lavrov"))
            assert lavrov == expected and len(lavrov) >= 10
            r = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?e a crd:ChronicleEvent }"})
            assert r.json()["results"]["bindings"][0]["n"]["value"] == "644"
            r = http.post("/sparql", data={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
            assert r.status_code == 403
            r = http.post("/sparql", data={"query": "SELECT ?x WHERE { ?x ?y }"})
            assert r.status_code == 400 and r.json()["error"] == "malformed_query"
            auth = {"Authorization": "Bearer t0ken"}
            update = "INSERT DATA { GRAPH <urn:x:notes> { <urn:x:n> <urn:x:p> 1 } }"
            assert http.post("/sparql", data={"update": update}).status_code == 403
            assert http.post("/sparql", data={"update": update}, headers=auth).status_code == 204
            assert http.get("/sparql", params={"query": "ASK { <urn:x:n> ?p ?o }"}).json()["boolean"] is True
            assert http.post("/sparql", data={"update": "DROP GRAPH <urn:x:notes>"}, headers=auth).status_code == 204
            assert http.get("/id/person/wang-yi").status_code == 200
