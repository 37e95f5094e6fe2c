"""Answers an analyst cites: agreements of the period apart from older ones cited, figures
with what they measure and their period, filters that refuse what they do not take,
repeatable filters, and English words for a Chinese chronicle; over real HTTP."""

from __future__ import annotations

import httpx
import pytest
from pydantic import TypeAdapter

from api import examples
from api.models import AgreementPage, FigurePage
from api.settings import Settings
from graph.analyses.search import SearchHit
from helpers.services import live_service


@pytest.fixture(scope="module")
def http(store):
    with live_service(Settings(store=store.location)) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def _all(http, path, **params):
    r = http.get(path, params={**params, "limit": 1000})
    assert r.status_code == 200, r.text
    return r.json()["items"]


# -- agreements --------------------------------------------------------------------------------------

def test_older_documents_cited_are_apart_from_the_periods_own(http):
    older = {a["id"]: a for a in _all(http, "/agreements", signed="false")}
    signed = {a["id"]: a for a in _all(http, "/agreements", signed="true")}
    assert {"un-charter", "paris-agreement"} <= set(older)
    assert not {"un-charter", "paris-agreement"} & set(signed)
    assert all(a["date"] and "2020-04" <= a["date"][:7] <= "2021-03" for a in signed.values())
    assert older["un-charter"]["date"] == "1945-06-26" and older["un-charter"]["evidence"]


def test_an_agreement_with_its_date_parties_signers_and_events(http):
    lunar = next(a for a in _all(http, "/agreements", party=["CN", "RU"], type="memorandum", signed="true")
                 if "月球" in a["labels"]["zh"])
    assert lunar["date"] == "2021-03-09" and lunar["concluded_in_period"]
    assert {p["id"] for p in lunar["parties"]} == {"CN", "RU"}
    assert {s["id"] for s in lunar["signers"]} == {"dmitry-rogozin", "zhang-kejian"}
    assert lunar["concluded_by"][0]["date"] == "2021-03-09"
    # the 2001 treaty, extended in 2021: older, and its signers are not those who extended it
    treaty = next(a for a in _all(http, "/agreements", party=["CN", "RU"], type="treaty")
                  if a["id"] == "cn-ru-good-neighbourliness-treaty-2001")
    assert not treaty["concluded_in_period"] and treaty["signers"] == [] and treaty["concluded_by"]


def test_agreements_by_date_and_party(http):
    autumn = _all(http, "/agreements", **{"from": "2020-11-01", "to": "2020-11-30"})
    assert autumn and all("2020-11" <= a["date"][:7] <= "2020-11" for a in autumn)
    both = _all(http, "/agreements", party=["CN", "RU"])
    assert both and all({"CN", "RU"} <= {p["id"] for p in a["parties"]} for a in both)
    r = http.get("/agreements", params={"type": "poem"})
    assert r.status_code == 422 and "treaty" in r.json()["detail"][0]["allowed"]


# -- figures -------------------------------------------------------------------------------------------

def test_figures_say_what_they_measure_and_when(http):
    june = _all(http, "/figures", measure="trade", period="2020-06", change="false")
    turnover = next(f for f in june if f["value"] == 81.9)
    assert turnover["measure_label"] == "Trade turnover" and turnover["period"] == "2020年六月"
    assert (turnover["period_begin"], turnover["period_end"]) == ("2020-06-01", "2020-06-30")
    assert turnover["unit_printed"] == "亿美元" and turnover["amount"] == 8.19e9
    assert "81.9" in turnover["evidence"]["text"].replace(" ", "")
    exports = next(f for f in june if f["value"] == 42.0 and f["unit"] == "USD")
    assert exports["measure_label"] == "Exports, Russia to China"
    nine_months = _all(http, "/figures", measure="trade", period="2020-01/2020-09")
    assert any(f["value"] == 38.0 and f["period_end"] == "2020-09-30" for f in nine_months)
    assert not any(f["period_end"] == "2020-12-31" for f in nine_months)


def test_figure_measures_are_words_not_fragments(http):
    every = _all(http, "/figures")
    assert len(every) > 200
    assert not [f["measure"] for f in every if len(f["measure"]) < 2 or f["measure"] in ("有", "是", "由", "为")]
    transport = _all(http, "/figures", measure="transport")
    assert transport and {f["kind"] for f in transport} == {"freight"}
    r = http.get("/figures", params={"period": "autumn"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "period"]


# -- parameters ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/events", "/persons", "/persons/wang-yi/met", "/who-met-whom", "/agreements",
                                  "/projects", "/figures", "/stats", "/persons/wang-yi"])
def test_an_unknown_parameter_is_named(http, path):
    r = http.get(path, params={"section": "中俄贸易统计"})
    assert r.status_code == 422
    issue = r.json()["detail"][0]
    assert issue["loc"] == ["query", "section"] and "unknown parameter" in issue["msg"]


def test_a_single_valued_parameter_given_twice_is_refused(http):
    r = http.get("/events", params=[("q", "外长"), ("q", "总理")])
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "q"]
    r = http.get("/who-met-whom", params=[("a", "wang-yi"), ("a", "sergey-lavrov")])
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "a"]


def test_repeated_filters(http):
    xi, putin = (set(e["id"] for e in _all(http, "/events", actor=a)) for a in ("xi-jinping", "vladimir-putin"))
    both = {e["id"] for e in _all(http, "/events", actor=["xi-jinping", "vladimir-putin"])}
    assert both == xi & putin and both
    consult, agree = (len(_all(http, "/events", type=t)) for t in ("CONSULT", "AGREE"))
    assert len(_all(http, "/events", type=["CONSULT", "AGREE"])) == consult + agree
    sco, brics = (set(e["id"] for e in _all(http, "/events", framework=f)) for f in ("sco", "brics"))
    assert {e["id"] for e in _all(http, "/events", framework=["sco", "brics"])} == sco | brics
    met = _all(http, "/persons/wang-yi/met", type=["CONSULT", "AGREE"])
    assert len(met) == len(_all(http, "/persons/wang-yi/met"))


def test_english_words_find_the_chinese_chronicle(http):
    chinese = {e["id"] for e in _all(http, "/events", q="疫苗")}
    assert chinese and {e["id"] for e in _all(http, "/events", q="vaccine")} == chinese
    assert _all(http, "/events", q="lavrov phone call")  # a person's and a form's English names
    hits = http.get("/search", params={"q": "vaccine", "kind": "event"}).json()
    assert {h["id"] for h in hits} <= chinese and hits


def test_examples_match_their_models():
    TypeAdapter(AgreementPage).validate_python(examples.AGREEMENT_PAGE)
    TypeAdapter(FigurePage).validate_python(examples.FIGURE_PAGE)
    TypeAdapter(list[SearchHit]).validate_python(examples.SEARCH_HITS)


def test_every_status_a_list_gives_is_declared(http):
    spec = http.get("/openapi.json").json()
    for path in ("/events", "/persons", "/agreements", "/figures", "/search", "/who-met-whom"):
        declared = set(spec["paths"][path]["get"]["responses"])
        assert {"200", "406", "422"} <= declared, path
        assert "text/csv" in spec["paths"][path]["get"]["responses"]["200"]["content"]
