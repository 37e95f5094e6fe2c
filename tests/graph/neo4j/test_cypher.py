"""Read-only Cypher: the guard on its own, then the runner and ``POST /cypher`` on a
mirror in each real Bolt server (see ``helpers/bolt.py``). On Neo4j the database itself
refuses a write that gets past the guard (read transactions) and stops a query at the
time limit (the transaction's timeout)."""

from __future__ import annotations

import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import graph.neo4j.cypher as cypher_module
from api.routes import cypher as cypher_route
from api.settings import Settings
from graph.neo4j.bolt import BoltQueryError, connect
from graph.neo4j.cypher import CypherRefused, CypherRunner, CypherTimeout, check_read_only, to_json
from graph.neo4j.dialects import FalkorDBDialect, Neo4jDialect
from graph.neo4j.mirror import sync

READS = [
    "MATCH (p:Person) RETURN p.name LIMIT 5",
    "MATCH (a:Person)-[m:MET_WITH]->(b) WHERE a.name = 'CREATE (x)' RETURN b",
    "MATCH (n) // DELETE n\nRETURN count(n)",
    "MATCH (n) /* SET n.x = 1; */ RETURN n.set, n.create, n.delete",
    "MATCH (n:Set)-[:DELETE|REMOVE]->(m:`MERGE`) RETURN n {.name, create: 1} AS m",
    "OPTIONAL MATCH (n {name: \"it's; SET\"}) WITH n UNWIND [1, 2] AS x RETURN x",
    "CALL db.labels() YIELD label RETURN label",
    "CALL { MATCH (n) RETURN n LIMIT 1 } RETURN n",
    "CALL algo.pageRank('Person', 'MET_WITH') YIELD node, score RETURN node.name, score",
    "CALL gds.pageRank.stream('g') YIELD nodeId RETURN nodeId",
    "SHOW INDEXES",
    "MATCH (n) RETURN n;",
    "RETURN 'a\\'; DROP' AS s",
]
WRITES = [
    ("CREATE (n:Person {name: 'x'})", "CREATE writes"),
    ("match (n) merge (m:X) return m", "MERGE writes"),
    ("MATCH (n) SET n.x = 1", "SET writes"),
    ("MATCH (n) DETACH DELETE n", "DETACH writes"),
    ("MATCH (n) REMOVE n:Person", "REMOVE writes"),
    ("DROP INDEX resource_iri", "DROP writes"),
    ("LOAD CSV FROM 'file:///x.csv' AS row RETURN row", "LOAD writes"),
    ("MATCH (n) FOREACH (x IN [1] | SET n.y = x)", "FOREACH writes"),
    ("CALL { MATCH (n) CREATE (m) } IN TRANSACTIONS", "CREATE writes"),
    ("CALL apoc.create.node(['X'], {}) YIELD node RETURN node", "CALL apoc.create.node: not a procedure"),
    ("CALL db.idx.fulltext.createNodeIndex('Person', 'name')", "not a procedure known to only read"),
    ("CALL gds.pageRank.write('g', {})", "not a procedure known to only read"),
    ("USE system MATCH (n) RETURN n", "USE selects another database"),
    ("SHOW USERS", "SHOW of anything but"),
    ("MATCH (n) RETURN n; MATCH (m) DELETE m", "more than one statement"),
    ("INSERT (:Person {name: 'x'})", "INSERT writes"),
    ("", "empty query"),
]


@pytest.mark.parametrize("query", READS)
def test_reads_pass_the_guard(query):
    check_read_only(query)


@pytest.mark.parametrize(("query", "reason"), WRITES)
def test_writes_and_admin_are_refused(query, reason):
    with pytest.raises(CypherRefused, match=reason):
        check_read_only(query)


def test_temporal_functions_are_refused_on_falkordb_only():
    check_read_only("RETURN date('2020-01-01') AS d", dialect=Neo4jDialect())
    check_read_only("MATCH (e:Event) RETURN e.date, e.time", dialect=FalkorDBDialect())
    for query in ("RETURN date('2020-01-01') AS d", "RETURN datetime.fromepoch(0)", "RETURN Duration('P1D')"):
        with pytest.raises(CypherRefused, match="temporal"):
            check_read_only(query, dialect=FalkorDBDialect())


