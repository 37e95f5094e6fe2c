"""Who met whom, as an analyst reads the 2021 chronicle: exact participants, roles,
participants inferred from offices, and the busiest people's meetings."""

from __future__ import annotations

import pytest

from graph.sparql.run import run_query

P = "https://w3id.org/china-russia-dialogue/id/person/"


def entry_at(report, line):
    [e] = [e for e in report.chronicle if e.line == line]
    return e


def people(entry, role=None):
    return {(m.key or m.surface) for m in entry.mentions
            if m.kind == "person" and (role is None and m.role != "mentioned" or m.role == role)}


# line of the entry, participants, persons only mentioned
ENTRIES = [
    (1582, {"wang-yi", "sergey-lavrov"}, set()),                      # 中俄外长通电话
    (1802, {"xi-jinping", "vladimir-putin"}, set()),                  # 中俄两国元首通电话
    (857, {"wang-yi", "sergey-lavrov", "subrahmanyam-jaishankar"}, set()),  # 中俄印外长会晤
    (1606, {"zhang-hanhui", "igor-morgulov"}, set()),                 # 大使与副外长通电话
    (1848, {"wu-jianghao", "igor-morgulov"}, set()),                  # 部长助理同副外长通电话
    # the leaders are named only as authors of agreements the two discuss
    (1726, {"wang-chen", "ilyas-umakhanov"}, {"xi-jinping", "vladimir-putin"}),
    # the treaty's signers of 2001 are mentioned, nobody takes part
    (1886, set(), {"jiang-zemin", "vladimir-putin"}),
    # the premiers' commission is chaired by the vice premiers, not the premiers
    (1776, {"hu-chunhua", "dmitry-chernyshenko"}, set()),
    (1958, {"wei-fenghe", "sergei-shoigu"}, set()),                   # 中俄国防部长会晤
    (1467, set(), set()),                                             # 司级磋商: no one named
    (809, {"wang-yi"}, set()),                                        # a statement: its speaker
    (1744, {"ma-zhaoxu", "sergey-vershinin"}, set()),                 # 中俄副外长举行磋商
]


@pytest.mark.parametrize("line,participants,mentioned", ENTRIES)
def test_exact_participants(report, line, participants, mentioned):
    e = entry_at(report, line)
    assert people(e) == participants
    assert people(e, "mentioned") == mentioned


def test_offices_named_without_persons_are_inferred(report):
    """阿富汗问题四方电话会议: the special envoys of China, Russia and the US on 3 June 2020."""
    e = entry_at(report, 821)
    inferred = {m.key: m.via for m in e.mentions if m.kind == "person" and m.inferred}
    assert inferred == {"liu-jian": "cn-special-envoy-afghanistan",
                        "zamir-kabulov": "ru-special-representative-afghanistan",
                        "zalmay-khalilzad": "us-special-representative-afghanistan"}


def test_summit_participants_are_the_member_states_leaders(report):
    """上海合作组织成员国元首理事会: India and Pakistan are represented by their prime ministers."""
    e = entry_at(report, 1300)
    assert {"xi-jinping", "vladimir-putin", "narendra-modi", "imran-khan", "kassym-jomart-tokayev"} <= people(e)
    assert "ram-nath-kovind" not in people(e)


def test_chairs_are_hosts(report):
    assert people(entry_at(report, 1776), "host") == {"hu-chunhua", "dmitry-chernyshenko"}
    assert people(entry_at(report, 1159), "host") == {"sergey-lavrov"}


def test_pairs_follow_the_contract(store):
    """Pairs of persons acting in one CONSULT/AGREE event, read with the contract's terms only."""
    rows = run_query(store, """
        SELECT DISTINCT ?a ?b WHERE {
          ?e a crd:ChronicleEvent ; sem:eventType/skos:notation ?t . FILTER(?t IN ("CONSULT", "AGREE"))
          ?e rdfs:label "中俄印外长会晤"@zh ; ?pa ?a ; ?pb ?b .
          ?pa rdfs:subPropertyOf* sem:hasActor . ?pb rdfs:subPropertyOf* sem:hasActor .
          ?a a/rdfs:subClassOf* foaf:Person . ?b a/rdfs:subClassOf* foaf:Person .
          FILTER(STR(?a) < STR(?b)) }""").rows
    pairs = {(r["a"].removeprefix(P), r["b"].removeprefix(P)) for r in rows}
    assert pairs == {("sergey-lavrov", "subrahmanyam-jaishankar"), ("sergey-lavrov", "wang-yi"),
                     ("subrahmanyam-jaishankar", "wang-yi")}


