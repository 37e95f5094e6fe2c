"""The report's document structure: front matter, author teams, contents, chapters.

Headings are found by the report's own table of contents (a line ``title<TAB>page``
per entry), so a new edition with other chapter titles needs no code change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .lines import SENTENCE_END, Line, join_fragments, passage, tidy
from .records import AuthorCredit, Chapter, Paragraph, Section

_TOC_HEAD = re.compile(r"^目\s*录$")
_TOC_ENTRY = re.compile(r"^(?P<title>.+?)[\t ]+(?P<page>\d{1,3})\s*$")
_CHAPTER = re.compile(r"^(?P<num>第[一二三四五六七八九十百\d]+章)\s*(?P<title>.*)$")
_SECTION = re.compile(r"^(?P<num>第[一二三四五六七八九十百\d]+节)\s*(?P<title>.*)$")
_TEAM_HEAD = re.compile(r"^(?P<side>中方|俄方)(?P<role>团队负责人|成员|团队成员)[:：]\s*$")
_CREDIT_LINE = re.compile(r"^(?P<role>俄译中翻译|中译俄翻译|翻译|校对|审校|编辑)[:：]\s*(?P<names>.+)$")
_SERIES_TITLE = re.compile(r"《(?P<title>中俄对话[:：]\s*(?P<year>\d{4})\s*模式)》")
# the title as the first line of the text prints it (中俄对话：2024 模式（大事记节选）)
_FIRST_LINE_TITLE = re.compile(r"\A\s*(?P<title>中俄对话[:：]\s*(?P<year>\d{4})\s*模式)")
_QUARTER = {"一": (1, 1, 3, 31), "二": (4, 1, 6, 30), "三": (7, 1, 9, 30), "四": (10, 1, 12, 31)}
_PERIOD = re.compile(
    r"(?P<y1>\d{4})\s*年\s*第(?P<q1>[一二三四])季度\s*至\s*(?P<y2>\d{4})\s*年\s*第(?P<q2>[一二三四])季度"
)


@dataclass(frozen=True)
class Outline:
    """Where things are: line indexes of the contents, the body headings and the chronicle."""

    toc: list[tuple[str, str]]  # (title, page) as printed
    toc_line: int | None
    body_start: int  # first line after the contents
    chronicle_title_line: int | None
    appendix_line: int | None


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def find_outline(lines: Sequence[Line]) -> Outline:
    toc_line = next((i for i, ln in enumerate(lines) if _TOC_HEAD.match(ln.stripped)), None)
    toc: list[tuple[str, str]] = []
    body_start = 0
    if toc_line is not None:
        i = toc_line + 1
        while i < len(lines):
            s = lines[i].stripped
            if s:
                m = _TOC_ENTRY.match(s)
                if not m:
                    break
                toc.append((m["title"].strip(), m["page"]))
            i += 1
        body_start = i
    chron = next(
        (i for i in range(body_start, len(lines)) if "大事记" in lines[i].text and len(lines[i].stripped) < 60),
        None,
    )
    appendix = None
    if chron is not None:
        appendix = next((i for i in range(chron - 1, max(body_start, chron - 6), -1)
                         if lines[i].stripped.startswith("附录")), None)
    return Outline(toc, toc_line, body_start, chron, appendix)


def series_title(text: str) -> tuple[str, int | None]:
    """The report's title in the series and its model year, e.g. ('中俄对话：2021 模式', 2021)."""
    m = _SERIES_TITLE.search(text[:5000]) or _FIRST_LINE_TITLE.search(text)
    if not m:
        return "", None
    return m["title"], int(m["year"])


def chronicle_period(title: str) -> tuple[dt.date | None, dt.date | None]:
    """'2020 年第二季度至 2021 年第一季度…' → (2020-04-01, 2021-03-31)."""
    m = _PERIOD.search(title)
    if not m:
        return None, None
    q1, q2 = _QUARTER[m["q1"]], _QUARTER[m["q2"]]
    return dt.date(int(m["y1"]), q1[0], q1[1]), dt.date(int(m["y2"]), q2[2], q2[3])


def _heading_matches(line: str, toc: str) -> bool:
    if line == toc:
        return True
    num = re.match(r"^第[一二三四五六七八九十百\d]+[章节]", toc)
    return bool(num) and line.startswith(num.group(0)) and len(line) < 60 and not line.endswith(SENTENCE_END)


