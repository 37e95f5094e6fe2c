"""The networks behind the views, checked against the graph of the bundled report; the
pages they render (offline: nothing to fetch from elsewhere); the views, the home
page and the search over HTTP; ``kg viz``."""

from __future__ import annotations

import datetime as dt
import re

import networkx as nx
import pytest
import httpx

from api import cli
from api.pages.home import example_queries
from graph.analyses import events, meetings
from graph.networks import graphs as networks
from graph.networks import render as viz
from graph.errors import InvalidParameter, UnknownId
from graph.sparql.run import run_query
from graph.analyses.search import search
from helpers.services import views_service

ID = "https://w3id.org/china-russia-dialogue/id/"
SCO_MEMBERS = {"CN", "RU", "KZ", "KG", "TJ", "UZ", "IN", "PK"}
BRICS_MEMBERS = {"BR", "RU", "IN", "CN", "ZA"}
# A page may name these addresses (licence notes in vis-network, the SVG namespace) but
# never load anything from them.
OUTSIDE_LOAD = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", re.I)


@pytest.fixture(scope="module")
def sco(store):
    return networks.sco_network(store)


@pytest.fixture(scope="module")
def client(store):
    with views_service(store.location) as base, httpx.Client(base_url=base, timeout=30) as c:
        yield c


def _ids(G, group=None, kind=None):
    return {d["id"] for _, d in G.nodes(data=True)
            if (group is None or d["group"] == group) and (kind is None or d["kind"] == kind)}


# -- networks --------------------------------------------------------------------------

def test_sco_network_holds_members_bodies_events_and_people(store, sco):
    assert sco.graph["center"] == ID + "organization/sco"
    assert SCO_MEMBERS <= _ids(sco, kind="country")
    bodies = _ids(sco, group="body")
    assert {"sco-secretariat", "sco-council-of-heads-of-state", "sco-council-of-foreign-ministers"} <= bodies
    held = {e.id for e in events.find_events(store, framework="sco")}
    assert held <= _ids(sco, kind="event") and len(held) > 50
    persons = _ids(sco, kind="person")
    assert {"wang-yi", "sergey-lavrov", "xi-jinping", "vladimir-putin"} <= persons
    # Every person is there because they act in an event of the network.
    for n, d in sco.nodes(data=True):
        if d["kind"] == "person":
            assert any(sco.nodes[m]["kind"] == "event" for m in sco[n]), d["id"]
    assert nx.is_connected(sco)


def test_sco_memberships_carry_roles_and_dates(sco):
    india = sco.edges[ID + "country/IN", ID + "organization/sco"]
    assert india["roles"] == [("observer", "2005-07-05", "2017-06-09"), ("member", "2017-06-09", None)]
    assert sco.nodes[ID + "country/IN"]["label_zh"] == "印度"


def test_sco_events_have_dates_labels_and_evidence(sco):
    for _, d in sco.nodes(data=True):
        if d["kind"] == "event":
            (begin, end), = d["dates"]
            assert begin <= end and d["label_zh"] and d["evidence"]
    wang = sco.nodes[ID + "person/wang-yi"]
    assert (wang["label_zh"], wang["label_en"], wang["group"]) == ("王毅", "Wang Yi", "person-CN")
    assert sco.nodes[ID + "person/sergey-lavrov"]["group"] == "person-RU"


def test_brics_network(store):
    G = networks.brics_network(store)
    assert BRICS_MEMBERS <= _ids(G, kind="country")
    assert {e.id for e in events.find_events(store, framework="brics")} <= _ids(G, kind="event")
    assert networks.framework_network(store, "BRICS").number_of_nodes() == G.number_of_nodes()


def test_organization_network(store):
    G = networks.organization_network(store, "un")
    assert G.graph["center"] == ID + "organization/un"
    assert _ids(G, kind="event") and _ids(G, kind="person")
    with pytest.raises(UnknownId):
        networks.organization_network(store, "no-such-body")


def test_person_network_is_who_they_met(store):
    met = {m.counterpart.id for m in meetings.who_met_whom(store, "wang-yi")}
    G = networks.person_network(store, "wang-yi")
    assert _ids(G) == met | {"wang-yi"}
    assert G.nodes[G.graph["center"]]["pinned"]
    calls = G.edges[ID + "person/wang-yi", ID + "person/sergey-lavrov"]
    assert calls["weight"] == len(calls["meetings"]) >= 10
    assert all(m["evidence"] for m in calls["meetings"])
    two = networks.person_network(store, "wang-yi", depth=2)
    assert _ids(G) < _ids(two)
    assert all(nx.shortest_path_length(two, two.graph["center"], n) <= 2 for n in two)
    with pytest.raises(InvalidParameter):
        networks.person_network(store, "wang-yi", depth=3)


def test_met_network_has_every_pair_once(store):
    found = meetings.who_met_whom(store)
    G = networks.met_network(store)
    assert G.number_of_edges() == len({frozenset((m.person.iri, m.counterpart.iri)) for m in found})
    autumn = networks.met_network(store, since=dt.date(2020, 9, 1), until=dt.date(2020, 9, 30))
    assert 0 < autumn.number_of_edges() < G.number_of_edges()
    for _, _, d in autumn.edges(data=True):
        assert any(b <= "2020-09-30" and e >= "2020-09-01" for b, e in d["dates"])


