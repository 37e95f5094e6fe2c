"""The SPARQL-server backend on two real servers, each run as its own process on
loopback: Oxigraph's and Apache Jena Fuseki (TDB2, its default graph the union of the
named graphs). ``kg build --store http://…`` loads it, and ``kg serve --store http://…``
answers as the service on the embedded store does. What differs between the servers
(Fuseki's usual endpoint names here) is given as settings, ``KG_SPARQL_*_URL``."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from api.settings import Settings
from benchmarks.servers import kg_service
from graph.analyses import meetings
from graph.analyses.stats import stats
from graph.sparql.run import run_query
from graph.stores import StoreError, open_store
from graph.stores.sparql_http import SparqlStore
from helpers.paths import ROOT
from helpers.services import free_port, fuseki_server, live_service, oxigraph_server

SERVERS = {"oxigraph": oxigraph_server, "fuseki": fuseki_server}


@dataclass
class Endpoint:
    """A SPARQL server and the settings that name its endpoints."""

    kind: str
    url: str
    env: dict[str, str] = field(default_factory=dict)

    def settings(self, **more) -> Settings:
        return Settings(store=self.url, **{k[len("KG_"):].lower(): v for k, v in self.env.items()}, **more)

    def plain(self) -> SparqlStore:
        """The store with no settings but its URL: the layout the server shares with
        Oxigraph, every query naming its dataset."""
        return open_store(self.url)

    def open(self) -> SparqlStore:
        return open_store(self.url, **self.settings().store_options())


def endpoint_for(kind: str, url: str) -> Endpoint:
    if kind == "fuseki":  # Fuseki's own names for them (the dataset also answers at /query, /update, /store)
        return Endpoint(kind, url, {"KG_SPARQL_QUERY_URL": url + "/sparql", "KG_SPARQL_UPDATE_URL": url + "/update",
                                    "KG_SPARQL_STORE_URL": url + "/data", "KG_SPARQL_UNION_DEFAULT_GRAPH": "true"})
    return Endpoint(kind, url)


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(request, tmp_path_factory):
    with SERVERS[request.param](tmp_path_factory.mktemp(request.param)) as url:
        yield endpoint_for(request.param, url)


def kg(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=timeout)


@pytest.fixture(scope="module")
def remote(server) -> SparqlStore:
    r = kg("build", "--store", server.url, env=server.env)
    assert r.returncode == 0, r.stderr
    assert "644 chronicle events" in r.stdout
    st = server.open()
    assert isinstance(st, SparqlStore) and st.query_url == server.env.get("KG_SPARQL_QUERY_URL", server.url + "/query")
    return st


_NUMBERS = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("double", "float", "decimal", "integer")}


def by_value(q: ox.Quad):
    """A quad with numbers compared by value: TDB2 (Fuseki) keeps them by value and
    writes them back in canonical form (806.38 as 806.38e0)."""
    o = q.object
    if isinstance(o, ox.Literal) and o.datatype.value in _NUMBERS:
        return q.subject, q.predicate, (Decimal(o.value.lower().replace("e", "E")), o.datatype.value), q.graph_name
    return q.subject, q.predicate, o, q.graph_name


def test_the_server_holds_the_same_graph(remote, store):
    assert len(remote) == len(store)
    assert set(remote.named_graphs()) == set(store.named_graphs())
    assert {by_value(q) for q in remote.quads()} == {by_value(q) for q in store.quads()}


def test_queries_answer_as_on_the_embedded_store(remote, store):
    q = 'SELECT ?e WHERE { ?e a crd:ChronicleEvent ; rdfs:label "中俄外长通电话"@zh } ORDER BY ?e'
    assert run_query(remote, q).rows == run_query(store, q).rows
    assert run_query(remote, "ASK { ?p a crd:Person }").boolean is True
    g = run_query(remote, "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { VALUES ?s { id:person\\/wang-yi } "
                          "?s skos:prefLabel ?l }")
    assert "王毅" in g.turtle
    assert stats(remote) == stats(store)
    # a pattern that joins triples of two named graphs (reference data and a report)
    q = ("SELECT (COUNT(*) AS ?n) WHERE { ?e crd:participant ?p . ?p schema:nationality ?c . "
         "?c schema:identifier 'RU' }")
    assert run_query(remote, q).rows == run_query(store, q).rows and int(run_query(store, q).rows[0]["n"]) > 50


def test_the_settings_change_how_not_what_the_server_answers(server, remote, store):
    plain = server.plain()
    assert (plain.query_url, plain.union_default_graph) == (server.url + "/query", False)
    q = ("SELECT ?p (COUNT(*) AS ?n) WHERE { ?e crd:participant ?p . ?p schema:nationality ?c . "
         "?c schema:identifier 'CN' } GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 10")
    assert run_query(plain, q).rows == run_query(remote, q).rows == run_query(store, q).rows
    assert len(plain) == len(remote)


def test_who_met_whom_is_the_same_on_both_backends(remote, store):
    assert meetings.who_met_whom(remote, "wang-yi") == meetings.who_met_whom(store, "wang-yi")


def test_malformed_query_and_unreachable_server(remote):
    with pytest.raises(SyntaxError):
        remote.query("SELEKT")
    gone = SparqlStore(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match="cannot reach"):
        len(gone)
    assert not gone.exists()


def test_replace_all_puts_graphs_in_parts_and_drops_stale_ones(server, tmp_path):
    g1, g2, g3 = Graph(), Graph(), Graph()
    g1.add((URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("one")))
    g2.add((URIRef("urn:x:b"), URIRef("urn:x:p"), Literal("two")))
    g3.add((URIRef("urn:x:c"), URIRef("urn:x:p"), Literal("three")))
    with SERVERS[server.kind](tmp_path / "scratch") as url:
        scratch = endpoint_for(server.kind, url).open()
        assert not scratch.exists() and len(scratch) == 0
        assert scratch.replace_all([(URIRef("urn:x:old"), g3)]) == 1
        scratch.batch_bytes = 10  # one request per part
        assert scratch.replace_all([(URIRef("urn:x:g"), g1), (URIRef("urn:x:g"), g2)]) == 2
        assert scratch.named_graphs(fresh=True) == ["urn:x:g"]
        assert {q.subject.value for q in scratch.quads()} == {"urn:x:a", "urn:x:b"}
        assert scratch.exists()
        # a triple in two named graphs is two quads, whatever the server's default graph is
        scratch.update("INSERT DATA { GRAPH <urn:x:h> { <urn:x:a> <urn:x:p> 'one' } }")
        assert len(scratch) == 3 == len(list(scratch.quads()))


def test_kg_commands_on_the_server(server, remote, tmp_path):
    r = kg("stats", "--store", server.url, "--format", "json", env=server.env, timeout=120)
    assert r.returncode == 0 and '"events": 644' in r.stdout
    out = tmp_path / "g.nq"
    r = kg("export", "--store", server.url, "--format", "nquads", "--out", str(out), env=server.env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))) == len(remote)


# What a user asks the service: the same answers from the embedded store and from the server.
SAME_ANSWERS = [
    "/stats", "/persons/wang-yi", "/persons/wang-yi/met?limit=1000", "/persons/sergey-lavrov/met?framework=sco",
    "/who-met-whom?a=vladimir-putin&b=xi-jinping", "/events?from=2020-09-01&to=2020-09-30&limit=1000",
    "/events?type=AGREE&limit=1000", "/organizations/sco", "/agreements?limit=1000", "/projects?limit=1000",
    "/persons?q=wang%20yi", "/search?q=%E6%8B%89%E5%A4%AB%E7%BD%97%E5%A4%AB", "/organizations/brics",
    "/persons/xi-jinping", "/persons/xi-jinping/met?limit=1000", "/events?actor=sergey-lavrov&limit=1000",
]


@pytest.fixture(scope="module")
def kg_serve(server, remote):
    """``kg serve --store URL`` as a user runs it, with the server's settings."""
    with kg_service(server.url, first="/stats", cwd=ROOT, env={**os.environ, **server.env}) as service:
        yield service.url


def test_kg_serve_on_the_server_answers_as_on_the_embedded_store(kg_serve, store):
    with live_service(Settings(store=store.location)) as embedded:
        with httpx.Client(timeout=60) as http:
            day = http.get(embedded + "/events", params={"from": "2020-04-14", "to": "2020-04-14"}).json()["items"]
            for path in SAME_ANSWERS + [f"/events/{e['id']}" for e in day]:
                a, b = http.get(embedded + path), http.get(kg_serve + path)
                assert (a.status_code, b.status_code) == (200, 200), (path, b.text[:300])
                assert b.json() == a.json(), path
            query = "SELECT ?p (COUNT(?e) AS ?n) WHERE { ?e crd:participant ?p } GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 20"
            a = http.get(embedded + "/sparql", params={"query": query}).json()
            b = http.get(kg_serve + "/sparql", params={"query": query}).json()
            assert b["results"] == a["results"] and len(a["results"]["bindings"]) == 20


def test_the_service_over_the_server(server, remote, store):
    with live_service(server.settings(admin_token="t0ken")) as base:
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
            assert http.get("/sparql", params={"query": "ASK { <urn:x:n> ?p ?o }"}).json()["boolean"] is False
            assert http.get("/id/person/wang-yi").status_code == 200
