"""The ten Cypher questions of docs/neo4j.md (``graph/neo4j/queries``), each run on the
mirror in a real server and compared with the answer found another way: the contract's
who-met-whom SPARQL on the store, the curated reference data, networkx on the
who-met-whom pairs, and the report's own text for the evidence."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.neo4j import questions
from graph.neo4j.dialects import FalkorDBDialect
from graph.neo4j.mirror import sync
from graph.rdf import iris
from graph.sparql import named
from loaders.pipeline import BUNDLED_REPORT
from ontology.rules import MEETING_TYPES
from ontology.vocab import PREFIXES
from helpers.paths import ROOT

# What FalkorDB's Cypher cannot run, and why.
FALKORDB_CANNOT = {
    "counterparts_by_year": "stores dates as ISO text (it cannot send dates over Bolt), which has no .year",
    "agreements_by_year_and_party": "stores dates as ISO text (it cannot send dates over Bolt), which has no .year",
    "shortest_path": "does not parse shortestPath() in a MATCH pattern",
    "commission_system": "has no EXISTS { } subqueries",
}


@pytest.fixture(scope="module")
def mirror(bolt, store):
    bolt.revive()
    from graph.neo4j.bolt import connect

    server = connect(bolt.uri, user=bolt.user, password=bolt.password)
    sync(store, server)
    yield server
    server.close()


@pytest.fixture(scope="module")
def ask(mirror):
    """Run a question with its parameters (dates as the server stores them); rows with
    values as Python gives them (dates as ``datetime.date``)."""
    def run(name: str, **params):
        if isinstance(mirror.dialect, FalkorDBDialect) and name in FALKORDB_CANNOT:
            pytest.skip(f"FalkorDB {FALKORDB_CANNOT[name]}")
        assert sorted(params) == sorted(questions.parameters(name))
        sent = {k: mirror.dialect.encode(v) for k, v in params.items()}
        rows = mirror.read(questions.load(name), sent)
        return [{k: _py(v) for k, v in r.items()} for r in rows]

    return run


def _py(v):
    if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
        try:
            return dt.date.fromisoformat(v)  # FalkorDB's dates
        except ValueError:
            return v
    if hasattr(v, "to_native"):
        return v.to_native()
    if isinstance(v, list):
        return [_py(x) for x in v]
    return v


def _rows(store, sparql: str) -> list[dict]:
    res = store.query(sparql, prefixes=PREFIXES)
    names = [v.value for v in res.variables]
    return [{n: named.py(s[i]) for i, n in enumerate(names) if s[i] is not None} for s in res]


@pytest.fixture(scope="module")
def names(store) -> dict[str, str]:
    """Each node's display name as the mirror gives it: English, else Chinese."""
    out: dict[str, str] = {}
    rows = _rows(store, "SELECT ?s ?l (LANG(?l) AS ?lang) WHERE { ?s skos:prefLabel ?l }")
    for lang in ("ru", "zh", "en"):  # later ones win
        out.update({r["s"]: r["l"] for r in rows if r["lang"] == lang})
    return out


@pytest.fixture(scope="module")
def meetings(store) -> list[tuple[str, str, str, dt.date]]:
    """(a, b, event, day) for every pair who met, a < b: the contract's SPARQL definition."""
    rows = named.select(store, "who_met_whom", type=[ox.Literal(t) for t in MEETING_TYPES])
    days = {r["e"]: r["d"] for r in _rows(store, "SELECT ?e ?d WHERE { ?e sem:hasBeginTimeStamp ?d }")}
    return sorted({(r["a"].value, r["b"].value, r["event"].value, days[r["event"].value]) for r in rows
                   if r["a"].value < r["b"].value})


def P(key: str) -> str:
    return str(iris.person(key))


def test_every_question_is_in_the_docs_as_it_runs():
    docs = (ROOT / "docs" / "neo4j.md").read_text(encoding="utf-8")
    assert len(questions.QUESTIONS) == 10
    for name in questions.QUESTIONS:
        assert questions.load(name) in docs, f"docs/neo4j.md does not show {name}.cypher as it is"