# CONSULT/AGREE events in which each took part with at least one other named or inferred
# person, counted by reading the chronicle (calls, meetings, BRICS/SCO/RIC ministerial
# and summit meetings).
BUSIEST = {"wang-yi": 18, "sergey-lavrov": 16, "xi-jinping": 8, "vladimir-putin": 9, "ma-zhaoxu": 4,
           "igor-morgulov": 5}


def test_busiest_people(store):
    rows = run_query(store, """
        SELECT ?p (COUNT(DISTINCT ?e) AS ?n) WHERE {
          ?e a crd:ChronicleEvent ; sem:eventType/skos:notation ?t . FILTER(?t IN ("CONSULT", "AGREE"))
          ?e ?pa ?p ; ?pb ?q . ?pa rdfs:subPropertyOf* sem:hasActor . ?pb rdfs:subPropertyOf* sem:hasActor .
          ?p a/rdfs:subClassOf* foaf:Person . ?q a/rdfs:subClassOf* foaf:Person . FILTER(?p != ?q)
        } GROUP BY ?p""").rows
    counts = {r["p"].removeprefix(P): int(r["n"]) for r in rows}
    assert {k: counts.get(k, 0) for k in BUSIEST} == BUSIEST


def test_wang_yi_and_lavrov_every_date(store):
    rows = run_query(store, """
        SELECT DISTINCT ?d WHERE {
          ?enc a crd:Encounter ; crd:person id:person\\/wang-yi, id:person\\/sergey-lavrov ; schema:startDate ?d }
        ORDER BY ?d""").rows
    assert [r["d"] for r in rows] == [
        "2020-04-14", "2020-04-28", "2020-05-13", "2020-06-23", "2020-07-17", "2020-09-04", "2020-09-05",
        "2020-09-10", "2020-09-11", "2020-10-09", "2020-10-10", "2020-11-18", "2020-12-10", "2020-12-22",
        "2021-02-04", "2021-03-22"]


def test_one_iri_per_person_across_forms(store):
    """张汉辉 (the report's usual form) and 张汉晖 (the correct one) are one ambassador."""
    rows = run_query(store, """
        SELECT DISTINCT ?p WHERE { ?e crd:participant ?p . ?p skos:prefLabel|skos:altLabel ?l .
          FILTER(STR(?l) IN ("张汉辉", "张汉晖")) }""").rows
    assert [r["p"].removeprefix(P) for r in rows] == ["zhang-hanhui"]


def test_english_and_russian_names(store):
    rows = run_query(store, """
        SELECT ?en ?ru WHERE { id:person\\/sergey-lavrov skos:prefLabel ?en, ?ru .
          FILTER(LANG(?en) = "en" && LANG(?ru) = "ru") }""").rows
    assert rows and rows[0]["en"] == "Sergey Lavrov" and "Лавров" in rows[0]["ru"]


def test_people_named_in_the_chapters(store):
    rows = run_query(store, """
        SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a crd:Passage ; crd:mentions id:person\\/joe-biden }""").rows
    assert int(rows[0]["n"]) >= 5  # the chapter on China, Russia and the United States


def test_authors_are_the_curated_people(store):
    rows = run_query(store, """
        SELECT ?en WHERE { ?r a crd:Report ; dcterms:creator ?p . ?p skos:prefLabel ?en . FILTER(LANG(?en) = "en") }""").rows
    names = {r["en"] for r in rows}
    assert {"Zhao Huasheng", "Andrey Kortunov", "Vasily Kashin"} <= names
    assert len(names) == 17


def test_a_shared_surname_resolved_by_the_office_before_it(report):
    """帕特鲁舍夫 is Nikolai (Security Council) or Dmitry (agriculture): here the secretary chairs."""
    e = entry_at(report, 1065)
    hosts = [m for m in e.mentions if m.kind == "person" and m.role == "host"]
    assert [(m.key, m.inferred) for m in hosts] == [("nikolai-patrushev", False)]
