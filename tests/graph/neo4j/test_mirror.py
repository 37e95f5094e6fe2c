"""The Neo4j mirror against real Bolt servers the tests start (``helpers/bolt.py``): Neo4j 5
and FalkorDB, the same tests on both. A full sync reaches parity with the store, a
second one writes nothing, what leaves the RDF graph leaves the mirror, a tampered
mirror is found and repaired, and a sync cut short by a crash is completed by the next
one. On Neo4j: a uniqueness constraint per label, dates of type DATE, transactions that
are atomic and stopped by the server at their time limit."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from api.settings import Settings
from graph.analyses.stats import stats
from graph.neo4j.bolt import BoltError, BoltQueryError, connect
from graph.neo4j.dialects import FalkorDBDialect, encode_params, statement_bytes
from graph.neo4j.mirror import (LABELS, NODE_KINDS, STAMP_LABEL, MirrorError, check_parity, encoded, mirror_counts,
                                project, read_mirror, read_stamp, store_counts, sync)
from graph.rdf import iris
from graph.rdf.mapping import ontology_graph
from graph.stores.oxigraph import OxigraphStore
from helpers.paths import ROOT

WIPE = "MATCH (n:Resource) WHERE n.iri STARTS WITH $base DETACH DELETE n"
WIPE_STAMP = f"MATCH (s:{STAMP_LABEL}) DELETE s"


def open_mirror(bolt, retry: float = 1.0):
    return connect(bolt.uri, user=bolt.user, password=bolt.password, retry_seconds=retry)


def neo4j_only(server, why: str) -> None:
    if isinstance(server.dialect, FalkorDBDialect):
        pytest.skip(f"FalkorDB {why}")


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
    server.write(WIPE_STAMP)


PREFIXES = """
@prefix crd: <https://w3id.org/china-russia-dialogue/ontology#> .
@prefix id: <https://w3id.org/china-russia-dialogue/id/> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

