"""The appendix chronicle: section headings, dated entries, their dates and text.

Layouts the series uses, all handled here:

- ``- 2020 年 4 月 1 日 **title**`` then the paragraph on the next line(s);
- ``2020年8月20-21日 **title**`` (no bullet);
- ``2020 年 9 月 30 日 title`` (title after the date, no markers);
- a date line alone, then a title line, then the paragraph ("stacked");
- ranges within a month (``9-24 日``), across months on one line
  (``8 月 23 日 - 9 月 5 日``) or on two (``1 月 1 日-`` / ``3 月 15 日``);
- titles and paragraphs cut by page breaks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .errors import ChronicleDateError
from .lines import SENTENCE_END, Line, join_fragments, passage, tidy
from .records import ChronicleEntry, ChronicleSection, Passage

_DASH = r"[-–—~～至]"
_DATE_HEAD = re.compile(
    rf"""^(?:[-•*]\s*)?
    (?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*
    (?:{_DASH}\s*(?P<d2>\d{{1,2}})\s*)?日
    (?:\s*{_DASH}\s*(?:(?P<y3>\d{{4}})\s*年\s*)?(?P<m3>\d{{1,2}})\s*月\s*(?P<d3>\d{{1,2}})\s*日)?
    (?P<rest>.*)$""",
    re.VERBOSE,
)
_DANGLING_RANGE = re.compile(rf"^\s*{_DASH}\s*$")
_RANGE_END_LINE = re.compile(r"^\s*(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*$")
_BODY_BULLET = re.compile(r"^\s*[-•]\s+")
_HEADING_PUNCT = re.compile(r"[。，,；;：:！？!?、（）()“”\"《》\d%]")


@dataclass(frozen=True)
class DateHead:
    begin: dt.date
    end: dt.date
    title: str  # title text on the date line, "" when stacked
    bullet_open: bool  # a **title without its closing ** (continues on the next lines)
    layout: str
    lines_used: int  # 1, or 2 when the range end sits on the next line


def parse_date_head(line: Line, nxt: Line | None, path: str = "<report>") -> DateHead | None:
    """Read a chronicle date line; None when the line is not one.

    A line that starts with a date but goes on as a sentence ("2020 年 3 月 28 日，…")
    is text, not an entry head.

    >>> from loaders.lines import Line
    >>> h = parse_date_head(Line(1, 0, 0, "- 2020 年 4 月 9-24 日 **会议**"), None)
    >>> (h.begin.isoformat(), h.end.isoformat(), h.title, h.layout)
    ('2020-04-09', '2020-04-24', '会议', 'bullet')
    >>> parse_date_head(Line(1, 0, 0, "2020 年 3 月 28 日，恢复运营"), None) is None
    True
    """
    m = _DATE_HEAD.match(line.text.strip())
    if not m:
        return _month_head(line, path)
    rest = m.group("rest")
    used = 1
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    end_y, end_m, end_d = y, mo, int(m["d2"]) if m["d2"] else d
    if m["d3"]:
        end_y, end_m, end_d = int(m["y3"] or y), int(m["m3"]), int(m["d3"])
        if not m["y3"] and end_m < mo:
            end_y += 1
    elif _DANGLING_RANGE.match(rest):
        tail = _RANGE_END_LINE.match(nxt.text) if nxt is not None else None
        if not tail:
            raise ChronicleDateError(path, line.no, line.text, "a range with no end date on the next line")
        end_y, end_m, end_d = int(tail["y"] or y), int(tail["m"]), int(tail["d"])
        if not tail["y"] and end_m < mo:
            end_y += 1
        rest, used = "", 2
    rest_s = rest.strip()
    if re.match(r"^[-–—]\s*\*\*", rest_s):  # "25-29日 - **title**"
        rest_s = rest_s.lstrip("-–— ")
    if rest_s.startswith("**"):
        body = rest_s[2:]
        closed = body.find("**")
        title = body[:closed] if closed >= 0 else body
        layout, bullet_open = "bullet", closed < 0
    elif not rest_s:
        title, layout, bullet_open = "", "stacked", False
    elif rest[:1].isspace() and not _HEADING_PUNCT.match(rest_s[0]):
        title, layout, bullet_open = rest_s, "inline", False
    else:
        return None  # a sentence that starts with a date
    try:
        begin, end = dt.date(y, mo, d), dt.date(end_y, end_m, end_d)
    except ValueError as exc:
        raise ChronicleDateError(path, line.no, line.text, str(exc)) from None
    if end < begin:
        raise ChronicleDateError(path, line.no, line.text, "the range ends before it begins")
    if line.text.lstrip().startswith(("-", "•", "*")) and layout != "bullet":
        layout = "bullet"
    return DateHead(begin, end, title.strip(), bullet_open, layout, used)


_MONTH_HEAD = re.compile(r"^(?:[-•*]\s*)?(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<rest>(?:\*\*.*)?)$")


def _month_head(line: Line, path: str) -> DateHead | None:
    """An entry dated by month only (``2019 年 4 月`` alone on its line, or before a
    ``**title**``): it spans the month."""
    m = _MONTH_HEAD.match(line.text.strip())
    if not m:
        return None
    y, mo = int(m["y"]), int(m["m"])
    if not 1 <= mo <= 12:
        raise ChronicleDateError(path, line.no, line.text, "month out of range")
    begin = dt.date(y, mo, 1)
    end = dt.date(y + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)
    rest = m["rest"].strip()
    title = rest[2:].split("**")[0] if rest else ""
    return DateHead(begin, end, title.strip(), bool(rest) and rest.count("**") < 2,
                    "bullet" if rest else "stacked", 1)


def is_heading(line: Line, known: Sequence[str]) -> bool:
    """A chronicle section heading: a known heading, or a short line with no punctuation."""
    s = tidy(line.text)
    if s in known:
        return True
    return 2 <= len(s) <= 16 and not _HEADING_PUNCT.search(s) and not s.startswith(("-", "*"))


def _next_nonblank(lines: Sequence[Line], i: int) -> int | None:
    while i < len(lines):
        if not lines[i].blank:
            return i
        i += 1
    return None


def _is_title_tail(cand: Line, after: Line | None, nxt_head: bool) -> bool:
    """A short fragment right after a title, cut from it by a page break."""
    s = cand.stripped
    return (
        not nxt_head
        and len(tidy(s)) <= 20
        and not any(ch in s for ch in "。，,；;：:！？")
        and after is not None
    )


class ChronicleSections:
    """Maps printed section headings to stable keys (reference data, with a slug fallback)."""

    def __init__(self, rows: Sequence[tuple[str, str, str]]):
        self._rows = {zh: (key, en) for zh, key, en in rows}

    @property
    def headings(self) -> list[str]:
        return list(self._rows)

    def section(self, heading: str) -> ChronicleSection:
        heading = tidy(heading)
        key, en = self._rows.get(heading, ("", ""))
        if not key:
            key = "section-" + "".join(f"{ord(c):x}" for c in heading)[:24]
        return ChronicleSection(key, heading, en)


def parse_chronicle(
    text: str,
    lines: Sequence[Line],
    start_line: int,
    sections: ChronicleSections,
    path: str = "<report>",
) -> Iterator[ChronicleEntry]:
    """Yield the chronicle's entries, from the line index ``start_line`` to the end.

    Each entry keeps its section, begin and end date, title, paragraph (page-break
    fragments joined) and the exact passage of the source it was read from.
    """
    known = sections.headings
    section = ChronicleSection("", "")
    i, n, index = start_line, len(lines), 0
    heads = {}

    def head_at(j: int) -> DateHead | None:
        if j not in heads:
            heads[j] = parse_date_head(lines[j], lines[j + 1] if j + 1 < n else None, path)
        return heads[j]

    while i < n:
        line = lines[i]
        if line.blank:
            i += 1
            continue
        head = head_at(i)
        if head is None:
            nxt = _next_nonblank(lines, i + 1)
            if is_heading(line, known) and (nxt is None or head_at(nxt) is not None):
                section = sections.section(line.text)
            i += 1
            continue
        index += 1
        entry_start = lines[i].start
        j = i + head.lines_used
        title_parts = [head.title] if head.title else []
        title_lines = [lines[i]]
        if head.bullet_open:
            while j < n and (lines[j].blank or "**" not in lines[j].text):
                if not lines[j].blank:
                    title_parts.append(lines[j].text)
                    title_lines.append(lines[j])
                j += 1
            if j < n:
                title_parts.append(lines[j].text.split("**")[0])
                title_lines.append(lines[j])
                j += 1
        if not title_parts:
            k = _next_nonblank(lines, j)
            if k is not None and head_at(k) is None:
                title_parts.append(lines[k].text)
                title_lines.append(lines[k])
                j = k + 1
        # a title cut by a page break: a short fragment with no punctuation follows it
        k = _next_nonblank(lines, j)
        if k is not None and head_at(k) is None:
            after = _next_nonblank(lines, k + 1)
            after_is_head = after is None or head_at(after) is not None
            if not after_is_head and _is_title_tail(lines[k], lines[after], False):
                title_parts.append(lines[k].text)
                title_lines.append(lines[k])
                j = k + 1
        # the paragraph: every line up to the next entry or section heading
        body: list[Line] = []
        k = j
        while k < n:
            if lines[k].blank:
                k += 1
                continue
            if head_at(k) is not None:
                break
            if is_heading(lines[k], known) and not body_ends_open(body):
                nxt = _next_nonblank(lines, k + 1)
                if nxt is None or head_at(nxt) is not None:
                    break
            body.append(lines[k])
            k += 1
        end = body[-1].end if body else title_lines[-1].end
        title = tidy(join_fragments([tidy(t.replace("**", "")) for t in title_parts]))
        paragraph = join_fragments([_BODY_BULLET.sub("", b.text) for b in body])
        yield ChronicleEntry(
            index=index,
            section=section,
            date_begin=head.begin,
            date_end=head.end,
            title=title,
            paragraph=paragraph,
            passage=passage(text, entry_start, end),
            title_passage=_title_passage(text, title_lines, head),
            layout=head.layout,
            line=lines[i].no,
        )
        i = k


def body_ends_open(body: Sequence[Line]) -> bool:
    """The paragraph so far stops mid-sentence (so the next short line continues it)."""
    return bool(body) and not body[-1].stripped.endswith(SENTENCE_END + ("”", "」", "）", ")"))


def _title_passage(text: str, title_lines: Sequence[Line], head: DateHead) -> Passage:
    first = title_lines[0] if head.title or len(title_lines) == 1 else title_lines[1]
    return passage(text, first.start, title_lines[-1].end)
