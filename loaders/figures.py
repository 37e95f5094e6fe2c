"""Figures: trade and transport statistics as typed quantities with units and periods.

Two sources: the sentences of statistics entries in the chronicle (``…贸易额下降 4.3%，
为 408.9 亿美元``) and the tables of the chapters (``表 1 2020 年俄罗斯向中国出口商品结构``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ontology.rules import Rules

from .lines import Line, passage, split_lines, tidy
from .records import ChronicleEntry, Passage, Report

_RULES = Rules.load()
# unit as printed → (normalized unit, multiplier, kind)
UNITS = {u.printed: (u.unit, u.scale, u.kind) for u in _RULES.units.values()}
_NUM_UNIT = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>" + "|".join(
    re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + ")")
_CHANGE = _RULES.cue("change")
_DOWN = _RULES.cue("decrease")
_PERIOD = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?:"
    r"第(?P<q>[一二三四1-4])季度|"
    r"(?P<half>上|下)半年|"
    r"(?:前\s*(?P<first>\d{1,2}|[一二三四五六七八九十]{1,2})\s*个?月)|"
    r"(?P<m1>\d{1,2})\s*(?:月)?\s*(?:-|至|—)\s*(?P<m2>\d{1,2})\s*月|"
    r"(?P<m>\d{1,2})\s*月)?"
)
_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}
_TABLE = re.compile(r"^表\s*(?P<n>\d+)\s*(?P<title>.+)$")
_TRIM = _RULES.cue("trim")


@dataclass(frozen=True)
class Figure:
    measure: str  # what is measured, as the text says (中俄贸易额, 出口额 of 有色金属 …)
    value: float  # as printed
    unit: str  # normalized: USD, RUB, CNY, t, m3, percent …
    scale: float  # multiply value by scale for the amount in ``unit``
    kind: str  # money, mass, volume, count, percent
    change: bool  # a change (增长 3.4%) rather than a level
    period: str  # as printed, e.g. "2020 年 1-9 月"
    period_begin: dt.date | None
    period_end: dt.date | None
    printed_unit: str
    passage: Passage
    category: str = ""  # a table row's category
    table: str = ""  # the table's title
    flow: tuple[str, str] | None = None  # (from, to) ISO codes for exports/imports


def parse_period(text: str) -> tuple[str, dt.date | None, dt.date | None] | None:
    """The last period expression in ``text``.

    >>> parse_period("2020 年 1-9 月，中俄两国贸易额")[1:]
    (datetime.date(2020, 1, 1), datetime.date(2020, 9, 30))
    >>> parse_period("2020 年第一季度")[1:]
    (datetime.date(2020, 1, 1), datetime.date(2020, 3, 31))
    """
    # "与 2019 年同期相比" names the base of a comparison, not the period measured
    found = [m for m in _PERIOD.finditer(text)
             if not _RULES.cue("compared_before").search(text[:m.start()])
             and not _RULES.cue("compared_after").match(text[m.end():])]
    if not found:
        return None
    m = found[-1]
    y = int(m["y"])
    if m["q"]:
        q = _CN_NUM.get(m["q"]) or int(m["q"])
        a, b = 3 * q - 2, 3 * q
    elif m["half"]:
        a, b = (1, 6) if m["half"] == "上" else (7, 12)
    elif m["first"]:
        a, b = 1, _CN_NUM.get(m["first"]) or int(m["first"])
    elif m["m1"]:
        a, b = int(m["m1"]), int(m["m2"])
    elif m["m"]:
        a = b = int(m["m"])
    else:
        a, b = 1, 12
    if not (1 <= a <= b <= 12):
        return None
    end = (dt.date(y + (b == 12), b % 12 + 1, 1) - dt.timedelta(days=1))
    return tidy(m.group(0)), dt.date(y, a, 1), end


def sentence_figures(text: str, where: Passage) -> list[Figure]:
    """Figures in prose: each number with a unit, its measure, and the period in force."""
    out: list[Figure] = []
    period = None
    for clause in re.split(r"[，。；,;（）()]", text):
        p = parse_period(clause)
        if p:
            period = p
        for m in _NUM_UNIT.finditer(clause):
            before = clause[:m.start()]
            if re.search(r"\d{4}\s*年\s*$|第\s*$|前\s*$", before):
                continue
            change = bool(_CHANGE.search(before)) and m["unit"] == "%"
            measure = before
            if p:
                measure = measure.replace(p[0], "") if p[0] in measure else _PERIOD.sub("", measure)
            measure = _CHANGE.sub("", tidy(measure))
            measure = _TRIM.sub("", measure)[-24:]
            if (not measure or _RULES.cue("comparison_start").match(measure)) and out and out[-1].passage == where:
                measure = out[-1].measure  # 为 408.9 亿美元 … 下降 4.3%: the same measure
            unit, scale, kind = UNITS[m["unit"]]
            value = float(m["num"])
            if change and _DOWN.search(before[-8:]):
                value = -value
            out.append(Figure(measure, value, unit, scale, kind, change,
                              period[0] if period else "", period[1] if period else None,
                              period[2] if period else None, m["unit"], where))
    return out


def table_figures(text: str, lines: list[Line], lo: int, hi: int) -> list[Figure]:
    """Rows of ``表 N …`` tables: a category, then value columns whose units the header gives."""
    out: list[Figure] = []
    i = lo
    while i < hi:
        t = _TABLE.match(lines[i].stripped)
        if not t:
            i += 1
            continue
        title = tidy(t["title"])
        period = parse_period(title)
        flow = _flow(title)
        j = i + 1
        while j < hi and lines[j].blank:
            j += 1
        if j >= hi or "\t" not in lines[j].text:
            i = j
            continue
        header = [tidy(c) for c in lines[j].text.split("\t")]
        j += 1
        while j < hi and (lines[j].blank or "\t" in lines[j].text) and not lines[j].stripped.startswith("URL"):
            cells = [c.strip() for c in lines[j].text.split("\t")]
            if len(cells) >= 2 and cells[0] and any(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in cells[1:]):
                category = tidy(cells[0])
                for col, cell in zip(header[1:], cells[1:]):
                    if not re.fullmatch(r"-?\d+(\.\d+)?", cell):
                        continue
                    printed = _header_unit(col)
                    unit, scale, kind = UNITS.get(printed, ("", 1, "number"))
                    change = "变化" in col or "增长" in col
                    out.append(Figure(re.sub(r"[（(].*", "", col), float(cell), unit, scale, kind, change,
                                      period[0] if period else "", period[1] if period else None,
                                      period[2] if period else None, printed,
                                      passage(text, lines[j].start, lines[j].end), category, title, flow))
            j += 1
        i = j
    return out


def _header_unit(col: str) -> str:
    m = re.search(r"[（(]([^)）]+)[)）]", col)
    if m and m.group(1) in UNITS:
        return m.group(1)
    return "%" if "占比" in col or "%" in col else ""


def _flow(title: str) -> tuple[str, str] | None:
    if _RULES.cue("exports_ru_cn").search(title):
        return ("RU", "CN")
    if _RULES.cue("exports_cn_ru").search(title):
        return ("CN", "RU")
    return None


class FigureStage:
    """Figures of statistics entries, and of the chapters' tables."""

    requires = ("entry.form", "entry.title", "entry.paragraph", "report.text", "report.chapters")
    assigns = ("entry.figures", "report.tables")

    def __call__(self, report: Report) -> Report:
        for entry in report.chronicle:
            if entry.form == "statistic" or "统计" in entry.title:
                entry.figures = sentence_figures(entry.paragraph, entry.passage)
        lines = split_lines(report.text)
        end = next((c.passage.end for c in reversed(report.chapters)), 0)
        hi = next((ln.no for ln in lines if ln.start >= end), len(lines))
        report.tables = table_figures(report.text, lines, 0, hi)
        return report


__all__ = ["Figure", "FigureStage", "parse_period", "sentence_figures", "table_figures", "ChronicleEntry"]
