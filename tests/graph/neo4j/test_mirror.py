"""The Neo4j mirror against a real Bolt server (see ``helpers/bolt.py``): a full sync
reaches parity with the store, a second one writes nothing, what leaves the RDF graph
leaves the mirror, and a sync cut short by a crash is completed by the next one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from helpers.bolt import bolt_test_server
from graph.rdf import iris
from graph.neo4j.bolt import BoltError, BoltQueryError, connect
from graph.neo4j.dialects import FalkorDBDialect, encode_params, statement_bytes
from graph.rdf.mapping import ontology_graph
from graph.neo4j.mirror import QUERIES, SCO, MirrorError, check_parity, mirror_counts, project, read_mirror, store_counts, \
    sync
from graph.analyses.stats import stats
from graph.stores.oxigraph import OxigraphStore

from helpers.paths import ROOT  # noqa: E402
WIPE = "MATCH (n:Resource) WHERE n.iri STARTS WITH $base DETACH DELETE n"


@pytest.fixture(scope="module")
def bolt(tmp_path_factory):
    server = bolt_test_server(tmp_path_factory.mktemp("bolt"))
    yield server
    server.stop()


def open_mirror(bolt, retry: float = 1.0):
    return connect(bolt.uri, user=bolt.user, password=bolt.password, retry_seconds=retry)


@pytest.fixture(scope="module")
def want(store):
    return project(store)


@pytest.fixture(scope="module")
def expected(store):
    return store_counts(store)


@pytest.fixture
def mirror(bolt):
    server = open_mirror(bolt)
    yield server
    server.close()


def wipe(server) -> None:
    server.write(WIPE, {"base": iris.BASE})


PREFIXES = """
@prefix crd: <https://w3id.org/china-russia-dialogue/ontology#> .
@prefix id: <https://w3id.org/china-russia-dialogue/id/> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

SMALL = PREFIXES + """
<https://w3id.org/china-russia-dialogue/id/person/alpha> a crd:Person ;
    skos:prefLabel "甲"@zh, "Alpha"@en ; skos:altLabel "A."@en, "阿"@zh .
<https://w3id.org/china-russia-dialogue/id/person/beta> a crd:Person ; skos:prefLabel "乙"@zh, "Beta"@en .
<https://w3id.org/china-russia-dialogue/id/person/gamma> a crd:Person ; skos:prefLabel "丙"@zh .
<https://w3id.org/china-russia-dialogue/id/organization/sco> a crd:IntergovernmentalOrganization ;
    skos:prefLabel "上海合作组织"@zh, "Shanghai Cooperation Organisation"@en .
<https://w3id.org/china-russia-dialogue/id/organization/sco-secretariat> a crd:OrganizationBody ;
    skos:prefLabel "上合组织秘书处"@zh ; org:subOrganizationOf <https://w3id.org/china-russia-dialogue/id/organization/sco> .
<https://w3id.org/china-russia-dialogue/id/country/CN> a crd:Country ; schema:identifier "CN" ;
    skos:prefLabel "中国"@zh, "China"@en, "Китай"@ru .
<https://w3id.org/china-russia-dialogue/id/place/beijing> a crd:Place ; skos:prefLabel "北京"@zh ;
    schema:containedInPlace <https://w3id.org/china-russia-dialogue/id/country/CN> .
<https://w3id.org/china-russia-dialogue/id/membership/m1> a org:Membership ;
    org:member <https://w3id.org/china-russia-dialogue/id/country/CN> ;
    org:organization <https://w3id.org/china-russia-dialogue/id/organization/sco> ;
    org:role <https://w3id.org/china-russia-dialogue/id/role/member> ; schema:startDate "2001-06-15"^^xsd:date .
<https://w3id.org/china-russia-dialogue/id/event/e1> a crd:ChronicleEvent, crd:Meeting ;
    skos:prefLabel "甲乙会谈"@zh ; sem:hasBeginTimeStamp "2020-05-01"^^xsd:date ;
    sem:hasEndTimeStamp "2020-05-01"^^xsd:date ; crd:online false ; crd:chronicleIndex 3 ;
    schema:description "It's a \\\\ test, \\"quoted\\"\\nover two lines"@zh ;
    crd:participant <https://w3id.org/china-russia-dialogue/id/person/alpha>,
        <https://w3id.org/china-russia-dialogue/id/person/beta> ;
    crd:host <https://w3id.org/china-russia-dialogue/id/person/alpha> ;
    crd:mentions <https://w3id.org/china-russia-dialogue/id/person/gamma> ;
    sem:hasPlace <https://w3id.org/china-russia-dialogue/id/place/beijing> ;
    crd:inFramework <https://w3id.org/china-russia-dialogue/id/organization/sco> ;
    crd:concludes <https://w3id.org/china-russia-dialogue/id/agreement/pact> .
<https://w3id.org/china-russia-dialogue/id/agreement/pact> a crd:Agreement ; skos:prefLabel "协定"@zh ;
    crd:party <https://w3id.org/china-russia-dialogue/id/country/CN> .
<https://w3id.org/china-russia-dialogue/id/project/bridge> a crd:Project ; skos:prefLabel "大桥"@zh ;
    crd:partner <https://w3id.org/china-russia-dialogue/id/organization/sco> .
<https://w3id.org/china-russia-dialogue/id/encounter/x1> a crd:Encounter ;
    crd:person <https://w3id.org/china-russia-dialogue/id/person/alpha>, <https://w3id.org/china-russia-dialogue/id/person/beta> ;
    crd:inEvent <https://w3id.org/china-russia-dialogue/id/event/e1> ; schema:startDate "2020-05-01"^^xsd:date .
<https://w3id.org/china-russia-dialogue/id/person/alpha> crd:metWith <https://w3id.org/china-russia-dialogue/id/person/beta> .
<https://w3id.org/china-russia-dialogue/id/person/beta> crd:metWith <https://w3id.org/china-russia-dialogue/id/person/alpha> .
"""


