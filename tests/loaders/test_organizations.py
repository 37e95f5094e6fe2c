"""Organizations, frameworks, event types, agreements, places and figures, as users query them."""

from __future__ import annotations

import pytest

from graph.sparql.run import run_query

ID = "https://w3id.org/china-russia-dialogue/id/"


def q(store, text):
    return run_query(store, text).rows


def members_on(store, org, day):
    rows = q(store, f"""
        SELECT ?code WHERE {{
          ?m a org:Membership ; org:organization id:organization\\/{org} ; org:role id:role\\/member ;
             org:member ?c ; schema:startDate ?s .
          ?c schema:identifier ?code .
          OPTIONAL {{ ?m schema:endDate ?e }}
          FILTER(STR(?s) <= "{day}" && (!BOUND(?e) || STR(?e) >= "{day}"))
        }}""")
    return {r["code"] for r in rows}


def test_sco_member_states_in_the_period(store):
    assert members_on(store, "sco", "2020-11-10") == {"CN", "RU", "KZ", "KG", "TJ", "UZ", "IN", "PK"}
    assert members_on(store, "sco", "2016-01-01") == {"CN", "RU", "KZ", "KG", "TJ", "UZ"}


def test_brics_member_states_in_the_period(store):
    assert members_on(store, "brics", "2020-11-17") == {"BR", "RU", "IN", "CN", "ZA"}


def test_one_iri_for_every_name_of_the_sco(store):
    rows = q(store, """SELECT DISTINCT ?o WHERE { ?o a/rdfs:subClassOf* org:Organization ;
                         skos:prefLabel|skos:altLabel ?l . FILTER(STR(?l) IN ("上海合作组织", "上合组织", "SCO")) }""")
    assert [r["o"] for r in rows] == [ID + "organization/sco"]


def test_bodies_are_part_of_their_organization(store):
    rows = q(store, """SELECT ?b WHERE { ?b org:subOrganizationOf+ id:organization\\/sco ;
                         skos:prefLabel "上海合作组织秘书处"@zh }""")
    assert len(rows) == 1
    rows = q(store, """SELECT ?b WHERE { ?b org:subOrganizationOf id:organization\\/brics ;
                         skos:prefLabel ?l . FILTER(CONTAINS(STR(?l), "新开发银行")) }""")
    assert rows


@pytest.mark.parametrize("title,framework", [
    ("上海合作组织成员国卫生部长会议专家视频预备会议", "organization/sco"),
    ("金砖国家中东北非事务特使磋商", "organization/brics"),
    ("中俄印外长会晤", "framework/RIC"),
    ("二十国集团卫生部长视频会议", "organization/g20"),
    ("上海合作组织银联体理事会第十六次会议", "organization/sco"),  # a body only: SCO through it
])
def test_entries_belong_to_their_frameworks(store, title, framework):
    rows = q(store, f"""SELECT ?f WHERE {{ ?e rdfs:label "{title}"@zh ; crd:inFramework ?f }}""")
    assert ID + framework in {r["f"] for r in rows}


@pytest.mark.parametrize("title,plover,form", [
    ("中俄外长通电话", "CONSULT", "phone_call"),
    ("中俄印外长会晤", "CONSULT", "video_conference"),
    ("哈尔滨银行与俄罗斯储蓄银行签署了《贸易融资合作协议》", "AGREE", "signing"),
    ("中国向哈巴罗夫斯克边疆区提供人道主义援助", "AID", "aid_delivery"),
    ("俄罗斯对中国被指责扩散新冠病毒的立场", "ACCUSE", "statement"),
    ("中国与俄罗斯在联合国安理会否决西方向叙利亚运送人道主义援助的决议草案", "REJECT", "statement"),
    ("中俄对禁止外层空间武器化的共同立场", "SUPPORT", "statement"),
    ("中国参加在俄罗斯举行的“高加索-2020”军事演习", "COOPERATE", "exercise"),
])
def test_event_types(store, title, plover, form):
    rows = q(store, f"""SELECT ?t ?f WHERE {{ ?e rdfs:label "{title}"@zh ;
                         sem:eventType/skos:notation ?t ; crd:form/skos:notation ?f }}""")
    assert (plover, form) in {(r["t"], r["f"]) for r in rows}


def test_every_event_has_a_plover_type(store):
    rows = q(store, """SELECT (COUNT(?e) AS ?n) WHERE { ?e a crd:ChronicleEvent .
                         FILTER NOT EXISTS { ?e sem:eventType/skos:notation ?t } }""")
    assert rows[0]["n"] == "0"


@pytest.mark.parametrize("title,date,parties", [
    ("贸易融资合作协议", "2020-09-14", {"organization/harbin-bank", "organization/sberbank"}),
    ("关于延长2009年10月13日《中华人民共和国政府与俄罗斯联邦政府关于相互通报发射弹道导弹和航天运载火箭的协定》有效期的议定书",
     "2020-12-15", set()),
])
def test_agreements_concluded_by_events(store, title, date, parties):
    rows = q(store, f"""SELECT ?a ?d ?e WHERE {{ ?a a crd:Agreement ; skos:prefLabel|skos:altLabel "{title}"@zh .
                         ?e crd:concludes ?a . OPTIONAL {{ ?a schema:dateCreated ?d }} }}""")
    assert rows, title
    assert date in {r.get("d") for r in rows}
    got = {r["p"].removeprefix(ID) for r in q(store, f"""SELECT ?p WHERE {{
        ?a skos:prefLabel|skos:altLabel "{title}"@zh ; crd:party ?p }}""")}
    assert parties <= got


