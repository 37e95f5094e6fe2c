"""Every JSON list endpoint also answers CSV and XLSX (by ``format=`` and by ``Accept``),
over real HTTP: the downloads parse back, with the csv module and openpyxl, to the rows
of the JSON answer, with plain names and ISO dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import httpx
import openpyxl
import pytest

from api.settings import Settings
from helpers.services import live_service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def http(store):
    with live_service(Settings(store=store.location)) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def _csv(body: bytes) -> list[dict[str, str]]:
    assert body.startswith("\ufeff".encode())  # spreadsheet programs read the Chinese names right
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def _xlsx(body: bytes) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    width = len(rows[0])  # a row whose last cells are empty may come back shorter
    return [dict(zip(rows[0], (*r, *(None,) * (width - len(r))))) for r in rows[1:]]


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(value)
    return str(value)


def _items(http, path: str, params: dict) -> list[dict]:
    r = http.get(path, params=params if path == "/search" else {**params, "limit": 1000})
    assert r.status_code == 200, r.text
    body = r.json()
    return body["items"] if isinstance(body, dict) else body


# path, parameters, and for each JSON item the cells its row must hold
LISTS = [
    ("/events", {"type": "CONSULT", "framework": "sco"},
     lambda i: {"id": i["id"], "label": i["label"], "date": i["date"], "type": i["type"]}),
    ("/persons", {"q": "wang"},
     lambda i: {"id": i["id"], "label": i["label"], "label_zh": i["labels"].get("zh", ""), "pinyin": i["pinyin"] or ""}),
    ("/persons/sergey-lavrov/met", {},
     lambda i: {"person": i["person"]["label"], "counterpart": i["counterpart"]["label"],
                "counterpart_zh": i["counterpart"]["labels"]["zh"], "counterpart_id": i["counterpart"]["id"],
                "date": i["date"], "event_id": i["event"]["id"],
                "places": "; ".join(p["label"] for p in i["places"]),
                "evidence_text": "; ".join(e["text"] for e in i["evidence"])}),
    ("/who-met-whom", {"from": "2020-09-01", "to": "2020-12-31"},
     lambda i: {"person_id": i["person"]["id"], "counterpart_id": i["counterpart"]["id"], "date": i["date"],
                "type": i["type"]}),
    ("/agreements", {},
     lambda i: {"id": i["id"], "label_zh": i["labels"]["zh"], "date": i["date"] or "", "type": i["type"] or "",
                "concluded_in_period": "true" if i["concluded_in_period"] else "false",
                "parties_id": "; ".join(p["id"] for p in i["parties"]),
                "signers": "; ".join(p["label"] for p in i["signers"])}),
    ("/projects", {}, lambda i: {"id": i["id"], "label": i["label"]}),
    ("/figures", {"measure": "trade"},
     lambda i: {"id": i["id"], "measure_label": i["measure_label"], "measure": i["measure"],
                "value": str(i["value"]), "unit_printed": i["unit_printed"], "period": i["period"] or "",
                "period_begin": i["period_begin"] or "", "flow_from_id": (i["flow_from"] or {}).get("id", "")}),
    ("/search", {"q": "lavrov"}, lambda i: {"id": i["id"], "kind": i["kind"], "label": i["label"]}),
]


@pytest.mark.parametrize("path,params,expect", LISTS, ids=[p for p, _, _ in LISTS])
def test_csv_and_xlsx_parse_back_to_the_json_rows(http, path, params, expect):
    items = _items(http, path, params)
    assert items, path
    by_format = http.get(path, params={**params, "format": "csv"})
    by_accept = http.get(path, params=params, headers={"Accept": "text/csv"})
    assert by_format.headers["content-type"].startswith("text/csv")
    assert "attachment" in by_format.headers["content-disposition"]
    assert by_format.content == by_accept.content
    rows = _csv(by_format.content)
    assert len(rows) == len(items)  # every item, not one page
    for item, row in zip(items, rows):
        for column, value in expect(item).items():
            assert row[column] == ("" if value is None else str(value)), (path, column)
    xlsx = http.get(path, params=params, headers={"Accept": XLSX})
    assert xlsx.headers["content-type"] == XLSX
    sheet = _xlsx(xlsx.content)
    assert [list(r) for r in sheet[:1]] == [list(rows[0])]
    for row, cells in zip(rows, sheet):
        assert {k: _same(v) for k, v in cells.items()} == {k: _same(v) for k, v in row.items()}


def _same(value) -> str:
    """A cell as text, numbers written one way (a spreadsheet keeps 162.0 as 162)."""
    text = _plain(value)
    return str(float(text)) if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text) else text


def test_names_are_plain_and_dates_iso(http):
    rows = _csv(http.get("/persons/wang-yi/met", params={"format": "csv"}).content)
    assert rows[0]["person"] == "Wang Yi" and rows[0]["person_zh"] == "王毅"
    for row in rows:
        assert dt.date.fromisoformat(row["date"])
        assert not any(v.endswith(("@en", "@zh", "@ru")) for v in row.values())
    cells = _xlsx(http.get("/persons/wang-yi/met", params={"format": "xlsx"}).content)
    assert isinstance(cells[0]["date"], dt.datetime)  # a date cell, sortable in a spreadsheet


def test_paging_applies_to_downloads_when_asked(http):
    rows = _csv(http.get("/events", params={"format": "csv", "limit": 5, "offset": 10}).content)
    page = http.get("/events", params={"limit": 5, "offset": 10}).json()["items"]
    assert [r["id"] for r in rows] == [i["id"] for i in page]


def test_a_format_no_list_takes_is_refused(http):
    r = http.get("/events", headers={"Accept": "image/png"})
    assert r.status_code == 406 and "text/csv" in r.json()["allowed"]
    r = http.get("/events", params={"format": "pdf"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "format"]