def paragraphs(text: str, lines: Sequence[Line], lo: int, hi: int) -> list[Paragraph]:
    """Paragraphs between two line indexes; a line cut mid-sentence by a page break
    is joined with the next non-blank line."""
    out: list[Paragraph] = []
    group: list[Line] = []

    def flush():
        if group:
            out.append(Paragraph(join_fragments([g.text for g in group]),
                                 passage(text, group[0].start, group[-1].end)))
            group.clear()

    for ln in lines[lo:hi]:
        if ln.blank:
            continue
        if group and group[-1].stripped.endswith(SENTENCE_END + ("”", "」", "）", ")", "：", ":")):
            flush()
        elif group and _is_heading_like(ln.stripped):
            flush()
        group.append(ln)
    flush()
    return out


def _is_heading_like(s: str) -> bool:
    return bool(_CHAPTER.match(s) or _SECTION.match(s) or re.match(r"^\d+[.．、]\s*\S", s))


def authors(text: str, lines: Sequence[Line], lo: int, hi: int) -> list[AuthorCredit]:
    """Author teams from the front matter: ``中方团队负责人：`` then ``name affiliation, title``."""
    out: list[AuthorCredit] = []
    side = role = ""
    for ln in lines[lo:hi]:
        s = ln.stripped
        if not s:
            continue
        m = _TEAM_HEAD.match(s)
        if m:
            side = "cn" if m["side"] == "中方" else "ru"
            role = "lead" if "负责人" in m["role"] else "member"
            continue
        m = _CREDIT_LINE.match(s)
        if m:
            kind = "proofreader" if m["role"] in ("校对", "审校") else "translator"
            for name in m["names"].split():
                out.append(AuthorCredit(name, "", kind, (), passage(text, ln.start, ln.end)))
            side = role = ""
            continue
        if not side:
            continue
        name, rest = _split_name(s)
        if not name:
            continue
        affs = tuple(a.strip() for a in re.split(r"[，,、;；]", rest) if a.strip())
        out.append(AuthorCredit(name, side, role, affs, passage(text, ln.start, ln.end)))
    return out


def _split_name(s: str) -> tuple[str, str]:
    parts = s.split()
    if not parts:
        return "", ""
    # "于 滨 美国…": PDF extraction splits two-character names
    if len(parts) >= 3 and len(parts[0]) == 1 and len(parts[1]) == 1:
        return parts[0] + parts[1], " ".join(parts[2:])
    return parts[0], " ".join(parts[1:])


def chapters(text: str, lines: Sequence[Line], outline: Outline) -> list[Chapter]:
    """Body parts in contents order: summary, preface, chapters with sections, recommendations."""
    end = outline.appendix_line if outline.appendix_line is not None else (
        outline.chronicle_title_line if outline.chronicle_title_line is not None else len(lines))
    wanted = [(_norm(t), t) for t, _ in outline.toc if not t.startswith("附录")]
    heads: list[tuple[int, str]] = []  # (line index, title as printed in the body)
    k = 0
    for i in range(outline.body_start, end):
        if k >= len(wanted):
            break
        s = _norm(lines[i].stripped)
        if not s:
            continue
        # the body may word a heading a little differently from the contents; a
        # numbered heading (第二节 …) matches by its number, and one missing heading
        # does not stop the search for the next
        for skip in (0, 1, 2):
            if k + skip < len(wanted) and _heading_matches(s, wanted[k + skip][0]):
                heads.append((i, tidy(lines[i].stripped)))
                k += skip + 1
                break
    out: list[Chapter] = []
    cur: dict | None = None
    for n, (i, title) in enumerate(heads):
        nxt = heads[n + 1][0] if n + 1 < len(heads) else end
        sm = _SECTION.match(title)
        if sm and cur is not None:
            sec = Section(sm["num"], tidy(sm["title"]), passage(text, lines[i].start, lines[nxt - 1].end),
                          tuple(paragraphs(text, lines, i + 1, nxt)))
            cur["sections"].append(sec)
            continue
        if cur is not None:
            out.append(_chapter(cur))
        cm = _CHAPTER.match(title)
        kind = "chapter" if cm else {"概要": "summary", "序言": "preface", "建议": "recommendations"}.get(
            _norm(title), "part")
        cur = {"kind": kind, "number": cm["num"] if cm else "", "title": tidy(cm["title"] if cm else title),
               "start": lines[i].start, "end": lines[nxt - 1].end, "paras": paragraphs(text, lines, i + 1, nxt),
               "sections": [], "text": text}
    if cur is not None:
        cur["end"] = lines[end - 1].end
        out.append(_chapter(cur))
    return out


def _chapter(c: dict) -> Chapter:
    end = c["sections"][-1].passage.end if c["sections"] else c["end"]
    return Chapter(c["kind"], c["number"], c["title"], passage(c["text"], c["start"], max(end, c["end"])),
                   tuple(c["paras"]), tuple(c["sections"]))
