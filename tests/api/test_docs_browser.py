"""In headless Chromium with every request off loopback refused: /docs and /redoc draw
the API's operations from assets the service serves itself, and the home page's results
table downloads as CSV with plain values (no language tags glued to names)."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from api.settings import Settings
from helpers.browser import chromium
from helpers.services import live_service

pytestmark = pytest.mark.skipif(chromium() is None, reason="Chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def base(store):
    with live_service(Settings(store=store.location)) as url:
        yield url


def test_swagger_ui_renders_the_operations_offline(base, watched):
    page = watched.page
    page.goto(base + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.textContent.trim())")
    assert {"/events", "/agreements", "/figures", "/persons/{id}/met", "/sparql"} <= set(paths)
    watched.screenshot("docs-swagger-ui")
    assert watched.refused == [] and watched.errors == []
    assert any("/docs/assets/swagger-ui-bundle.js" in u for u in watched.requests)


def test_redoc_renders_offline(base, watched):
    page = watched.page
    page.goto(base + "/redoc")
    page.wait_for_selector("text=Figures with what they measure", timeout=30_000)
    watched.screenshot("docs-redoc")
    assert watched.refused == [] and watched.errors == []


def test_the_home_page_results_download_as_plain_csv(base, watched):
    page = watched.page
    page.goto(base + "/")
    page.fill("#sparql", """PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?person ?name ?zh WHERE { ?e sem:hasActor ?person . ?person a foaf:Person ;
  skos:prefLabel ?name, ?zh . FILTER(LANG(?name) = "en" && LANG(?zh) = "zh") } ORDER BY ?name LIMIT 20""")
    page.click("#run")
    page.wait_for_function("!document.getElementById('download').disabled", timeout=30_000)
    # what a reader copies from the table is the name alone
    copied = page.evaluate("""() => { const td = [...document.querySelectorAll('#results td')]
        .find(t => t.textContent.includes('Lavrov') || t.getAttribute('data-lang') === 'en');
        const r = document.createRange(); r.selectNodeContents(td); const s = getSelection();
        s.removeAllRanges(); s.addRange(r); return s.toString(); }""")
    assert not copied.endswith("en")
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read(), newline="")))
    served = httpx.post(base + "/sparql", data={"query": page.input_value("#sparql")},
                        headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    assert [r["name"] for r in rows] == [b["name"]["value"] for b in served]
    assert [r["person"] for r in rows] == [b["person"]["value"] for b in served]
    watched.screenshot("home-results-download")
    assert watched.refused == [] and watched.errors == []