def test_who_met_whom_in_a_period(ask, meetings, names):
    since, until = dt.date(2020, 7, 1), dt.date(2020, 9, 30)
    got = ask("met_in_period", **{"from": since, "to": until})
    pairs = defaultdict(list)
    for a, b, _, day in meetings:
        if since <= day <= until:
            pairs[(a, b)].append(day)
    assert sorted((r["person"], r["counterpart"], r["meetings"], r["first"], r["last"]) for r in got) == sorted(
        (names[a], names[b], len(d), min(d), max(d)) for (a, b), d in pairs.items())
    assert [r["meetings"] for r in got] == sorted((r["meetings"] for r in got), reverse=True)
    assert (got[0]["person"], got[0]["counterpart"]) == ("Sergey Lavrov", "Wang Yi")


def test_a_persons_counterparts_by_year(ask, meetings, names):
    got = ask("counterparts_by_year", person="wang-yi")
    expect = Counter((day.year, names[b if a == P("wang-yi") else a]) for a, b, _, day in meetings
                     if P("wang-yi") in (a, b))
    assert Counter({(r["year"], r["counterpart"]): r["meetings"] for r in got}) == expect
    assert [r["year"] for r in got] == sorted(r["year"] for r in got)
    assert got[0] == {"year": 2020, "counterpart": "Sergey Lavrov", "meetings": expect[(2020, "Sergey Lavrov")]}


@pytest.mark.parametrize("day", [dt.date(2017, 6, 8), dt.date(2017, 6, 9), dt.date(2020, 5, 1)])
def test_sco_members_on_a_date(ask, ref, day):
    got = ask("sco_members_on", date=day)
    expect = sorted((ref.countries[m.member.upper()].en, m.start.first if m.start else None) for m in ref.memberships
                    if m.org == "sco" and m.role == "member" and (m.start is None or m.start.first <= day)
                    and (m.end is None or day <= m.end.last))
    assert [(r["member"], r["since"]) for r in got] == expect
    assert len(got) == (6 if day < dt.date(2017, 6, 9) else 8)


def test_agreements_by_year_and_party(ask, store, names):
    got = ask("agreements_by_year_and_party")
    rows = _rows(store, "SELECT DISTINCT ?a ?party (SUBSTR(STR(?d), 1, 4) AS ?year) WHERE { "
                        "?a a crd:Agreement ; crd:party ?party ; schema:dateCreated ?d }")
    expect = defaultdict(list)
    for r in rows:
        expect[(int(r["year"]), names[r["party"]])].append(names[r["a"]])
    assert {(r["year"], r["party"]): r["titles"] for r in got} == {k: sorted(v) for k, v in expect.items()}
    assert all(r["agreements"] == len(r["titles"]) for r in got)
    assert [r["year"] for r in got] == sorted(r["year"] for r in got)


def test_shortest_path_between_two_people_through_meetings(ask, meetings, names):
    g = nx.Graph()
    for a, b, _, day in meetings:
        g.add_edge(a, b)
        g.edges[a, b].setdefault("days", set()).add(day)
    by_name = {names[p]: p for p in g}
    for a, b in (("xi-jinping", "subrahmanyam-jaishankar"), ("wang-yi", "vladimir-putin")):
        got = ask("shortest_path", a=a, b=b)
        assert len(got) == 1
        chain = [by_name[n] for n in got[0]["chain"]]
        assert got[0]["steps"] == len(chain) - 1 == nx.shortest_path_length(g, P(a), P(b))
        assert chain[0] == P(a) and chain[-1] == P(b)
        for (x, y), day in zip(zip(chain, chain[1:]), got[0]["dates"]):
            assert day in g.edges[x, y]["days"]


def test_the_commission_system_with_its_co_chairs(ask, store, names):
    got = ask("commission_system")
    top = {r["c"] for r in _rows(store, "SELECT ?c WHERE { ?c a crd:JointCommission FILTER NOT EXISTS { "
                                        "?c org:subOrganizationOf ?p . ?p a crd:JointCommission } }")}
    bodies = defaultdict(set)
    for r in _rows(store, "SELECT ?c ?body WHERE { ?body org:subOrganizationOf+ ?c }"):
        if r["c"] in top:
            bodies[r["c"]].add(r["body"])
    sessions = _rows(store, "SELECT DISTINCT ?unit ?e ?chair ?code WHERE { "
                            "?p rdfs:subPropertyOf+ sem:hasActor . ?q rdfs:subPropertyOf+ sem:hasActor . "
                            "?e ?p ?unit ; ?q ?chair . ?chair a/rdfs:subClassOf* foaf:Person ; "
                            "schema:nationality ?country . ?country schema:identifier ?code }")
    expect = {}
    for c in top:
        units = {c} | bodies[c]
        held = [s for s in sessions if s["unit"] in units]
        expect[names[c]] = (sorted(names[b] for b in bodies[c]), len({s["e"] for s in held}),
                            sorted({f"{names[s['chair']]} ({s['code']})" for s in held}))
    assert {r["commission"]: (r["bodies"], r["sessions"], r["co_chairs"]) for r in got} == expect
    head = {r["commission"]: r for r in got}[
        "Commission for the Preparation of Regular Meetings of Heads of Government of Russia and China"]
    assert {"Li Keqiang (CN)", "Mikhail Mishustin (RU)"} <= set(head["co_chairs"])
    assert "Russian-Chinese Subcommission on Trade and Economic Cooperation" in head["bodies"]