def small_store(path: Path, turtle: str = SMALL) -> OxigraphStore:
    st = OxigraphStore(path)
    data = Graph().parse(data=turtle, format="turtle")
    st.replace_all([(iris.ONTOLOGY_GRAPH, ontology_graph()), (URIRef(iris.GRAPH_BASE + "test"), data)])
    return st


def I(path: str) -> str:  # noqa: E743 - reads like the prefix it stands for
    return iris.BASE + path


# --- the mapping, without a server ------------------------------------------------------------------


def test_projection_maps_kinds_labels_facts_and_relationships(tmp_path):
    p = project(small_store(tmp_path / "s"))
    label, alpha = p.nodes[I("person/alpha")]
    assert label == "Person"
    assert alpha == {"iri": I("person/alpha"), "name": "Alpha", "name_en": "Alpha", "name_zh": "甲",
                     "aliases": ["A.", "阿"], "types": ["Person"]}
    label, event = p.nodes[I("event/e1")]
    assert label == "Event" and event["begin"] == "2020-05-01" and event["online"] is False
    assert event["chronicle_index"] == 3 and event["types"] == ["ChronicleEvent", "Meeting"]
    assert event["description"] == "It's a \\ test, \"quoted\"\nover two lines"
    assert p.nodes[I("country/CN")][1]["code"] == "CN" and p.nodes[I("country/CN")][1]["name_ru"] == "Китай"
    assert {p.nodes[i][0] for i in (I("agreement/pact"), I("project/bridge"), I("place/beijing"))} == {
        "Agreement", "Project", "Place"}
    rels = p.rels
    assert rels[("PARTICIPATED_IN", I("person/alpha"), I("event/e1"), "host")] == [{"role": "host"}]
    assert ("PARTICIPATED_IN", I("person/alpha"), I("event/e1"), "participant") in rels
    assert rels[("MET_WITH", I("person/alpha"), I("person/beta"), I("event/e1"))] == [
        {"date": "2020-05-01", "event": I("event/e1")}]
    assert rels[("MEMBER_OF", I("country/CN"), I("organization/sco"), I("membership/m1"))] == [
        {"role": "member", "start_date": "2001-06-15", "membership": I("membership/m1")}]
    for key in [("PART_OF", "organization/sco-secretariat", "organization/sco"),
                ("LOCATED_IN", "place/beijing", "country/CN"), ("TOOK_PLACE_IN", "event/e1", "place/beijing"),
                ("IN_FRAMEWORK", "event/e1", "organization/sco"), ("MENTIONS", "event/e1", "person/gamma"),
                ("CONCLUDES", "event/e1", "agreement/pact"), ("PARTY_TO", "country/CN", "agreement/pact"),
                ("PARTNER_IN", "organization/sco", "project/bridge")]:
        assert (key[0], I(key[1]), I(key[2]), None) in rels, key
    # membership and role nodes are relationships, not nodes
    assert not any("/membership/" in iri or "/role/" in iri for iri in p.nodes)


