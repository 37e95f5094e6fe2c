"""Dated happenings the analytical chapters report (2020年6月29日，印度政府禁止…): the data
contract counts every dated happening in the chapters as an event. Each becomes an entry
of its own, read by the same stages as the chronicle's entries, with its sentence as
passage; a happening the chronicle also records is one event with both passages (the
graph mapping decides that, from the date and the actors).
"""

from __future__ import annotations

import datetime as dt
import re

from ontology.rules import Rules

from .lines import tidy
from .records import ChronicleEntry, ChronicleSection, Passage, Report

__all__ = ["ChapterEventStage"]

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_SENTENCE = re.compile(r"[^。；！？]+[。；！？]?")
_AS_OF = Rules.load().cue("as_of")


class ChapterEventStage:
    """Entries for the chapters' dated happenings, appended to ``report.chapter_events``.

    >>> from loaders.pipeline import Pipeline, BUNDLED_REPORT
    >>> report = Pipeline.default().run(BUNDLED_REPORT, until="chapter_events")
    >>> e = next(e for e in report.chapter_events if e.date_begin.isoformat() == "2020-06-29")
    >>> e.title[:6], e.kind
    ('印度政府为了', 'chapter')
    """

    requires = ("report.chapters", "report.text")
    assigns = ("report.chapter_events",)

    def __call__(self, report: Report) -> Report:
        out: list[ChronicleEntry] = []
        for n, chapter in enumerate(report.chapters, start=1):
            section = ChronicleSection(f"chapter-{n}", (chapter.number + " " + chapter.title).strip())
            for para in [*chapter.paragraphs, *(p for s in chapter.sections for p in s.paragraphs)]:
                base = para.passage.start
                for m in _SENTENCE.finditer(para.passage.text):
                    entry = _happening(m.group(), base + m.start(), section, report.text)
                    if entry is not None:
                        out.append(replace_index(entry, len(out) + 1))
        report.chapter_events = out
        return report


def replace_index(entry: ChronicleEntry, index: int) -> ChronicleEntry:
    entry.index = index
    return entry


def _happening(raw: str, start: int, section: ChronicleSection, source: str) -> ChronicleEntry | None:
    """The entry for a sentence that dates what it reports, or None."""
    m = _DATE.search(raw)
    if m is None or _AS_OF.search(raw[:m.start()][-6:]):
        return None
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    text = tidy(raw.replace("\n", ""))
    title = tidy(re.sub(r"^[，,：:\s]*", "", _DATE.sub("", text, count=1) if text.find("年") < 12 else text))
    title = title.rstrip("。；！？")
    if len(title) < 8:
        return None
    end = start + len(raw.rstrip())
    where = Passage(start, end, source[start:end])
    return ChronicleEntry(index=0, section=section, date_begin=day, date_end=day, title=title, paragraph="",
                          passage=where, title_passage=where, layout="sentence",
                          line=source.count("\n", 0, start) + 1, kind="chapter")
