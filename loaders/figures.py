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
_MONTH = r"\d{1,2}|十[一二]?|[一二三四五六七八九]"
_SPAN = (r"第(?P<q>[一二三四1-4])季度|"
         r"(?P<half>上|下)半年|"
         r"前\s*(?P<first>\d{1,2}|十[一二]?|[一二三四五六七八九])\s*个?\s*月|"
         r"(?P<months>\d{1,2}|十[一二]?|[一二三四五六七八九])\s*个\s*月|"
         rf"(?P<m1>{_MONTH})\s*(?:月)?\s*(?:-|至|—|到)\s*(?P<m2>{_MONTH})\s*月|"
         rf"(?P<m>{_MONTH})\s*月(?:份)?")
# A year, then (after 的, say) the part of it: 2020 年 1-9 月, 2020 年的前 4 个月, 2020 年六月
_PERIOD = re.compile(r"(?P<y>\d{4})\s*年\s*(?:的\s*)?(?:" + _SPAN + ")?")
# The part of a year alone, the year being the one in force: 七月, 1-10 月, 9 月份
_BARE = re.compile(r"(?<![\d年月日号])(?:" + _SPAN + ")")
_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}
_TABLE = re.compile(r"^表\s*(?P<n>\d+)\s*(?P<title>.+)$")
_TRIM = _RULES.cue("trim")
Period = tuple[str, "dt.date | None", "dt.date | None"]


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
    category: str = ""  # a table row's category, or the thing counted (720 万吨原油: 原油)
    table: str = ""  # the table's title
    flow: tuple[str, str] | None = None  # (from, to) ISO codes for exports/imports
    topic: str = "other"  # what it measures: a key of rules/measures.tsv (trade, exports, freight …)


def _num(text: str) -> int:
    return _CN_NUM.get(text) or int(text)


def _months(m: re.Match) -> tuple[int, int]:
    """First and last month of the part of a year a match names (the whole year without one)."""
    g = m.groupdict()
    if g.get("q"):
        q = _num(g["q"])
        return 3 * q - 2, 3 * q
    if g.get("half"):
        return (1, 6) if g["half"] == "上" else (7, 12)
    if g.get("first") or g.get("months"):
        return 1, _num(g.get("first") or g["months"])
    if g.get("m1"):
        return _num(g["m1"]), _num(g["m2"])
    if g.get("m"):
        return _num(g["m"]), _num(g["m"])
    return 1, 12


def _dates(y: int, a: int, b: int) -> tuple[dt.date, dt.date] | None:
    if not (1 <= a <= b <= 12):
        return None
    return dt.date(y, a, 1), dt.date(y + (b == 12), b % 12 + 1, 1) - dt.timedelta(days=1)


def _named_for_itself(text: str, m: re.Match) -> bool:
    """The period is the one measured, not the base of a comparison (与 2019 年同期相比)
    nor a starting point (自 2020 年 6 月以来)."""
    before, after = text[:m.start()], text[m.end():]
    return not (_RULES.cue("compared_before").search(before) or _RULES.cue("compared_after").match(after)
                or _RULES.cue("period_since").search(before) or _RULES.cue("period_since_after").match(after))


def parse_period(text: str, current: Period | None = None, on: dt.date | None = None) -> Period | None:
    """The last period expression in ``text`` that names the period measured: printed,
    first and last day.

    A month or span without a year (七月, 1-10 月) takes the year of the period in
    force (``current``), else the last year it could be by the day ``on`` the text was
    written; ``2019 年同期`` is the months of ``current`` in 2019; ``截至 2020 年 6 月 1 日``
    cumulates from a start the text does not give.

    >>> parse_period("2020 年 1-9 月，中俄两国贸易额")[1:]
    (datetime.date(2020, 1, 1), datetime.date(2020, 9, 30))
    >>> parse_period("2020 年第一季度")[1:]
    (datetime.date(2020, 1, 1), datetime.date(2020, 3, 31))
    >>> parse_period("2020 年六月两国贸易额")[1:], parse_period("2020 年 9 个月中俄农产品的贸易额")[1:]
    ((datetime.date(2020, 6, 1), datetime.date(2020, 6, 30)), (datetime.date(2020, 1, 1), datetime.date(2020, 9, 30)))
    >>> parse_period("七月购买了", current=("2020年8月", dt.date(2020, 8, 1), dt.date(2020, 8, 31)))
    ('七月', datetime.date(2020, 7, 1), datetime.date(2020, 7, 31))
    >>> parse_period("截至 2020 年 6 月 1 日，出口量")
    ('截至2020年6月', None, None)
    """
    found = [m for m in _PERIOD.finditer(text) if _named_for_itself(text, m)]
    same = [m for m in _PERIOD.finditer(text) if _RULES.cue("same_period").match(text[m.end():])
            and not _RULES.cue("compared_before").search(text[:m.start()])]
    if same and current and current[1] and (not found or same[-1].start() > found[-1].start()):
        m = same[-1]
        y = int(m["y"])
        a, b = current[1].month, current[2].month
        span = _dates(y, a, b)
        return (tidy(m.group(0)) + "同期", *span) if span else None
    if found:
        m = found[-1]
        if _RULES.cue("period_until").search(text[:m.start()]):
            return "截至" + tidy(m.group(0)), None, None
        span = _dates(int(m["y"]), *_months(m))
        return (tidy(m.group(0)), *span) if span else None
    bare = [m for m in _BARE.finditer(text) if m.group(0).strip() and _named_for_itself(text, m)]
    if bare and ((current and current[1]) or on):
        m = bare[-1]
        a, b = _months(m)
        y = current[1].year if current and current[1] else on.year - (b > on.month)
        span = _dates(y, a, b)
        return (tidy(m.group(0)), *span) if span else None
    return None


