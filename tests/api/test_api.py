"""The JSON endpoints, node pages and exports over real HTTP, against the graph of the
bundled report; who met whom checked against the contract's own SPARQL definition."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import time
from collections import defaultdict

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from pydantic import TypeAdapter

from api import examples
from api.models import EventDetail, EventPage, MeetingPage, OrganizationDetail, PersonDetail, PersonPage, WorkPage
from helpers.services import free_port, live_service
from api.settings import Settings

# rdflib and SPARQLWrapper warn about their own deprecated internals while parsing answers.
pytestmark = pytest.mark.filterwarnings("ignore:.*ConjunctiveGraph is deprecated:DeprecationWarning",
                                        "ignore:.*default_context is deprecated:DeprecationWarning")

WANG_YI = "https://w3id.org/china-russia-dialogue/id/person/wang-yi"
LAVROV = "https://w3id.org/china-russia-dialogue/id/person/sergey-lavrov"

# The contract's definition of who met whom, written here independently of graph/.
CONTRACT_WHO_MET_WHOM = """
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT DISTINCT ?a ?b ?e ?date WHERE {
  ?e sem:eventType ?t . ?t skos:notation ?n . FILTER(STR(?n) = "CONSULT" || STR(?n) = "AGREE")
  ?e ?p ?a . ?p rdfs:subPropertyOf* sem:hasActor .
  ?e ?q ?b . ?q rdfs:subPropertyOf* sem:hasActor .
  ?a a ?ca . ?ca rdfs:subClassOf* foaf:Person .
  ?b a ?cb . ?cb rdfs:subClassOf* foaf:Person .
  FILTER(?a != ?b)
  OPTIONAL { ?e sem:hasBeginTimeStamp ?date }
}"""


@pytest.fixture(scope="module")
def base(store):
    with live_service(Settings(store=store.location)) as url:
        yield url


@pytest.fixture(scope="module")
def http(base):
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


def all_pages(http, path, **params):
    items, offset = [], 0
    while True:
        r = http.get(path, params={**params, "limit": 1000, "offset": offset})
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        if page["next_offset"] is None:
            return items
        offset = page["next_offset"]


# -- persons ---------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["王毅", "Wang Yi", "wang yi", "wáng yì", "wangyi", "WANGYI", "wang2 yi4", "Ван И",
                               "王毅外长"])
def test_person_search_by_any_form_of_the_name(http, q):
    r = http.get("/persons", params={"q": q})
    assert r.status_code == 200
    page = PersonPage.model_validate(r.json())
    assert page.items[0].id == "wang-yi", [p.id for p in page.items[:5]]


def test_person_search_in_russian_and_english_surnames(http):
    assert http.get("/persons", params={"q": "Лавров"}).json()["items"][0]["id"] == "sergey-lavrov"
    assert http.get("/persons", params={"q": "lavrov"}).json()["items"][0]["id"] == "sergey-lavrov"
    assert http.get("/persons", params={"q": "普京"}).json()["items"][0]["id"] == "vladimir-putin"


def test_person_list_is_paginated(http):
    first = http.get("/persons", params={"limit": 10}).json()
    second = http.get("/persons", params={"limit": 10, "offset": 10}).json()
    assert first["total"] == second["total"] > 300
    assert len(first["items"]) == 10 and first["next_offset"] == 10
    assert {p["id"] for p in first["items"]}.isdisjoint(p["id"] for p in second["items"])


def test_person_detail(http):
    r = http.get("/persons/wang-yi")
    p = PersonDetail.model_validate(r.json())
    assert p.labels == {"zh": "王毅", "en": "Wang Yi", "ru": "Ван И"}
    assert p.nationality.id == "CN"
    assert any(o.office.id == "cn-foreign-minister" and o.start == "2013-03-16" for o in p.offices)
    assert len(p.events) >= 16 and p.met_count >= 16
    assert [e.date for e in p.events] == sorted(e.date for e in p.events)


def contract_pairs(http, a: str | None = None) -> dict[str, set]:
    """Who met whom by the contract's definition, run through /sparql: person IRI →
    {(counterpart IRI, event IRI, date)}."""
    query = CONTRACT_WHO_MET_WHOM
    if a:
        query += f"\nVALUES ?a {{ <{a}> }}"
    r = http.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    out = defaultdict(set)
    for b in r.json()["results"]["bindings"]:
        out[b["a"]["value"]].add((b["b"]["value"], b["e"]["value"], b.get("date", {}).get("value")))
    return out


def test_wang_yi_met_lavrov_on_every_date(http):
    items = all_pages(http, "/persons/wang-yi/met")
    MeetingPage.model_validate({"total": len(items), "limit": 1000, "offset": 0, "items": items})
    dates = sorted(m["date"] for m in items if m["counterpart"]["id"] == "sergey-lavrov")
    expected = sorted(d for b, _, d in contract_pairs(http, WANG_YI)[WANG_YI] if b == LAVROV)
    assert dates == expected
    # The foreign ministers' calls and meetings the chronicle lists under their titles.
    assert {"2020-04-14", "2020-04-28", "2020-06-23", "2020-07-17", "2020-09-10", "2020-09-11", "2020-11-18",
            "2020-12-22", "2021-02-04", "2021-03-22"} <= set(dates)
    call = next(m for m in items if m["counterpart"]["id"] == "sergey-lavrov" and m["date"] == "2020-04-14")
    assert call["event"]["label"] == "中俄外长通电话" and call["type"] == "CONSULT" and call["form"] == "phone_call"
    assert "王毅和拉夫罗夫" in call["evidence"][0]["text"] and call["evidence"][0]["start"] > 0
    moscow = next(m for m in items if m["counterpart"]["id"] == "sergey-lavrov" and m["date"] == "2020-09-10")
    assert "moscow" in [p["id"] for p in moscow["places"]]
    assert "RIC" in [f["id"] for f in moscow["frameworks"]]


def test_met_filters(http):
    def dates(**params):
        return [m["date"] for m in all_pages(http, "/persons/wang-yi/met", **params)
                if m["counterpart"]["id"] == "sergey-lavrov"]

    every = dates()
    september = dates(**{"from": "2020-09-01", "to": "2020-09-30"})
    assert september == [d for d in every if d.startswith("2020-09")] and {"2020-09-10", "2020-09-11"} <= set(september)
    assert "2021-03-22" in dates(type="AGREE") and "2020-04-14" not in dates(type="AGREE")
    assert sorted(dates(type="AGREE") + dates(type="CONSULT")) == sorted(every)
    assert {"2020-06-23", "2020-09-10", "2021-03-22"} <= set(dates(framework="RIC")) < set(every)
    assert dates(framework="ric") == dates(framework="RIC")
    assert http.get("/persons/wang-yi/met", params={"type": "SUPPORT"}).status_code == 422
    assert http.get("/persons/wang-yi/met", params={"from": "2021-01-01", "to": "2020-01-01"}).status_code == 422
    r = http.get("/persons/wang-yi/met", params={"framework": "SCOO"})
    assert r.status_code == 404 and "sco" in r.json()["close_matches"]


def test_who_met_whom_pair_and_all_pairs(http):
    pair = all_pages(http, "/who-met-whom", a="wang-yi", b="sergey-lavrov")
    assert len(pair) >= 10 and {m["counterpart"]["id"] for m in pair} == {"sergey-lavrov"}
    reverse = all_pages(http, "/who-met-whom", a="sergey-lavrov", b="wang-yi")
    assert [m["event"]["id"] for m in reverse] == [m["event"]["id"] for m in pair]
    everyone = all_pages(http, "/who-met-whom")
    assert all(m["person"]["iri"] < m["counterpart"]["iri"] for m in everyone)
    assert (LAVROV, WANG_YI) in {(m["person"]["iri"], m["counterpart"]["iri"]) for m in everyone}


def test_who_met_whom_equals_the_contract_definition_for_every_person(http):
    expected = contract_pairs(http)
    persons = all_pages(http, "/persons")
    assert len(persons) > 300 and len(expected) > 50
    for p in persons:
        met = all_pages(http, f"/persons/{p['id']}/met")
        got = {(m["counterpart"]["iri"], m["event"]["iri"], m["date"]) for m in met}
        assert got == expected.get(p["iri"], set()), p["id"]


def test_unknown_person_gives_404_with_close_matches(http):
    r = http.get("/persons/wang-yl")
    assert r.status_code == 404
    body = r.json()
    assert body["error"] == "unknown_id" and body["close_matches"][0] == "wang-yi"
    r = http.get("/persons/王毅")
    assert r.status_code == 404 and r.json()["close_matches"] == ["wang-yi"]
    assert http.get("/persons/nobody-at-all/met").status_code == 404
    assert http.get("/who-met-whom", params={"a": "wang-yi", "b": "nobody"}).status_code == 404


# -- events, organizations, agreements, projects, stats ---------------------------------

def test_events_filters(http):
    consult = all_pages(http, "/events", type="CONSULT", actor="wang-yi")
    EventPage.model_validate({"total": len(consult), "limit": 1000, "offset": 0, "items": consult})
    assert len(consult) >= 10 and {e["type"] for e in consult} == {"CONSULT"}
    sept = all_pages(http, "/events", **{"from": "2020-09-01", "to": "2020-09-30"})
    assert sept and all("2020-09" in e["date"] or "2020-09" in e["end_date"] for e in sept)
    calls = all_pages(http, "/events", q="外长通电话")
    assert all("外长通电话" in e["label"] for e in calls)
    assert len([e for e in calls if e["label"] == "中俄外长通电话"]) == 5
    sco = all_pages(http, "/events", framework="SCO")
    assert sco and sco == all_pages(http, "/events", framework="sco")
    cn = all_pages(http, "/events", actor="CN")
    assert all_pages(http, "/events", actor="country/CN") == cn and len(cn) > 100
    assert [e["date"] for e in cn] == sorted(e["date"] for e in cn)


def test_events_bad_parameters(http):
    r = http.get("/events", params={"type": "CONSPIRE"})
    assert r.status_code == 422 and "CONSULT" in r.json()["detail"][0]["allowed"]
    assert http.get("/events", params={"from": "2020-02-30"}).status_code == 422
    r = http.get("/events", params={"actor": "wang-yl"})
    assert r.status_code == 404 and "wang-yi" in r.json()["close_matches"]


def test_event_detail(http):
    call = all_pages(http, "/events", q="中俄外长通电话")[0]
    r = http.get(f"/events/{call['id']}")
    e = EventDetail.model_validate(r.json())
    assert e.label == "中俄外长通电话" and e.date == dt.date(2020, 4, 14) and e.type == "CONSULT"
    assert {"wang-yi", "sergey-lavrov"} <= {a.node.id for a in e.actors}
    assert e.evidence and "中俄外长通电话" in e.evidence[0].text and e.report.id == "crd-2021-zh"
    assert http.get("/events/crd-2021-zh-20200414-00000000").status_code == 404


def test_organization_detail(http):
    o = OrganizationDetail.model_validate(http.get("/organizations/sco").json())
    assert o.labels["zh"] == "上海合作组织" and o.notation == "SCO"
    members = {m.member.id for m in o.members if m.role == "member"}
    assert {"CN", "RU", "IN"} <= members
    assert o.bodies and o.events
    r = http.get("/organizations/上合组织")
    assert r.status_code == 404 and r.json()["close_matches"] == ["sco"]


def test_agreements_and_projects_are_pages(http):
    stats = http.get("/stats").json()
    for path, key in (("/agreements", "agreements"), ("/projects", "projects")):
        page = WorkPage.model_validate(http.get(path, params={"limit": 5}).json())
        assert page.total == stats[key]
        assert all(w.label and w.iri.endswith("/" + w.id) for w in page.items)


def test_stats(http):
    s = http.get("/stats").json()
    assert s["events"] == 644 and s["persons"] > 300 and s["met_pairs"] > 50 and s["statements"] > 40_000


# -- every node's IRI dereferences ---------------------------------------------------------

def test_node_page_for_a_browser(http):
    r = http.get("/id/person/wang-yi", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<h1>Wang Yi</h1>" in page and "王毅" in page and "<script" not in page
    assert 'href="/id/country/CN"' in page and "http://" not in page.split("<style>")[1].split("</style>")[0]
    assert "Accept" in r.headers["vary"]


def test_node_as_rdf_for_rdf_clients(http, base):
    r = http.get("/id/person/wang-yi")
    assert r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    node = rdflib.URIRef(WANG_YI)
    assert (node, rdflib.namespace.SKOS.prefLabel, rdflib.Literal("王毅", lang="zh")) in g
    for accept, fmt in (("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml")):
        r = http.get("/id/person/wang-yi", headers={"Accept": accept})
        assert r.headers["content-type"].startswith(accept)
        assert len(rdflib.Graph().parse(data=r.text, format=fmt)) == len(g)
    # rdflib itself, fetching the IRI's local address with its own Accept header.
    g2 = rdflib.Graph().parse(base + "/id/person/wang-yi")
    assert len(g2) == len(g)


def test_every_kind_of_node_dereferences(http):
    for path in ("/id/event/" + examples.EVENT_ID, "/id/organization/sco", "/id/country/CN", "/id/place/moscow",
                 "/id/plover/CONSULT", "/id/report/crd-2021-zh"):
        r = http.get(path, headers={"Accept": "text/html"})
        assert r.status_code == 200, path
    assert http.get("/id/person/nobody").status_code == 404
    assert http.get("/id/nonsense/x").status_code == 404
    assert http.get("/id/person/wang-yi", headers={"Accept": "image/png"}).status_code == 406


# -- export -------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix,fmt,media", [("ttl", ox.RdfFormat.TURTLE, "text/turtle"),
                                              ("nt", ox.RdfFormat.N_TRIPLES, "application/n-triples"),
                                              ("jsonld", ox.RdfFormat.JSON_LD, "application/ld+json"),
                                              ("nq", ox.RdfFormat.N_QUADS, "application/n-quads")])
def test_export_is_streamed_and_complete(base, store, suffix, fmt, media):
    with httpx.stream("GET", f"{base}/export.{suffix}", timeout=60) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        assert "content-length" not in r.headers
        chunks = list(r.iter_raw())
    assert len(chunks) > 1
    parsed = list(ox.parse(io.BytesIO(b"".join(chunks)), fmt))
    if suffix == "nq":
        assert len(parsed) == len(store)
        graphs = {q.graph_name.value for q in parsed}
        assert "https://w3id.org/china-russia-dialogue/graph/report/crd-2021-zh" in graphs
    else:
        assert len(parsed) == len({q.triple for q in store.quads()})


# -- the contract of the API itself ------------------------------------------------------------

def test_openapi_has_stable_operation_ids_and_an_example_for_every_endpoint(http):
    spec = http.get("/openapi.json").json()
    ops = {}
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            ops[op["operationId"]] = (path, method, op)
    ours = {"search_persons", "get_person", "get_person_meetings", "who_met_whom", "find_events", "get_event",
            "get_organization", "list_agreements", "list_projects", "get_stats", "get_node", "sparql_query",
            "sparql_post", "export_turtle", "export_ntriples", "export_jsonld", "export_nquads", "export_trig"}
    assert ours <= set(ops)
    for op_id in ours:
        path, method, op = ops[op_id]
        ok = op["responses"]["200"]["content"]
        assert any("example" in c or "examples" in c for c in ok.values()), op_id
        assert op.get("summary") or op.get("description"), op_id


@pytest.mark.parametrize("example,model", [(examples.PERSON_PAGE, PersonPage), (examples.PERSON_DETAIL, PersonDetail),
                                           (examples.MEETING_PAGE, MeetingPage), (examples.EVENT_PAGE, EventPage),
                                           (examples.EVENT_DETAIL, EventDetail),
                                           (examples.ORGANIZATION_DETAIL, OrganizationDetail),
                                           (examples.WORK_PAGE, WorkPage), (examples.STATS, dict[str, int])])
def test_examples_match_their_models(example, model):
    TypeAdapter(model).validate_python(example)


BAD_REQUESTS = [
    ("GET", "/persons", {"q": "x" * 201}, 422), ("GET", "/persons", {"limit": 0}, 422),
    ("GET", "/persons", {"limit": 100000}, 422), ("GET", "/persons", {"offset": -1}, 422),
    ("GET", "/persons", {"limit": "many"}, 422), ("GET", "/persons/%00", None, 404),
    ("GET", "/persons/..%2F..%2Fetc%2Fpasswd", None, 404), ("GET", "/persons/%F0%9F%98%80/met", None, 404),
    ("GET", "/persons/wang-yi/met", {"from": "yesterday"}, 422), ("GET", "/events", {"to": "2020-1-1x"}, 422),
    ("GET", "/events", {"q": "'; DROP ALL; #"}, 200), ("GET", "/events", {"actor": "<http://x>"}, 404),
    ("GET", "/events", {"framework": "\"} UNION {"}, 404), ("GET", "/who-met-whom", {"a": "> } #"}, 404),
    ("GET", "/organizations/%22%3E%3C", None, 404), ("GET", "/id/person/%3E%20%3Cx", None, 404),
    ("GET", "/id/person/", None, 404), ("GET", "/export.xml", None, 404), ("GET", "/nowhere", None, 404),
    ("POST", "/persons", None, 405),
]


@pytest.mark.parametrize("method,path,params,status", BAD_REQUESTS)
def test_bad_input_gets_a_4xx_not_a_500(http, method, path, params, status):
    r = http.request(method, path, params=params)
    assert r.status_code == status, r.text
    if status >= 400:
        assert "detail" in r.json()


# -- kg serve ------------------------------------------------------------------------------------

def test_kg_serve_builds_a_missing_store_and_answers_sparql(tmp_path):
    port = free_port()
    store = tmp_path / "fresh"
    env = {**os.environ, "KG_STORE": str(store)}
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK { ?e a crd:ChronicleEvent }"},
                              timeout=5)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() - start < 60, "kg serve did not answer within 60 s"
                time.sleep(0.1)
        elapsed = time.monotonic() - start
        assert r.status_code == 200 and r.json()["boolean"] is True
        assert (store / "current").exists()
        print(f"kg serve on a missing store: first /sparql answer {elapsed:.1f} s after start")
    finally:
        proc.terminate()
        proc.wait(10)