# --- sync and parity on the whole graph --------------------------------------------------------------


def test_full_sync_reaches_parity_and_a_second_sync_writes_nothing(store, mirror, want):
    wipe(mirror)
    report = sync(store, mirror)
    assert report.counts["nodes created"] == len(want.nodes)
    assert report.counts["relationships created"] == len(want.rels)
    parity = check_parity(store, mirror)
    assert parity.ok, "\n".join(parity.lines())
    s = stats(store)
    assert parity.mirror.nodes["Person"] == s["persons"] and parity.mirror.nodes["Event"] == s["events"] + s["meetings"]
    assert parity.mirror.nodes["Organization"] == s["organizations"]
    assert len(parity.mirror.pairs) == s["met_pairs"] > 0
    again = sync(store, mirror, want=want)
    assert again.counts == {} and again.statements == 0, again.summary()
    assert again.summary().startswith("no changes")


def test_every_property_round_trips(store, mirror, want):
    sync(store, mirror, want=want)
    have = read_mirror(mirror)
    assert have.nodes == want.nodes
    assert have.rels == want.rels


def test_tampered_mirror_is_detected_then_repaired(store, mirror, want, expected):
    sync(store, mirror, want=want)
    pair = mirror.read("MATCH (a:Resource)-[:MET_WITH]->(b:Resource) RETURN a.iri AS a, b.iri AS b LIMIT 1")[0]
    mirror.write("MATCH (:Resource {iri: $a})-[m:MET_WITH]->(:Resource {iri: $b}) DELETE m", pair)
    mirror.write("MATCH (a:Resource)-[:PART_OF]->(b:Resource) WITH a, b LIMIT 1 CREATE (a)-[:PART_OF]->(b)")
    mirror.write("MATCH (n:Person:Resource) WITH n LIMIT 1 SET n.name_en = 'Someone Else'")
    mirror.write("MATCH (n:Event:Resource) WITH n LIMIT 1 REMOVE n:Event SET n:Place")
    mirror.write("CREATE (:Resource:Person {iri: $iri, name: 'left over'})", {"iri": I("person/gone")})
    mirror.write("MATCH (a:Country:Resource), (b:Country:Resource) WITH a, b LIMIT 1 CREATE (a)-[:OLD_LINK]->(b)")
    mirror.write("CREATE (:Note {text: 'not part of the mirror'})")
    parity = check_parity(store, mirror, expected=expected)
    assert not parity.ok
    text = "\n".join(parity.lines())
    assert "MISMATCH" in text and "missing from the mirror" in text
    report = sync(store, mirror, want=want)
    assert report.counts["nodes removed"] == 1 and report.counts["nodes relabelled"] == 1
    assert report.counts["nodes updated"] == 1 and report.counts["relationships removed"] == 1
    assert report.counts["relationships repaired"] == 1
    assert report.counts["relationships created"] >= 1
    assert check_parity(store, mirror, expected=expected).ok
    assert sync(store, mirror, want=want).counts == {}
    assert mirror.read("MATCH (n:Note) RETURN n.text AS t") == [{"t": "not part of the mirror"}]
    mirror.write("MATCH (n:Note) DELETE n")