def test_restrict_is_the_network_of_those_days(store, sco):
    since, until = dt.date(2020, 9, 1), dt.date(2020, 9, 30)
    narrow = networks.sco_network(store, since=since, until=until)
    assert set(narrow) == set(networks.restrict(sco, since, until)) and len(narrow) < len(sco)
    assert ID + "organization/sco-secretariat" in narrow          # pinned: a body stays
    assert ID + "country/IR" in narrow                          # an observer then
    assert ID + "country/BH" not in narrow                      # a dialogue partner only since 2022
    assert all(not d["dates"] or d["dates"][0][0] <= "2020-09-30" for _, d in narrow.nodes(data=True))
    assert set(networks.restrict(sco)) == set(sco)


# -- pages -----------------------------------------------------------------------------

@pytest.mark.parametrize("assets", ["inline", "/static"])
def test_pages_load_nothing_from_elsewhere(sco, assets):
    page = viz.render(sco, assets=assets)
    assert not OUTSIDE_LOAD.search(page)
    for bad in ("cdnjs", "jsdelivr", "bootstrap", "tom-select", "<iframe"):
        assert bad not in page
    srcs = re.findall(r'<script src="([^"]+)"', page)
    assert srcs == ([] if assets == "inline" else ["/static/vis-network.min.js"])


def test_page_carries_names_dates_evidence_and_legend(sco):
    page = viz.render(sco)
    assert "上海合作组织 · Shanghai Cooperation Organisation" in page
    assert "Body of the organization" in page and "Person (Russia)" in page
    assert 'id="kg-from"' in page and 'min="2001-06-15"' in page
    passage = next(d["evidence"] for _, d in sco.nodes(data=True) if d["kind"] == "event")
    assert " ".join(passage.split())[:30] in page


def test_page_keeps_hostile_labels_inert():
    G = nx.Graph(title="</script><script>alert(1)</script>")
    G.add_node("x", kind="person", label="</script><img src=x onerror=alert(1)>", group="person", dates=[])
    page = viz.render(G, assets="/static")
    assert "<img src=x" not in page and page.count("</script>") == page.count("<script") == 3
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page


# -- over HTTP -------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/viz/sco", "/viz/brics", "/viz/person/wang-yi", "/viz/person/wang-yi?depth=2",
                                  "/viz/organization/un", "/viz/met", "/viz/met?from=2020-09-01&to=2020-09-30",
                                  "/viz/sco?size=betweenness"])
def test_views_are_served(client, path):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<script src="/static/vis-network.min.js"></script>' in r.text
    assert not OUTSIDE_LOAD.search(r.text.replace('src="/static/', ""))


def test_view_script_is_served(client):
    r = client.get("/static/vis-network.min.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert r.content == viz.asset("vis-network.min.js")
    assert client.get("/static/other.js").status_code == 404


@pytest.mark.parametrize("path, status", [("/viz/person/no-one", 404), ("/viz/organization/no-body", 404),
                                          ("/viz/person/wang-yi?depth=3", 422),
                                          ("/viz/met?from=2021-01-01&to=2020-01-01", 422),
                                          ("/viz/met?from=someday", 422)])
def test_view_errors(client, path, status):
    r = client.get(path)
    assert r.status_code == status, r.text


def test_home_page(client):
    r = client.get("/")
    assert r.status_code == 200 and '<textarea id="sparql"' in r.text
    for href in ("/viz/sco", "/viz/brics", "/viz/met"):
        assert f'href="{href}"' in r.text
    assert not OUTSIDE_LOAD.search(r.text)


def test_search(client, store):
    hits = client.get("/search", params={"q": "lavrov"}).json()
    assert hits[0]["id"] == "sergey-lavrov" and hits[0]["kind"] == "person"
    orgs = client.get("/search", params={"q": "上海合作组织", "kind": "organization"}).json()
    assert orgs[0]["id"] == "sco" and orgs[0]["score"] == 100
    evs = client.get("/search", params={"q": "外长", "kind": "event", "limit": 3}).json()
    assert len(evs) == 3 and all("外长" in e["label"] or e["kind"] == "event" for e in evs)
    assert [h.id for h in search(store, "SCO", kinds=["organization"])][0] == "sco"
    assert client.get("/search", params={"q": "x", "kind": "place"}).status_code == 422


def test_example_queries_answer(store):
    for example in example_queries():
        result = run_query(store, example["query"])
        assert result.kind == "bindings" and result.rows, example["name"]
        assert example["title"][0].isupper()


# -- kg viz ----------------------------------------------------------------------------

def test_kg_viz_writes_offline_pages(store, tmp_path, capsys):
    for args in (["sco"], ["brics"], ["person", "wang-yi", "--depth", "2"], ["organization", "un"],
                 ["met", "--from", "2020-09-01", "--to", "2020-12-31"]):
        out = tmp_path / f"{args[0]}.html"
        assert cli.main(["viz", *args, "--store", store.location, "--out", str(out)]) == 0
        page = out.read_text(encoding="utf-8")
        assert page.startswith("<!doctype html>") and "vis.Network" in page
        assert "<script src=" not in page and not OUTSIDE_LOAD.search(page)
    assert "nodes" in capsys.readouterr().out


def test_kg_viz_errors(store, tmp_path, capsys):
    out = str(tmp_path / "x.html")
    assert cli.main(["viz", "person", "nobody-at-all", "--store", store.location, "--out", out]) == cli.EXIT_INPUT
    assert "no person with id 'nobody-at-all'" in capsys.readouterr().err
    assert cli.main(["viz", "met", "--from", "2021-01-01", "--to", "2020-01-01", "--store", store.location,
                     "--out", out]) == cli.EXIT_USAGE
    with pytest.raises(SystemExit) as exc:
        cli.main(["viz", "met", "--from", "2021-13-01", "--out", out])
    assert exc.value.code == 2