def test_agreement_cited_in_chapters_and_chronicle_is_one_node(store):
    rows = q(store, """SELECT DISTINCT ?a WHERE { ?a a crd:Agreement ;
                         skos:prefLabel|skos:altLabel "中俄睦邻友好合作条约"@zh }""")
    assert len(rows) == 1
    rows = q(store, f"""SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ <{rows[0]["a"]}> prov:wasDerivedFrom ?p }}""")
    assert int(rows[0]["n"]) >= 3  # chapters and chronicle


def test_where_events_happened(store):
    rows = q(store, """SELECT ?p WHERE { ?e rdfs:label "中俄印外长在莫斯科会面"@zh ; sem:hasPlace ?p }""")
    assert {r["p"] for r in rows} == {ID + "place/moscow"}
    rows = q(store, """SELECT ?o WHERE { ?e rdfs:label "上海合作组织成员国外长视频会议"@zh ; crd:online ?o }""")
    assert rows[0]["o"] == "true"


def test_trade_figures(store):
    rows = q(store, """SELECT ?amount ?change WHERE {
        ?f a crd:Figure ; crd:measure ?m ; schema:startDate "2020-01-01"^^xsd:date ;
           schema:endDate "2020-09-30"^^xsd:date ; schema:unitCode ?u ; crd:amount ?amount ; crd:isChange ?change .
        FILTER(CONTAINS(STR(?m), "贸易额")) }""")
    got = {(r["amount"], r["change"]) for r in rows}
    assert ("78800000000", "false") in got and ("-2", "true") in got
    rows = q(store, """SELECT ?v WHERE { ?f crd:category "有色金属"@zh ; crd:measure "出口额"@zh ;
                         crd:flowFrom id:country\\/RU ; crd:flowTo id:country\\/CN ; schema:value ?v }""")
    assert [r["v"] for r in rows] == ["4454.49"]


def test_one_node_for_every_citation_of_the_jcpoa(store):
    rows = q(store, """SELECT DISTINCT ?a WHERE { ?a a crd:Agreement ; skos:prefLabel|skos:altLabel ?l .
                         FILTER(STR(?l) IN ("伊核协议", "伊朗核问题全面协议", "伊朗核计划全面协议")) }""")
    assert len(rows) == 1
    rows = q(store, f"""SELECT DISTINCT ?e WHERE {{ ?e crd:about|crd:concludes <{rows[0]["a"]}> }}""")
    assert len(rows) >= 3


@pytest.mark.parametrize("key,partner,min_events", [
    ("power-of-siberia", "organization/gazprom", 5),
    ("heihe-blagoveshchensk-bridge", None, 3),
    ("ilrs", "organization/roscosmos", 1),
    ("cr929", None, 1),
    ("sputnik-v", None, 1),
])
def test_projects_with_partners_and_events(store, key, partner, min_events):
    rows = q(store, f"""SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e crd:about id:project\\/{key} }}""")
    assert int(rows[0]["n"]) >= min_events
    if partner:
        rows = q(store, f"""SELECT ?p WHERE {{ id:project\\/{key} crd:partner ?p }}""")
        assert ID + partner in {r["p"] for r in rows}


@pytest.mark.parametrize("key,date,parties", [
    ("cn-ru-good-neighbourliness-treaty-2001", "2001-07-16", {"country/CN", "country/RU"}),
    ("new-start", "2010-04-08", {"country/RU", "country/US"}),
    ("jcpoa", "2015-07-14", {"country/IR", "country/CN", "country/RU", "country/US"}),
    ("open-skies-treaty", "1992-03-24", {"country/RU", "country/US"}),
    # cited inside the title of the 2020 protocol that extends it: its date stays 2009
    ("cn-ru-missile-launch-notification-agreement-2009", "2009-10-13", {"country/CN", "country/RU"}),
    ("cn-ru-missile-launch-notification-extension-protocol-2020", "2020-12-15", {"country/CN", "country/RU"}),
    ("cn-ru-ilrs-mou-2021", "2021-03-09", {"country/CN", "country/RU"}),
    ("cn-eaeu-trade-economic-cooperation-agreement-2018", "2018-05-17", {"organization/eaeu", "country/CN"}),
    ("brics-economic-partnership-strategy-2025", "2020-11-17", {"organization/brics"}),
])
def test_agreements_with_dates_and_parties(store, key, date, parties):
    rows = q(store, f"""SELECT ?d ?p WHERE {{ id:agreement\\/{key} a crd:Agreement ; schema:dateCreated ?d ;
                         crd:party ?p }}""")
    assert {r["d"] for r in rows} == {date}
    assert parties <= {r["p"].removeprefix(ID) for r in rows}