def _clean(words: str, period: Period | None) -> str:
    """Words that may name a measure, without the period, the change and the linking words."""
    if period and period[0] and period[0] in words:
        words = words.replace(period[0], "")
    words = _PERIOD.sub("", words)
    words = _CHANGE.sub("", tidy(words))
    if _RULES.cue("comparison_start").match(words):
        return ""
    words = _TRIM.sub("", words)
    words = _RULES.cue("measure_pronoun").sub("", words)
    words = _TRIM.sub("", words)[-24:]
    if len(words) < 2 or _RULES.cue("comparison_start").match(words) or _RULES.cue("measure_fragment").match(words):
        return ""
    return words


def _after(words: str) -> str:
    """The words after a number up to the next punctuation or number, when they can name
    the measure (共有 32.79 万辆汽车通过珲春铁路过境点)."""
    rest = tidy(re.split(r"[，。；,;（）()]|\d", words, maxsplit=1)[0])
    rest = _TRIM.sub("", rest)
    return rest[:24] if len(rest) >= 2 and not _RULES.cue("comparison_start").match(rest) else ""


def sentence_figures(text: str, where: Passage, *, on: dt.date | None = None) -> list[Figure]:
    """Figures in prose: each number with a unit, its measure, what it counts, and the
    period in force.

    The measure is read from the words before the number (from the previous number of
    the clause on); where those name nothing (共有, 为, 这一数字, a comparison), from the
    clause before it that holds no figure, then from the words after the number, then
    it is the measure of the figure before. ``on`` (the entry's day) dates a month
    named without its year.

    >>> from loaders.records import Passage
    >>> figs = sentence_figures("2021 年 2 月,共有 32.79 万辆汽车通过珲春铁路过境点。其中煤的出口量翻了一番,达到 "
    ...                         "31.9 万吨。", Passage(0, 0, ""))
    >>> [(f.measure, f.value, str(f.period_end)) for f in figs]
    [('汽车通过珲春铁路过境点', 32.79, '2021-02-28'), ('煤的出口量', 31.9, '2021-02-28')]
    """
    out: list[Figure] = []
    period: Period | None = None
    for sentence in re.split(r"[。；;]", text):
        pending = ""  # the sentence's clauses, outside brackets, before its first figure
        local: Period | None = None  # 截至 …, 2019 年同期: for this sentence only
        seen = len(out)
        depth = 0
        for clause, mark in _clauses(sentence):
            p = parse_period(clause, period, on)
            if p and (p[0].endswith("同期") or p[0].startswith("截至")):
                local = p
            elif p:
                period, local = p, None  # in force until another is named
            shown = local or period
            prev_end, found = 0, False
            for m in _NUM_UNIT.finditer(clause):
                before = clause[prev_end:m.start()]
                whole_before = clause[:m.start()]
                prev_end = m.end()
                if re.search(r"\d{4}\s*年\s*$|第\s*$|前\s*$", whole_before):
                    continue
                found = True
                change = bool(_CHANGE.search(before)) and m["unit"] == "%"
                previous = next((f.measure for f in reversed(out) if f.passage == where), "")
                after = clause[m.end():]
                counted = _RULES.cue("counted_after").match(after)
                noun = counted["noun"] if counted else ""
                measure = _clean(before, shown)
                listed = out and out[-1].passage == where and measure and measure == out[-1].category
                if listed or not measure:
                    measure = "" if listed else measure  # 1.05 吨大豆、3900 吨玉米: the list goes on
                    # the clauses before a sentence's first figure, or before the bracket a figure
                    # stands in (吉利(超过 2000 辆)), may name it; so may the words after the first
                    first = len(out) == seen
                    measure = (_clean(pending, shown) if first or depth else "") \
                        or (_after(after) if first and not noun else "") or previous
                elif len(measure) <= 3 and after.lstrip().startswith("的"):
                    measure = (measure + _after(after))[:24]  # 中国 2.357 亿美元的货物出口到俄罗斯
                    noun = ""
                if noun and noun in measure:
                    noun = ""
                unit, scale, kind = UNITS[m["unit"]]
                value = float(m["num"])
                if change and _DOWN.search(before[-8:]):
                    value = -value
                flow = _flow(measure) or _flow(whole_before)
                topic = _RULES.measure_kind((measure + noun) or clause).key
                out.append(Figure(measure, value, unit, scale, kind, change,
                                  shown[0] if shown else "", shown[1] if shown else None,
                                  shown[2] if shown else None, m["unit"], where, noun, "", flow, topic))
            if depth == 0:
                pending = "" if found else clause
            depth = max(0, depth + (mark in "（(") - (mark in "）)")) if mark else depth
    return out


def _clauses(sentence: str) -> list[tuple[str, str]]:
    """The clauses of a sentence, each with the mark that ends it (a comma or a bracket)."""
    parts = re.split(r"([，,（）()])", sentence)
    return [(parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]


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
                    measure = re.sub(r"[（(].*", "", col)
                    out.append(Figure(measure, float(cell), unit, scale, kind, change,
                                      period[0] if period else "", period[1] if period else None,
                                      period[2] if period else None, printed,
                                      passage(text, lines[j].start, lines[j].end), category, title, flow,
                                      _RULES.measure_kind(measure + title).key))
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
                entry.figures = sentence_figures(entry.paragraph, entry.passage, on=entry.date_begin)
        lines = split_lines(report.text)
        end = next((c.passage.end for c in reversed(report.chapters)), 0)
        hi = next((ln.no for ln in lines if ln.start >= end), len(lines))
        report.tables = table_figures(report.text, lines, 0, hi)
        return report


__all__ = ["Figure", "FigureStage", "parse_period", "sentence_figures", "table_figures", "ChronicleEntry"]