@pytest.mark.parametrize(("role", "day"), [("foreign_minister", dt.date(2020, 6, 1)),
                                           ("head_of_government", dt.date(2020, 1, 17))])
def test_who_held_an_office_on_a_date(ask, ref, role, day):
    got = ask("office_holders_on", role=role, date=day)
    expect = sorted((ref.offices[t.office].en, ref.offices[t.office].country, ref.persons[t.person].en,
                     t.start.first if t.start else None) for t in ref.terms
                    if ref.offices[t.office].role == role and t.covers(day))
    assert sorted((r["office"], r["country"], r["holder"], r["since"]) for r in got) == expect
    holders = defaultdict(set)
    for r in got:
        holders[r["country"]].add(r["holder"])
    if role == "foreign_minister":
        assert (holders["CN"], holders["RU"]) == ({"Wang Yi"}, {"Sergey Lavrov"})
    else:  # Mishustin took office on 16 January 2020, the day Medvedev's term ended
        assert holders["RU"] == {"Mikhail Mishustin"}


def test_entries_split_into_their_meetings(ask, store, names):
    got = ask("meetings_in_entries")
    rows = _rows(store, "SELECT ?entry ?m ?day ?form WHERE { ?entry sem:hasSubEvent ?m . "
                        "?m sem:hasBeginTimeStamp ?day ; crd:form/skos:notation ?form }")
    people = defaultdict(set)
    for r in _rows(store, "SELECT ?m ?p WHERE { ?entry sem:hasSubEvent ?m . ?m ?r ?p . "
                          "?r rdfs:subPropertyOf+ sem:hasActor . ?p a/rdfs:subClassOf* foaf:Person }"):
        people[r["m"]].add(names[r["p"]])
    assert sorted((r["entry"], r["day"], r["form"], sorted(r["people"])) for r in got) == sorted(
        (names[r["entry"]], r["day"], r["form"], sorted(people[r["m"]])) for r in rows)
    assert len(got) >= 2


def test_evidence_of_two_peoples_meetings_is_the_reports_text(ask, meetings, names):
    got = ask("evidence_of_meetings", a="wang-yi", b="sergey-lavrov")
    expect = sorted((day, names[e]) for a, b, e, day in meetings if {a, b} == {P("wang-yi"), P("sergey-lavrov")})
    assert sorted((r["date"], r["event"]) for r in got) == expect and len(got) >= 10
    source = BUNDLED_REPORT.read_text(encoding="utf-8")
    for r in got:
        assert r["report"] == "crd-2021-zh"
        assert source[r["start"]:r["end"]] == r["text"]
        assert r["event"] in r["text"]


def test_trade_figures_in_dollars(ask, store):
    got = ask("trade_figures", unit="USD")
    rows = _rows(store, "SELECT ?f ?start ?end ?measure ?amount ?reported WHERE { "
                        "?e crd:reports ?f ; sem:hasBeginTimeStamp ?reported . ?f schema:unitCode 'USD' ; "
                        "crd:isChange false ; crd:measure ?measure ; crd:amount ?amount "
                        "OPTIONAL { ?f schema:startDate ?start } OPTIONAL { ?f schema:endDate ?end } }")
    assert sorted((r["period_start"] or dt.date.min, r["period_end"] or dt.date.min, r["measure"], r["amount"],
                   r["reported"]) for r in got) == sorted(
        (r.get("start", dt.date.min), r.get("end", dt.date.min), r["measure"], float(r["amount"]), r["reported"])
        for r in rows)
    assert len(got) >= 10 and all(r["amount"] > 0 for r in got)