def test_parameters_must_be_plain_data():
    runner = CypherRunner("bolt://127.0.0.1:1")
    with pytest.raises(CypherRefused, match="parameter 'x'"):
        runner.run("RETURN $x", {"x": object()})
    runner.close()


# --- on a real server ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runner(bolt, store):
    bolt.revive()
    r = CypherRunner(bolt.uri, user=bolt.user, password=bolt.password, timeout=5.0, limit=1000)
    sync(store, r.server())
    yield r
    r.close()


def test_runner_answers_with_parameters_nodes_and_relationships(runner):
    result = runner.run("MATCH (a:Person)-[m:MET_WITH]-(b:Person) WHERE a.iri = $iri "
                        "RETURN a, m, b.name AS met ORDER BY m.date LIMIT 3",
                        {"iri": "https://w3id.org/china-russia-dialogue/id/person/wang-yi"})
    assert result.columns == ["a", "m", "met"] and not result.truncated
    assert result.rows, "Wang Yi met someone"
    row = result.rows[0]
    assert row["a"]["labels"] == ["Person", "Resource"] and row["a"]["properties"]["name_en"] == "Wang Yi"
    assert row["m"]["type"] == "MET_WITH" and row["m"]["properties"]["date"].startswith("20")
    assert isinstance(row["met"], str)


def test_row_limit_truncates(runner):
    result = runner.run("MATCH (p:Person) RETURN p.iri AS iri", limit=5)
    assert len(result.rows) == 5 and result.truncated


def test_writes_never_reach_the_server(runner):
    before = runner.run("MATCH (n:Resource) RETURN count(n) AS n").rows
    with pytest.raises(CypherRefused):
        runner.run("MATCH (n:Resource) DETACH DELETE n")
    assert runner.run("MATCH (n:Resource) RETURN count(n) AS n").rows == before


def test_time_limit(runner, bolt):
    falkordb = isinstance(runner.server().dialect, FalkorDBDialect)
    # FalkorDB runs the query on to its end, one at a time: keep it short there
    n = 20_000_000 if falkordb else 500_000_000
    t0 = time.monotonic()
    with pytest.raises(CypherTimeout, match="more than 0.2 s"):
        runner.run(f"UNWIND range(1, {n}) AS x RETURN count(x) AS n // the long one", timeout=0.2)
    assert time.monotonic() - t0 < 5
    if falkordb:
        return  # no server-side limit there: the runner stops waiting, the query runs on
    # Neo4j stopped it: no transaction runs it any more
    admin = connect(bolt.uri, user=bolt.user, password=bolt.password)
    try:
        for _ in range(50):
            running = [r for r in admin.read("SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery")
                       if "the long one" in (r["currentQuery"] or "")]
            if not running:
                break
            time.sleep(0.1)
        assert running == []
    finally:
        admin.close()


def test_the_database_refuses_writes_that_get_past_the_guard(runner, monkeypatch):
    if isinstance(runner.server().dialect, FalkorDBDialect):
        pytest.skip("FalkorDB has no read mode over Bolt: the guard is the only barrier there")
    monkeypatch.setattr(cypher_module, "check_read_only", lambda query, dialect=None: None)
    before = runner.run("MATCH (n) RETURN count(n) AS n").rows
    for write in ("CREATE (:Intruder {name: 'x'})", "MATCH (n:Person) WITH n LIMIT 1 SET n.name = 'x'",
                  "CALL db.createLabel('Intruder')"):
        with pytest.raises(CypherRefused, match="the database refused to write"):
            runner.run(write)
    assert runner.run("MATCH (n) RETURN count(n) AS n").rows == before
    assert runner.run("CALL db.labels() YIELD label WITH label WHERE label = 'Intruder' RETURN count(*) AS n"
                      ).rows == [{"n": 0}]


