"""Every JSON list also as a table to download: CSV and XLSX, one row per item, the
useful fields of nested answers flattened into columns, names as plain text (no
language tags) and dates as ISO days.

A nested node gives three columns: its display name, its Chinese name and its id
(``counterpart``, ``counterpart_zh``, ``counterpart_id``); a list of nodes the same,
values joined by ``"; "``; a node's own names by language become ``label_zh``,
``label_en``, ``label_ru``.

    >>> from graph.analyses.models import Ref, Meeting
    >>> wang = Ref(id="wang-yi", iri="…/wang-yi", kind="person", label="Wang Yi", labels={"zh": "王毅", "en": "Wang Yi"})
    >>> columns, rows = table([wang])
    >>> columns
    ['id', 'iri', 'label', 'label_zh', 'label_en', 'label_ru', 'kind']
    >>> csv_bytes(columns, rows).decode("utf-8-sig").splitlines()[1]
    'wang-yi,…/wang-yi,Wang Yi,王毅,Wang Yi,,person'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Literal

from fastapi.responses import Response
from pydantic import BaseModel

from graph.analyses.models import Named

__all__ = ["ListFormat", "MEDIA_TYPES", "table", "csv_bytes", "xlsx_bytes", "listing", "TABLE_CONTENT"]

ListFormat = Literal["json", "csv", "xlsx"]
MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_LANGS = ("zh", "en", "ru")

Cell = str | int | float | bool | dt.date | None


def _named(out: dict[str, Cell], key: str, values: Sequence[Named]) -> None:
    out[key] = "; ".join(v.label for v in values)
    out[f"{key}_zh"] = "; ".join(v.labels.get("zh", "") for v in values)
    out[f"{key}_id"] = "; ".join(v.id for v in values)


def _put(out: dict[str, Cell], key: str, value: object) -> None:
    if isinstance(value, Named):
        _named(out, key, [value])
    elif isinstance(value, BaseModel):
        for name, inner in value:
            _put(out, f"{key}_{name}", inner)
    elif isinstance(value, dict):
        base = "label" if key == "labels" else key
        for lang in (*_LANGS, *sorted(set(value) - set(_LANGS))):
            out[f"{base}_{lang}"] = value.get(lang)
    elif isinstance(value, (list, tuple)):
        if value and all(isinstance(v, Named) for v in value):
            _named(out, key, value)
        elif value and all(isinstance(v, BaseModel) for v in value):
            flat = [_flat(v, key) for v in value]
            for k in dict.fromkeys(k for f in flat for k in f):
                out[k] = "; ".join("" if f.get(k) is None else _text(f.get(k)) for f in flat)
        else:
            out[key] = "; ".join(_text(v) for v in value)
    else:
        out[key] = value


def _flat(item: BaseModel, prefix: str = "") -> dict[str, Cell]:
    out: dict[str, Cell] = {}
    for name, value in item:
        _put(out, f"{prefix}_{name}" if prefix else name, value)
    return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def table(items: Sequence[BaseModel]) -> tuple[list[str], list[dict[str, Cell]]]:
    """The columns (in the order the answer's fields come) and one flat row per item."""
    rows = [_flat(i) for i in items]
    columns = list(dict.fromkeys(k for r in rows for k in r))
    return columns, rows


def csv_bytes(columns: list[str], rows: list[dict[str, Cell]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so spreadsheet programs read the Chinese names
    right), a header row, ``true``/``false`` and ISO days."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_text(r.get(c)) for c in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(columns: list[str], rows: list[dict[str, Cell]], sheet: str) -> bytes:
    """One worksheet: a bold header row, frozen; numbers as numbers, days as dates
    (shown ``yyyy-mm-dd``), lists as text."""
    # imported here: a tenth of a second off the service's start, for a download few ask for
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31] or "items")
    ws.freeze_panes = "A2"
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=c)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for r in rows:
        line = []
        for c in columns:
            v = r.get(c)
            if isinstance(v, dt.date):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = "yyyy-mm-dd"
                line.append(cell)
            else:
                line.append(v if v is None or isinstance(v, (int, float, bool)) else str(v))
        ws.append(line)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def listing(items: Sequence[BaseModel], fmt: ListFormat, name: str, *, page=None, paging=None):
    """The answer of a list endpoint: a ``page`` of the items as JSON, or every item
    (from ``offset``, up to ``limit`` when one is given) as a CSV or XLSX download."""
    if fmt == "json":
        return page.of(items, paging) if page is not None else list(items)
    if paging is not None:
        items = items[paging.offset:paging.offset + paging.limit] if paging.limit else items[paging.offset:]
    columns, rows = table(items)
    body = csv_bytes(columns, rows) if fmt == "csv" else xlsx_bytes(columns, rows, name)
    return Response(body, media_type=MEDIA_TYPES[fmt] + ("; charset=utf-8" if fmt == "csv" else ""),
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"', "Vary": "Accept"})


TABLE_CONTENT = {
    "text/csv": {"schema": {"type": "string"},
                 "example": "\ufeffid,iri,label,label_zh,label_en\r\nwang-yi,https://w3id.org/china-russia-dialogue/"
                            "id/person/wang-yi,Wang Yi,王毅,Wang Yi\r\n"},
    MEDIA_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
}