def test_what_leaves_the_store_leaves_the_mirror(tmp_path, mirror):
    before = small_store(tmp_path / "before")
    wipe(mirror)
    mirror.write("CREATE (:Resource {iri: 'http://example.org/not-ours'})")
    sync(before, mirror)
    assert check_parity(before, mirror).ok
    changed = (SMALL.replace('skos:prefLabel "乙"@zh, "Beta"@en', 'skos:prefLabel "乙"@zh, "Beta B."@en')
               .replace("crd:host <https://w3id.org/china-russia-dialogue/id/person/alpha> ;", "")
               .replace("<https://w3id.org/china-russia-dialogue/id/project/bridge> a crd:Project",
                        "<https://w3id.org/china-russia-dialogue/id/project/bridge> a crd:Agreement"))
    changed = re.sub(r"<https://w3id.org/china-russia-dialogue/id/person/gamma> a crd:Person ;[^\n]*\n", "", changed)
    changed = changed.replace("crd:mentions <https://w3id.org/china-russia-dialogue/id/person/gamma> ;", "")
    after = small_store(tmp_path / "after", changed)
    report = sync(after, mirror)
    assert report.counts == {"nodes removed": 1, "nodes relabelled": 1, "nodes updated": 1,
                             "relationships removed": 1, "relationships created": 1}, report.counts
    have, want = read_mirror(mirror), project(after)
    assert have.nodes == want.nodes and have.rels == want.rels
    assert I("person/gamma") not in have.nodes
    assert have.nodes[I("project/bridge")][0] == "Agreement"
    assert ("PARTICIPATED_IN", I("person/alpha"), I("event/e1"), "host") not in have.rels
    assert check_parity(after, mirror).ok
    assert mirror.read("MATCH (n:Resource {iri: 'http://example.org/not-ours'}) RETURN count(n) AS n") == [{"n": 1}]
    mirror.write("MATCH (n:Resource {iri: 'http://example.org/not-ours'}) DELETE n")


def test_long_and_awkward_text_round_trips(tmp_path, mirror):
    text = ("中俄对话'\\\"\n\t🙂 " * 700) + "end"
    literal = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    turtle = SMALL.replace('"It\'s a \\\\ test, \\"quoted\\"\\nover two lines"@zh', f'"{literal}"@zh')
    st = small_store(tmp_path / "s", turtle)
    assert project(st).nodes[I("event/e1")][1]["description"] == text
    wipe(mirror)
    sync(st, mirror)
    assert read_mirror(mirror).nodes[I("event/e1")][1]["description"] == text
    assert sync(st, mirror).counts == {}


# --- faults ---------------------------------------------------------------------------------------------


def test_sync_cut_short_by_a_server_crash_is_completed_by_the_next(store, bolt, want, expected):
    server = open_mirror(bolt, retry=0.5)
    wipe(server)

    def crash(done, total):
        if done == 30:
            bolt.kill()

    with pytest.raises(MirrorError, match=r"lost the connection after 30 of \d+ statements; the mirror is "
                                          r"incomplete until the next sync"):
        sync(store, server, want=want, on_statement=crash)
    server.close()
    bolt.start()
    server = open_mirror(bolt)
    try:
        sync(store, server, want=want)
        assert check_parity(store, server, expected=expected).ok
    finally:
        server.close()


def test_sync_stopped_halfway_leaves_a_partial_mirror_the_next_sync_completes(store, mirror, want, expected):
    wipe(mirror)

    def stop(done, total):
        if done == 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync(store, mirror, batch_size=200, want=want, on_statement=stop)
    partial = mirror_counts(mirror)
    assert 0 < sum(partial.nodes.values()) < len(want.nodes)
    assert not check_parity(store, mirror, expected=expected).ok
    report = sync(store, mirror, batch_size=200, want=want)
    assert report.counts["nodes created"] == len(want.nodes) - sum(partial.nodes.values())
    assert check_parity(store, mirror, expected=expected).ok


def test_unreachable_server_and_refused_login(bolt):
    with pytest.raises(BoltError, match="cannot reach a Bolt server at bolt://127.0.0.1:1"):
        connect("bolt://127.0.0.1:1")
    with pytest.raises(BoltError, match="refused the login for user"):
        connect(bolt.uri, user=bolt.user, password="wrong-" + bolt.password)
    with pytest.raises(BoltError, match="not a Bolt URI"):
        connect("http://127.0.0.1:7474")