def test_server_errors_are_reported(runner):
    with pytest.raises(BoltQueryError):
        runner.run("MATCH (n RETURN n")


def test_values_become_json():
    import neo4j.time

    assert to_json({"d": neo4j.time.Date(2020, 5, 1), "x": [float("inf"), b"\x01"]}) == {
        "d": "2020-05-01", "x": ["inf", "AQ=="]}


def _client(settings: Settings) -> TestClient:
    app = FastAPI()
    app.state.settings = settings
    app.include_router(cypher_route.router)
    return TestClient(app)


def test_http_cypher(bolt, runner):
    settings = Settings(store="unused", neo4j_uri=bolt.uri, neo4j_user=bolt.user, neo4j_password=bolt.password,
                        query_timeout=5, result_limit=10)
    with _client(settings) as client:
        r = client.post("/cypher", json={"query": "MATCH (p:Person) WHERE p.name_en = $name RETURN p.name_zh AS zh",
                                         "parameters": {"name": "Sergey Lavrov"}})
        assert r.status_code == 200, r.text
        assert r.json() == {"columns": ["zh"], "rows": [{"zh": "拉夫罗夫"}], "truncated": False}
        r = client.post("/cypher", json={"query": "MATCH (p:Person) RETURN p.iri AS iri"})
        assert r.status_code == 200 and len(r.json()["rows"]) == 10 and r.json()["truncated"] is True
        r = client.post("/cypher", json={"query": "MATCH (n) DETACH DELETE n"})
        assert r.status_code == 400 and r.json()["error"] == "refused" and "DETACH writes" in r.json()["detail"]
        r = client.post("/cypher", json={"query": "MATCH (n RETURN n"})
        assert r.status_code == 400 and r.json()["error"] == "cypher_error"
        r = client.post("/cypher", json={"parameters": {}})
        assert r.status_code == 422
        client.app.state.cypher_runner.close()


def test_http_cypher_refuses_writes_through_the_read_mode(bolt, runner, monkeypatch):
    if isinstance(runner.server().dialect, FalkorDBDialect):
        pytest.skip("FalkorDB has no read mode over Bolt: the guard is the only barrier there")
    monkeypatch.setattr(cypher_module, "check_read_only", lambda query, dialect=None: None)
    settings = Settings(store="unused", neo4j_uri=bolt.uri, neo4j_user=bolt.user, neo4j_password=bolt.password,
                        query_timeout=5)
    with _client(settings) as client:
        r = client.post("/cypher", json={"query": "MATCH (n:Person) DETACH DELETE n"})
        assert r.status_code == 400 and r.json() == {
            "detail": "the database refused to write: the Cypher endpoint only reads", "error": "refused"}
        r = client.post("/cypher", json={"query": "MATCH (n:Person) RETURN count(n) AS n"})
        assert r.status_code == 200 and r.json()["rows"][0]["n"] > 0
        cypher_route.close_cypher_runner(client.app)


def test_http_cypher_times_out_and_needs_a_mirror(bolt, runner):
    settings = Settings(store="unused", neo4j_uri=bolt.uri, neo4j_user=bolt.user, neo4j_password=bolt.password,
                        query_timeout=0.2)
    with _client(settings) as client:
        r = client.post("/cypher", json={"query": "UNWIND range(1, 20000000) AS x RETURN count(x) AS n"})
        assert r.status_code == 504 and r.json()["error"] == "timeout"
        cypher_route.close_cypher_runner(client.app)
    with _client(Settings(store="unused", neo4j_uri="")) as client:
        r = client.post("/cypher", json={"query": "RETURN 1"})
        assert r.status_code == 503 and r.json()["error"] == "no_mirror" and "NEO4J_URI" in r.json()["detail"]
    with _client(Settings(store="unused", neo4j_uri="bolt://127.0.0.1:1")) as client:
        r = client.post("/cypher", json={"query": "RETURN 1"})
        assert r.status_code == 503 and r.json()["error"] == "mirror_unavailable"
