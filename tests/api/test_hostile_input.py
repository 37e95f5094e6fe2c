"""The service as an attacker tries it, over real HTTP: no query or update makes it
fetch a URL, no query takes it down, a runaway query is stopped (and its work with it)
while others are answered, the dataset a query names is the one it gets, and engine
errors are the client's 4xx."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from api.settings import Settings
from benchmarks.hostile import RUNAWAY, RUNAWAY_MEMORY, seconds_to_idle, tree_rss_mb
from helpers.listener import Listener
from helpers.services import copy_store, live_service

TOKEN = "hostile-test-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
TIME_LIMIT = 2.0
MEMORY_MB = 400

# Every spelling of SERVICE a SPARQL 1.1 grammar accepts that we could think of; {url} is
# the listener, {base} its root, {port} its port.
SERVICE_QUERIES = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service <{url}> { ?s ?p ?o } }",
    "SeLeCt * { sErViCe <{url}> { ?s ?p ?o } }",
    "SELECT * { SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "SELECT * { SERVICE # a comment { }\n <{url}> { ?s ?p ?o } }",
    "SELECT * { SERVICE#c\n<{url}>{?s ?p ?o} }",
    "SELECT * { ?x ?y ?z SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * { ?s ?p 5SERVICE <{url}> { } }",
    "PREFIX ex: <http://example.org/> SELECT ?x { BIND(ex:a\\#b AS ?k) SERVICE <{url}> { ?x ?y ?z } }",
    "PREFIX ex: <http://example.org/> SELECT ?x { ?x ex:a\\#b ?o .\n SERVICE <{url}> { ?x ?y ?z } }",
    "PREFIX ex: <http://example.org/> SELECT ?x { ?x ex:a\\.b\\,c ?o SERVICE <{url}> { ?x ?y ?z } }",
    "SELECT * { \\u0053ERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * { SERV\\u0049CE <{url}> { ?s ?p ?o } }",
    "SELECT * { \\U00000053\\U00000045RVICE <{url}> { ?s ?p ?o } }",
    "SELECT * { SERVICE <http://127.0.0.1:{port}/\\u0073parql> { ?s ?p ?o } }",
    "BASE <{base}/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }",
    "PREFIX l: <{base}/> SELECT * { SERVICE l:sparql { ?s ?p ?o } }",
    "SELECT * { OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * { { ?s ?p ?o } UNION { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * { GRAPH ?g { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * { ?s ?p ?o FILTER NOT EXISTS { SERVICE SILENT <{url}> { ?a ?b ?c } } } LIMIT 1",
    "SELECT * { ?s ?p ?o MINUS { SERVICE <{url}> { ?s ?p ?o } } } LIMIT 1",
    "SELECT * { { SELECT * { SERVICE <{url}> { ?s ?p ?o } } LIMIT 1 } }",
    "SELECT * { VALUES ?e { <{url}> } SERVICE ?e { ?s ?p ?o } }",
    "SELECT * { BIND(<{url}> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "SELECT * { SERVICE SILENT ?e { ?s ?p ?o } VALUES ?e { <{url}> } }",
    "ASK { SERVICE <{url}> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * FROM <{url}> { ?s ?p ?o } LIMIT 1",
    "SELECT * FROM NAMED <{url}> { GRAPH <{url}> { ?s ?p ?o } } LIMIT 1",
]

UPDATES = [
    "LOAD <{url}>",
    "load silent <{url}> into graph <urn:x-test:loaded>",
    "LOAD <{url}> INTO GRAPH <urn:x-test:loaded>",
    "\\u004cOAD <{url}>",
    "LO\\u0041D SILENT <{url}>",
    "# a comment\nLOAD # another\n<{url}>",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> } ; LOAD <{url}>",
    "INSERT { GRAPH <urn:x-test:g> { ?s ?p ?o } } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "DELETE { ?s ?p ?o } WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "WITH <urn:x-test:g> INSERT { ?s ?p ?o } WHERE { OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } }",
]


def _fill(template: str, listener: Listener) -> str:
    base = listener.url.rsplit("/", 1)[0]
    return template.replace("{url}", listener.url).replace("{base}", base).replace("{port}", str(listener.port))


@pytest.fixture(scope="module")
def own_store(store, tmp_path_factory):
    return copy_store(store, tmp_path_factory.mktemp("hostile") / "store")


@pytest.fixture(scope="module")
def service(own_store):
    settings = Settings(store=own_store.location, query_timeout=TIME_LIMIT, query_memory=MEMORY_MB, query_workers=2,
                        query_long_workers=1, admin_token=TOKEN)
    with live_service(settings) as url:
        yield url + "/sparql"


@pytest.fixture()
def listener():
    lst = Listener()
    yield lst
    lst.close()


def test_the_listener_notices_a_contact(listener):
    """The listener is what the tests below rely on: it sees a fetch when one happens."""
    assert httpx.get(listener.url).status_code == 200
    assert listener.contacts == 1


# -- no fetches -----------------------------------------------------------------------------

@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_no_query_makes_the_service_fetch(service, listener, template):
    query = _fill(template, listener)
    for r in (httpx.post(service, data={"query": query}), httpx.get(service, params={"query": query})):
        assert r.status_code in (200, 400, 403), r.text
        assert b"fetched" not in r.content
        if "SERVICE" in template.upper() or "\\U" in template.upper():
            assert r.status_code in (400, 403), r.text
    assert listener.contacts == 0


@pytest.mark.parametrize("template", UPDATES)
def test_no_update_makes_the_service_fetch_even_with_the_admin_token(service, listener, template):
    update = _fill(template, listener)
    r = httpx.post(service, data={"update": update}, headers=ADMIN)
    assert r.status_code in (400, 403), r.text
    r = httpx.post(service, content=update.encode(), headers={**ADMIN, "Content-Type": "application/sparql-update"})
    assert r.status_code in (400, 403), r.text
    assert listener.contacts == 0
    assert httpx.get(service, params={"query": "ASK { GRAPH <urn:x-test:loaded> { ?s ?p ?o } }"}).json() == \
        {"head": {}, "boolean": False}


# -- no crashes -----------------------------------------------------------------------------

CRASHERS = {
    "3000 nested groups": "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
    "3000 nested OPTIONALs": "SELECT * WHERE { " + "OPTIONAL { " * 3000 + "}" * 3000 + " }",
    "10000 negations": "SELECT * { ?s ?p ?o FILTER(" + "!" * 10000 + "true) }",
    "3000 nested calls": "SELECT (" + "STR(" * 3000 + "1" + ")" * 3000 + " AS ?x) {}",
    "a sum of 50000 terms": "SELECT (" + "+".join(["1"] * 50000) + " AS ?x) {}",
    "20000 UNIONs": "SELECT * {" + " UNION ".join(["{}"] * 20000) + "}",
}


@pytest.mark.parametrize("name", CRASHERS)
def test_no_query_takes_the_service_down(service, name):
    r = httpx.post(service, content=CRASHERS[name].encode(), headers={"Content-Type": "application/sparql-query"},
                   timeout=60)
    assert r.status_code == 400, r.text
    assert r.json()["error"] in ("too_deep", "engine_crashed"), r.text
    assert httpx.get(service, params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


# -- limits that stop the work --------------------------------------------------------------

def _cheap(i: int) -> dict:
    return {"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?e a crd:ChronicleEvent }} # {time.time_ns()} {i}"}


def test_a_runaway_query_is_stopped_while_cheap_ones_are_answered(service):
    answers = {}
    runaway = threading.Thread(target=lambda: answers.setdefault("r", httpx.post(service, data={"query": RUNAWAY},
                                                                                  timeout=60)))
    t0 = time.monotonic()
    runaway.start()
    time.sleep(0.3)
    took = []
    while runaway.is_alive() and len(took) < 10:
        t = time.perf_counter()
        r = httpx.get(service, params=_cheap(len(took)))
        took.append(time.perf_counter() - t)
        assert r.status_code == 200 and r.json()["results"]["bindings"][0]["n"]["value"] == "644"
    runaway.join()
    took.sort()
    assert len(took) == 10 and took[len(took) // 2] < 0.1, took
    r = answers["r"]
    assert r.status_code == 503 and r.json()["error"] == "timeout", r.text
    assert f"time limit of {TIME_LIMIT:g} s" in r.json()["detail"]
    assert time.monotonic() - t0 < TIME_LIMIT + 2
    # the work stopped with the answer: the service's processes are idle again
    import os
    assert seconds_to_idle(os.getpid(), limit=TIME_LIMIT) <= TIME_LIMIT


def test_a_query_over_the_memory_limit_is_stopped(service):
    r = httpx.post(service, data={"query": RUNAWAY_MEMORY}, timeout=60)
    assert r.status_code == 503 and r.json()["error"] in ("memory_limit", "timeout"), r.text
    if r.json()["error"] == "memory_limit":
        assert f"memory limit of {MEMORY_MB} MB" in r.json()["detail"]
    assert httpx.get(service, params=_cheap(0)).status_code == 200


def test_eight_runaways_do_not_leave_the_service_busy(service):
    answers = []

    def send(i):
        answers.append(httpx.post(service, data={"query": f"{RUNAWAY} # {i}"}, timeout=60))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in answers) == [503] * 8
    assert {r.json()["error"] for r in answers} <= {"timeout", "busy"}
    r = httpx.get(service, params=_cheap(1))
    assert r.status_code == 200, r.text
    import os
    assert tree_rss_mb(os.getpid()) < 4000


# -- protocol --------------------------------------------------------------------------------

REPORT_GRAPH = "https://w3id.org/china-russia-dialogue/graph/report/crd-2021-zh"


def _count(service, query) -> int:
    r = httpx.get(service, params={"query": query})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_from_and_from_named_are_honoured(service):
    everything = _count(service, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert _count(service, "SELECT (COUNT(*) AS ?n) FROM <urn:nothing> { ?s ?p ?o }") == 0
    in_report = _count(service, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{REPORT_GRAPH}> {{ ?s ?p ?o }} }}")
    assert _count(service, f"SELECT (COUNT(*) AS ?n) FROM <{REPORT_GRAPH}> {{ ?s ?p ?o }}") == in_report
    assert 0 < in_report < everything
    # FROM NAMED alone: the default graph stays the union; GRAPH sees only the graphs named
    assert _count(service, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{REPORT_GRAPH}> {{ ?s ?p ?o }}") == everything
    assert _count(service, f"SELECT (COUNT(DISTINCT ?g) AS ?n) FROM NAMED <{REPORT_GRAPH}> "
                           "{ GRAPH ?g { ?s ?p ?o } }") == 1
    # the protocol's dataset overrides the query's
    r = httpx.get(service, params={"query": "SELECT (COUNT(*) AS ?n) FROM <urn:nothing> { ?s ?p ?o }",
                                   "default-graph-uri": REPORT_GRAPH})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == in_report


def test_engine_errors_are_the_clients(service):
    r = httpx.post(service, data={"update": "CLEAR GRAPH <urn:x-test:missing>"}, headers=ADMIN)
    assert r.status_code == 400 and r.json()["error"] == "query_failed"
    assert "does not exist" in r.json()["detail"]
    r = httpx.get(service, params={"query": "SELECT (<urn:f>(1) AS ?x) {}"})
    assert r.status_code in (200, 400)


@pytest.mark.parametrize("value", ["0", "1", "2021-02-30", "1800-01-01", "20210101", "2021-1-1", "9999-12-31"])
def test_dates_are_real_calendar_days(service, value):
    base = service.rsplit("/", 1)[0]
    for path in ("/events", "/persons/wang-yi/met", "/viz/met"):
        r = httpx.get(base + path, params={"to": value})
        assert r.status_code == 422, (path, r.text[:200])
    assert httpx.get(base + "/events", params={"to": "2021-03-31", "limit": 1}).status_code == 200