def test_falkordb_statement_limit_is_guarded(bolt, mirror):
    if not isinstance(mirror.dialect, FalkorDBDialect):
        pytest.skip("Neo4j has no such limit")
    query = "RETURN size($s) AS n"
    limit = mirror.dialect.max_statement_bytes
    fits = "x" * (limit - statement_bytes(query, {"s": ""}))
    assert statement_bytes(query, encode_params({"s": fits})) == limit
    assert mirror.read(query, {"s": fits}) == [{"n": len(fits)}]
    with pytest.raises(BoltQueryError, match="at most 4095"):
        mirror.read(query, {"s": fits + "x"})
    with pytest.raises(BoltQueryError, match="plain identifier"):
        mirror.read("RETURN $m AS m", {"m": {"not a key": 1}})
    with pytest.raises(BoltError, match="serves one graph"):
        connect(bolt.uri, user=bolt.user, password=bolt.password, database="other")


# --- the questions docs/neo4j.md answers ---------------------------------------------------------------


def test_common_questions_run_on_the_mirror(store, mirror, want):
    sync(store, mirror, want=want)
    docs = (ROOT / "docs" / "neo4j.md").read_text(encoding="utf-8")
    for name, query in QUERIES.items():
        assert query in docs, f"docs/neo4j.md does not show the {name} query as the code runs it"
    top = mirror.read(QUERIES["who_met_whom"])
    assert top and top[0]["times"] >= top[-1]["times"] >= 1 and top[0]["first"] <= top[0]["last"]
    members = {r["member"]: r["role"] for r in mirror.read(QUERIES["sco_members"], {"sco": SCO})}
    assert members.get("China") == "member" and members.get("Russia") == "member"
    assert mirror.read(QUERIES["sco_network"], {"sco": SCO})
    years = mirror.read(QUERIES["agreements_by_year"])
    assert all(re.fullmatch(r"\d{4}", r["year"]) and r["agreements"] >= 1 for r in years)
    assert mirror.read(QUERIES["signings_by_year"])


# --- the command -------------------------------------------------------------------------------------


def kg(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_NEO4J_"))}
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


def test_kg_mirror_syncs_prints_parity_and_detects_a_difference(store, bolt, mirror, want):
    login = ["--neo4j-uri", bolt.uri, "--user", bolt.user, "--password", bolt.password]
    sync(store, mirror, want=want)
    mirror.write("MATCH (:Resource)-[m:MET_WITH]->(:Resource) WITH m LIMIT 3 DELETE m")
    r = kg("mirror", "--store", store.location, "--check", *login)
    assert r.returncode == 6 and "MISMATCH" in r.stdout and not r.stdout.startswith("mirror:")
    assert r.stderr.strip().splitlines() == [
        "kg: error: the mirror differs from the store (see the table above); run `kg mirror` to repair it"]
    r = kg("mirror", "--store", store.location, *login)
    assert r.returncode == 0, r.stderr
    assert re.search(r"^mirror: (FalkorDB|Neo4j) at bolt://\S+: 3 relationships created; \d+ statements in ", r.stdout,
                     re.M), r.stdout
    assert "who met whom (pairs)" in r.stdout and "MISMATCH" not in r.stdout
    assert re.search(r"^parity: ok \(\d+ nodes, \d+ relationships, \d+ who-met-whom pairs\)$", r.stdout, re.M)


def test_kg_mirror_errors_are_one_line(store, bolt):
    r = kg("mirror", "--store", store.location, "--neo4j-uri", "bolt://127.0.0.1:1", "--password", "x")
    assert r.returncode == 5 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith("kg: error: cannot reach a Bolt server at bolt://127.0.0.1:1")
    r = kg("mirror", "--store", store.location, "--neo4j-uri", bolt.uri, "--user", bolt.user, "--password", "nope")
    assert r.returncode == 5 and r.stdout == ""
    assert re.fullmatch(r"kg: error: the server at bolt://\S+ refused the login for user '\w+'.*\n", r.stderr)
    r = kg("mirror", "--store", store.location)
    assert r.returncode == 2 and "pass --neo4j-uri" in r.stderr