SMALL = PREFIXES + """
id:person\\/alpha a crd:Person ; skos:prefLabel "甲"@zh, "Alpha"@en ; skos:altLabel "A."@en, "阿"@zh .
id:person\\/beta a crd:Person ; skos:prefLabel "乙"@zh, "Beta"@en .
id:person\\/gamma a crd:Person ; skos:prefLabel "丙"@zh .
id:organization\\/sco a crd:IntergovernmentalOrganization ;
    skos:prefLabel "上海合作组织"@zh, "Shanghai Cooperation Organisation"@en .
id:organization\\/sco-secretariat a crd:OrganizationBody ;
    skos:prefLabel "上合组织秘书处"@zh ; org:subOrganizationOf id:organization\\/sco .
id:country\\/CN a crd:Country ; schema:identifier "CN" ; skos:prefLabel "中国"@zh, "China"@en, "Китай"@ru .
id:place\\/beijing a crd:Place ; skos:prefLabel "北京"@zh ; schema:containedInPlace id:country\\/CN .
id:membership\\/m1 a org:Membership ; org:member id:country\\/CN ; org:organization id:organization\\/sco ;
    org:role id:role\\/member ; schema:startDate "2001-06-15"^^xsd:date .
id:office\\/cn-fm a crd:Office ; skos:prefLabel "中国外交部长"@zh, "Foreign Minister of China"@en ;
    crd:role id:role\\/foreign_minister ; org:postIn id:organization\\/sco-secretariat ; schema:location id:country\\/CN .
id:tenure\\/t1 a crd:Tenure ; crd:office id:office\\/cn-fm ; crd:holder id:person\\/alpha ;
    schema:startDate "2013-03"^^xsd:gYearMonth ; schema:endDate "2020-05-01"^^xsd:date .
id:report\\/r1 a crd:Report ; skos:prefLabel "报告"@zh .
id:passage\\/r1-0-6 a crd:Passage ; prov:value "甲乙会谈全文"@zh ; crd:startOffset 0 ; crd:endOffset 6 ; crd:line 3 ;
    dcterms:isPartOf id:report\\/r1 .
id:figure\\/f1 a crd:Figure ; crd:measure "贸易额"@zh ; schema:value 1.5e0 ; schema:unitCode "USD" ;
    crd:amount "150000000"^^xsd:decimal ; crd:isChange false ; schema:startDate "2020-01-01"^^xsd:date ;
    crd:flowFrom id:country\\/CN ; prov:wasDerivedFrom id:passage\\/r1-0-6 .
id:event\\/e1 a crd:ChronicleEvent, crd:Meeting ;
    skos:prefLabel "甲乙会谈"@zh ; sem:hasBeginTimeStamp "2020-05-01"^^xsd:date ;
    sem:hasEndTimeStamp "2020-05-01"^^xsd:date ; crd:online false ; crd:chronicleIndex 3 ;
    schema:description "It's a \\\\ test, \\"quoted\\"\\nover two lines"@zh ;
    crd:participant id:person\\/alpha, id:person\\/beta ; crd:host id:person\\/alpha ; crd:mentions id:person\\/gamma ;
    sem:hasPlace id:place\\/beijing ; crd:inFramework id:organization\\/sco ; crd:concludes id:agreement\\/pact ;
    crd:reports id:figure\\/f1 ; prov:wasDerivedFrom id:passage\\/r1-0-6 ; dcterms:isPartOf id:report\\/r1 ;
    sem:eventType id:plover\\/CONSULT .
id:plover\\/CONSULT skos:notation "CONSULT" .
id:event\\/e2 a crd:ChronicleEvent ; skos:prefLabel "论坛"@zh ; sem:hasBeginTimeStamp "2020-06-01"^^xsd:date ;
    sem:hasSubEvent id:event\\/e2-talks .
id:event\\/e2-talks a crd:Meeting ; skos:prefLabel "论坛（甲）"@zh ;
    sem:hasBeginTimeStamp "2020-06-01"^^xsd:date ; crd:participant id:person\\/alpha .
id:agreement\\/pact a crd:Agreement ; skos:prefLabel "协定"@zh ; crd:party id:country\\/CN ;
    schema:dateCreated "2020"^^xsd:gYear .
id:project\\/bridge a crd:Project ; skos:prefLabel "大桥"@zh ; crd:partner id:organization\\/sco .
id:encounter\\/x1 a crd:Encounter ; crd:person id:person\\/alpha, id:person\\/beta ; crd:inEvent id:event\\/e1 ;
    schema:startDate "2020-05-01"^^xsd:date .
id:person\\/alpha crd:metWith id:person\\/beta .
id:person\\/beta crd:metWith id:person\\/alpha .
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
    assert alpha == {"iri": I("person/alpha"), "id": "alpha", "name": "Alpha", "name_en": "Alpha", "name_zh": "甲",
                     "aliases": ["A.", "阿"], "types": ["Person"]}
    label, event = p.nodes[I("event/e1")]
    assert label == "Event" and event["begin"] == dt.date(2020, 5, 1) and event["online"] is False
    assert event["chronicle_index"] == 3 and event["types"] == ["ChronicleEvent", "Meeting"]
    assert event["plover"] == "CONSULT"
    assert event["description"] == "It's a \\ test, \"quoted\"\nover two lines"
    assert p.nodes[I("country/CN")][1]["code"] == "CN" and p.nodes[I("country/CN")][1]["name_ru"] == "Китай"
    assert {i: p.nodes[I(i)][0] for i in ("agreement/pact", "project/bridge", "place/beijing", "office/cn-fm",
                                           "figure/f1", "passage/r1-0-6", "report/r1", "event/e2-talks")} == {
        "agreement/pact": "Agreement", "project/bridge": "Project", "place/beijing": "Place",
        "office/cn-fm": "Office", "figure/f1": "Figure", "passage/r1-0-6": "Passage", "report/r1": "Report",
        "event/e2-talks": "Event"}
    assert p.nodes[I("office/cn-fm")][1]["role"] == "foreign_minister"
    assert {k: v for k, v in p.nodes[I("passage/r1-0-6")][1].items() if k not in ("iri", "id", "types")} == {
        "text": "甲乙会谈全文", "start_offset": 0, "end_offset": 6, "line": 3}
    figure = p.nodes[I("figure/f1")][1]
    assert (figure["amount"], figure["value"], figure["unit_code"], figure["is_change"], figure["start_date"]) == (
        150000000.0, 1.5, "USD", False, dt.date(2020, 1, 1))
    # a date given to the year is the year's first day, with its precision
    pact = p.nodes[I("agreement/pact")][1]
    assert (pact["date_created"], pact["date_created_precision"]) == (dt.date(2020, 1, 1), "year")
    rels = p.rels
    assert rels[("PARTICIPATED_IN", I("person/alpha"), I("event/e1"), "host")] == [{"role": "host"}]
    assert ("PARTICIPATED_IN", I("person/alpha"), I("event/e1"), "participant") in rels
    assert rels[("MET_WITH", I("person/alpha"), I("person/beta"), I("event/e1"))] == [
        {"date": dt.date(2020, 5, 1), "event": I("event/e1")}]
    assert rels[("MEMBER_OF", I("country/CN"), I("organization/sco"), I("membership/m1"))] == [
        {"role": "member", "start_date": dt.date(2001, 6, 15), "membership": I("membership/m1")}]
    assert rels[("HELD", I("person/alpha"), I("office/cn-fm"), I("tenure/t1"))] == [
        {"start_date": dt.date(2013, 3, 1), "start_date_precision": "month", "end_date": dt.date(2020, 5, 1),
         "tenure": I("tenure/t1")}]
    for key in [("PART_OF", "organization/sco-secretariat", "organization/sco"),
                ("LOCATED_IN", "place/beijing", "country/CN"), ("TOOK_PLACE_IN", "event/e1", "place/beijing"),
                ("IN_FRAMEWORK", "event/e1", "organization/sco"), ("MENTIONS", "event/e1", "person/gamma"),
                ("CONCLUDES", "event/e1", "agreement/pact"), ("PARTY_TO", "country/CN", "agreement/pact"),
                ("PARTNER_IN", "organization/sco", "project/bridge"), ("HAS_MEETING", "event/e2", "event/e2-talks"),
                ("POST_IN", "office/cn-fm", "organization/sco-secretariat"), ("LOCATED_IN", "office/cn-fm", "country/CN"),
                ("REPORTS", "event/e1", "figure/f1"), ("FLOW_FROM", "figure/f1", "country/CN"),
                ("DERIVED_FROM", "event/e1", "passage/r1-0-6"), ("DERIVED_FROM", "figure/f1", "passage/r1-0-6"),
                ("IN_REPORT", "passage/r1-0-6", "report/r1"), ("IN_REPORT", "event/e1", "report/r1")]:
        assert (key[0], I(key[1]), I(key[2]), None) in rels, key
    # memberships, tenures, encounters and roles are relationships or properties, not nodes
    assert not any(f"/{kind}/" in iri for iri in p.nodes for kind in ("membership", "tenure", "encounter", "role"))


def test_labels_and_node_kinds_agree():
    assert LABELS == ("Resource", *(k.label for k in NODE_KINDS))


# --- sync and parity on the whole graph --------------------------------------------------------------


def test_full_sync_reaches_parity_and_a_second_sync_writes_nothing(store, mirror, want):
    wipe(mirror)
    report = sync(store, mirror)
    assert report.counts["nodes created"] == len(want.nodes)
    assert report.counts["relationships created"] == len(want.rels)
    parity = check_parity(store, mirror)
    assert parity.ok, "\n".join(parity.lines())
    s = stats(store)
    assert parity.mirror.nodes["Person"] == s["persons"] and parity.mirror.nodes["Event"] == \
        s["events"] + s["meetings"] + s["chapter_events"]
    assert parity.mirror.nodes["Organization"] == s["organizations"]
    assert len(parity.mirror.pairs) == s["met_pairs"] > 0
    # the same store generation: the stamp and the server's counts say there is nothing to do
    again = sync(store, mirror)
    assert (again.compared, again.counts, again.statements, again.transactions) == ("stamp", {}, 0, 0)
    assert again.summary().startswith("no changes (the mirror holds this store generation")
    # compared property by property: nothing to do either
    full = sync(store, mirror, full=True)
    assert (full.compared, full.counts, full.statements) == ("full", {}, 0), full.summary()
    stamp = read_stamp(mirror)
    assert stamp.generation == store.generation and stamp.nodes == want.counts()[0]


def test_every_property_round_trips(store, mirror, want):
    sync(store, mirror, want=want)
    have = read_mirror(mirror)
    expect = encoded(want, mirror.dialect)
    assert have.nodes == expect.nodes
    assert have.rels == expect.rels


def test_every_label_has_a_uniqueness_constraint_on_iri(store, mirror, want):
    neo4j_only(mirror, "has no uniqueness constraints over Bolt; the key Resource(iri) is an index there")
    sync(store, mirror, want=want)
    rows = mirror.read("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
                       "RETURN name, type, labelsOrTypes AS labels, properties")
    unique = {r["labels"][0]: r["name"] for r in rows if r["type"] == "UNIQUENESS" and r["properties"] == ["iri"]}
    assert set(unique) >= set(LABELS), sorted(set(LABELS) - set(unique))
    with pytest.raises(BoltQueryError) as refused:
        mirror.write("CREATE (:Resource:Person {iri: $iri})", {"iri": I("person/wang-yi")})
    assert refused.value.code == "Neo.ClientError.Schema.ConstraintValidationFailed"


def test_dates_are_dates(store, mirror, want):
    sync(store, mirror, want=want)
    rows = mirror.read("MATCH (e:Event)-[:DERIVED_FROM]->(:Passage) WITH e LIMIT 1 "
                       "MATCH (p:Person)-[t:HELD]->(:Office) WHERE t.start_date_precision IS NULL WITH e, t LIMIT 1 "
                       "RETURN e.begin AS begin, t.start_date AS start")
    if isinstance(mirror.dialect, FalkorDBDialect):  # its documented workaround: ISO text
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", v) for v in rows[0].values())
        return
    assert {k: type(v).__name__ for k, v in rows[0].items()} == {"begin": "Date", "start": "Date"}
    kinds = mirror.read("MATCH (e:Event) WITH DISTINCT valueType(e.begin) AS t RETURN collect(t) AS types")
    assert kinds == [{"types": ["DATE NOT NULL"]}]
    kinds = mirror.read("MATCH ()-[m:MET_WITH]->() WITH DISTINCT valueType(m.date) AS t RETURN collect(t) AS types")
    assert kinds == [{"types": ["DATE NOT NULL"]}]
    # a date parameter compares with them: the encounters of one day
    day = mirror.dialect.date("2020-04-14")
    n = mirror.read("MATCH ()-[m:MET_WITH]->() WHERE m.date = $day RETURN count(m) AS n", {"day": day})[0]["n"]
    assert n == sum(1 for k, found in want.rels.items() if k[0] == "MET_WITH" and found[0]["date"] == dt.date(2020, 4, 14))


def test_a_transaction_is_atomic_and_stopped_at_its_time_limit(mirror):
    neo4j_only(mirror, "ignores BEGIN/COMMIT and transaction time limits over Bolt")
    marker = "https://example.org/kg-test/atomic"
    with pytest.raises(BoltQueryError):
        mirror.write_many([("CREATE (:Scratch {iri: $iri})", {"iri": marker}), ("RETURN 1 / 0 AS x", {})])
    assert mirror.read("MATCH (n:Scratch {iri: $iri}) RETURN count(n) AS n", {"iri": marker}) == [{"n": 0}]
    with pytest.raises(BoltQueryError) as stopped:
        mirror.write_many([("CREATE (:Scratch {iri: $iri})", {"iri": marker}),
                           ("UNWIND range(1, 500000000) AS x WITH x WHERE x < 0 RETURN count(x)", {})], timeout=0.5)
    assert "TransactionTimedOut" in stopped.value.code
    assert mirror.read("MATCH (n:Scratch {iri: $iri}) RETURN count(n) AS n", {"iri": marker}) == [{"n": 0}]


def test_tampered_mirror_is_detected_then_repaired(store, mirror, want, expected):
    sync(store, mirror, want=want)
    pair = mirror.read("MATCH (a:Person)-[:MET_WITH]->(b:Person) RETURN a.iri AS a, b.iri AS b LIMIT 1")[0]
    mirror.write("MATCH (:Resource {iri: $a})-[m:MET_WITH]->(:Resource {iri: $b}) DELETE m", pair)
    mirror.write("MATCH (a:Organization)-[:PART_OF]->(b:Organization) WITH a, b LIMIT 1 CREATE (a)-[:PART_OF]->(b)")
    mirror.write("MATCH (n:Person) WITH n LIMIT 1 SET n.name_en = 'Someone Else'")
    mirror.write("MATCH (n:Event) WITH n LIMIT 1 REMOVE n:Event SET n:Place")
    mirror.write("CREATE (:Resource:Person {iri: $iri, name: 'left over'})", {"iri": I("person/gone")})
    mirror.write("MATCH (a:Country), (b:Country) WITH a, b LIMIT 1 CREATE (a)-[:OLD_LINK]->(b)")
    mirror.write("CREATE (:Note {text: 'not part of the mirror'})")
    parity = check_parity(store, mirror, expected=expected)
    assert not parity.ok
    text = "\n".join(parity.lines())
    assert "MISMATCH" in text and "missing from the mirror" in text
    # the counts no longer match the stamp's: a plain sync compares everything and repairs
    report = sync(store, mirror)
    assert report.compared == "full"
    assert report.counts["nodes removed"] == 1 and report.counts["nodes relabelled"] == 1
    assert report.counts["nodes updated"] == 1 and report.counts["relationships removed"] == 1
    assert report.counts["relationships repaired"] == 1
    assert report.counts["relationships created"] >= 1
    assert check_parity(store, mirror, expected=expected).ok
    assert sync(store, mirror).counts == {}
    assert mirror.read("MATCH (n:Note) RETURN n.text AS t") == [{"t": "not part of the mirror"}]
    mirror.write("MATCH (n:Note) DELETE n")
    # an edit that leaves every count as it was is found by a full comparison
    mirror.write("MATCH (n:Person {iri: $iri}) SET n.name_en = 'Someone Else'", {"iri": I("person/wang-yi")})
    assert sync(store, mirror, full=True).counts == {"nodes updated": 1}
    assert mirror.read("MATCH (n:Person {iri: $iri}) RETURN n.name_en AS n", {"iri": I("person/wang-yi")}) == [
        {"n": "Wang Yi"}]


def test_what_leaves_the_store_leaves_the_mirror(tmp_path, mirror):
    before = small_store(tmp_path / "before")
    wipe(mirror)
    mirror.write("CREATE (:Resource {iri: 'http://example.org/not-ours'})")
    sync(before, mirror)
    assert check_parity(before, mirror).ok
    changed = (SMALL.replace('skos:prefLabel "乙"@zh, "Beta"@en', 'skos:prefLabel "乙"@zh, "Beta B."@en')
               .replace("crd:host id:person\\/alpha ;", "")
               .replace("id:project\\/bridge a crd:Project", "id:project\\/bridge a crd:Agreement"))
    changed = re.sub(r"id:person\\/gamma a crd:Person ;[^\n]*\n", "", changed)
    changed = changed.replace("crd:mentions id:person\\/gamma ;", "")
    after = small_store(tmp_path / "after", changed)
    report = sync(after, mirror)
    assert report.counts == {"nodes removed": 1, "nodes relabelled": 1, "nodes updated": 1,
                             "relationships removed": 1, "relationships created": 1}, report.counts
    have, want = read_mirror(mirror), encoded(project(after), mirror.dialect)
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
    assert sync(st, mirror, full=True).counts == {}


# --- faults ---------------------------------------------------------------------------------------------


def test_server_killed_mid_sync_then_the_next_sync_repairs_to_parity(store, bolt, want, expected):
    server = open_mirror(bolt, retry=0.5)
    sync(store, server, want=want)
    server.write(WIPE, {"base": iris.BASE})  # the stamp stays, naming a mirror that is gone

    def crash(done, total):
        if done == 5:
            bolt.kill()

    with pytest.raises(MirrorError, match=r"lost the connection after 5 of \d+ transactions \(\d+ of \d+ statements\); "
                                          r"the mirror is incomplete until the next sync"):
        sync(store, server, batch_size=250, tx_rows=500, want=want, on_commit=crash)
    server.close()
    bolt.start()
    server = open_mirror(bolt, retry=5)
    try:
        partial = mirror_counts(server)
        if not isinstance(server.dialect, FalkorDBDialect):  # FalkorDB keeps nothing on disk here
            # the five committed transactions (the stamp dropped in the first) survived the crash
            assert 0 < sum(partial.nodes.values()) < len(want.nodes) and read_stamp(server) is None
        report = sync(store, server)
        assert report.compared == "full" and report.counts["nodes created"] == len(want.nodes) - sum(
            partial.nodes.values())
        assert check_parity(store, server, expected=expected).ok
    finally:
        server.close()


def test_sync_stopped_halfway_leaves_a_partial_mirror_the_next_sync_completes(store, mirror, want, expected):
    wipe(mirror)

    def stop(done, total):
        if done == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync(store, mirror, batch_size=200, tx_rows=400, want=want, on_commit=stop)
    partial = mirror_counts(mirror)
    assert 0 < sum(partial.nodes.values()) < len(want.nodes)
    assert not check_parity(store, mirror, expected=expected).ok
    report = sync(store, mirror, batch_size=200)
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


# --- the command -------------------------------------------------------------------------------------


def kg(*args, env: dict[str, str] | None = None):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_NEO4J_"))}
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**base, **(env or {})}, timeout=300)


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
    assert re.search(r"^mirror: (FalkorDB|Neo4j) at bolt://\S+: 3 relationships created; 1 statements in "
                     r"\d transactions, [\d.]+ s$", r.stdout, re.M), r.stdout
    assert "who met whom (pairs)" in r.stdout and "MISMATCH" not in r.stdout
    assert re.search(r"^parity: ok \(\d+ nodes, \d+ relationships, \d+ who-met-whom pairs\)$", r.stdout, re.M)
    # the same variables `make neo4j` reads: the port and the password
    port = bolt.uri.rsplit(":", 1)[1]
    r = kg("mirror", "--store", store.location, "--user", bolt.user,
           env={"NEO4J_BOLT_PORT": port, "NEO4J_PASSWORD": bolt.password})
    assert r.returncode == 0, r.stderr
    assert f"at bolt://127.0.0.1:{port}: no changes (the mirror holds this store generation" in r.stdout


def test_kg_mirror_errors_are_one_line(store, bolt):
    r = kg("mirror", "--store", store.location, "--neo4j-uri", "bolt://127.0.0.1:1", "--password", "x")
    assert r.returncode == 5 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith("kg: error: cannot reach a Bolt server at bolt://127.0.0.1:1")
    r = kg("mirror", "--store", store.location, "--neo4j-uri", bolt.uri, "--user", bolt.user, "--password", "nope")
    assert r.returncode == 5 and r.stdout == ""
    assert re.fullmatch(r"kg: error: the server at bolt://\S+ refused the login for user '\w+'.*\n", r.stderr)
    r = kg("mirror", "--store", store.location, env={"NEO4J_BOLT_PORT": "1"})
    assert r.returncode == 5 and r.stderr.startswith("kg: error: cannot reach a Bolt server at bolt://127.0.0.1:1")
    assert r.stderr.rstrip().endswith("(start one with `make neo4j`, or pass --neo4j-uri)")
    r = kg("mirror", "--store", store.location, "--tx-rows", "0")
    assert r.returncode == 2 and "--tx-rows must be at least 1" in r.stderr


def test_settings_name_the_local_server():
    assert Settings(neo4j_uri="", neo4j_bolt_port=17687).mirror_uri() == "bolt://127.0.0.1:17687"
    assert Settings(neo4j_uri="neo4j://db.example:7687").mirror_uri() == "neo4j://db.example:7687"
