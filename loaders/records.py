"""Typed records the loaders produce. Plain data: no RDF here.

Offsets are character offsets into the decoded source text, so that
``source_text[rec.start:rec.end]`` is exactly the passage a record was read from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Passage:
    """A contiguous slice of the source text."""

    start: int
    end: int
    text: str  # exactly source[start:end]


@dataclass(frozen=True)
class ReportInfo:
    id: str  # stable slug, e.g. "crd-2021-zh"
    title: str  # as printed, e.g. "中俄对话：2021 模式"
    language: str  # BCP 47, e.g. "zh"
    year: int | None
    path: str
    sha256: str
    period: str  # the chronicle's period as printed
    period_begin: dt.date | None = None
    period_end: dt.date | None = None


@dataclass(frozen=True)
class Mention:
    """A surface form of an entity found in a passage."""

    kind: str  # "person", "organization", "country", "place", "office", "framework"
    key: str | None  # reference-data id, or None for an entity the data does not know
    surface: str
    start: int
    end: int
    role: str = ""  # e.g. "host", "speaker", "chair" where the text says
    inferred: bool = False  # participant inferred from an office, not read from the text
    via: str = ""  # what an inferred mention came from (the office id)
    en: str = ""  # an English name for a person the reference data does not know (pinyin for Chinese names)


@dataclass(frozen=True)
class AuthorCredit:
    name: str
    team: str  # "cn" or "ru" (the side), "" for translators
    role: str  # "lead", "member", "translator", "proofreader"
    affiliations: tuple[str, ...]
    passage: Passage


@dataclass(frozen=True)
class Paragraph:
    text: str  # page-break fragments joined
    passage: Passage


@dataclass(frozen=True)
class Section:
    number: str  # "第一节" or "" for an unnumbered part
    title: str
    passage: Passage
    paragraphs: tuple[Paragraph, ...] = ()


@dataclass(frozen=True)
class Chapter:
    kind: str  # "summary", "preface", "chapter", "recommendations"
    number: str  # "第一章" or ""
    title: str
    passage: Passage
    paragraphs: tuple[Paragraph, ...] = ()
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class ChronicleSection:
    key: str  # e.g. "political-dialogue"; from reference data, else a slug of the heading
    heading: str  # as printed
    en: str = ""


@dataclass(frozen=True)
class ReportedMeeting:
    """One meeting (talks, a call, a chaired session, a signing) that an entry reports
    among others: a visit's separate talks, a summit beside a forum's speeches."""

    persons: tuple[Mention, ...]  # who met, as named in the sentence or inferred from an office there
    passage: Passage  # the sentence that reports it
    date_begin: dt.date
    date_end: dt.date
    plover: str  # CONSULT, or AGREE for a signing
    form: str  # meeting, phone_call, video_conference, signing


@dataclass
class ChronicleEntry:
    """One dated entry of the appendix chronicle."""

    index: int  # 1-based position in the chronicle
    section: ChronicleSection
    date_begin: dt.date
    date_end: dt.date
    title: str
    paragraph: str
    passage: Passage  # the whole entry: date line to the end of its paragraph
    title_passage: Passage
    layout: str  # "bullet" (- date **title**), "inline" (date title), "stacked" (date / title / text)
    line: int  # 1-based line of the date in the source
    mentions: list[Mention] = field(default_factory=list)
    title_mentions: int = 0  # how many of ``mentions`` were read from the title
    plover: str = ""  # PLOVER event type
    form: str = ""  # phone_call, video_conference, meeting, statement, statistic, …
    online: bool = False
    figures: list = field(default_factory=list)  # loaders.figures.Figure
    meetings: list[ReportedMeeting] = field(default_factory=list)  # set where the entry reports several


@dataclass
class Report:
    info: ReportInfo
    intro: tuple[Paragraph, ...]
    authors: tuple[AuthorCredit, ...]
    chapters: tuple[Chapter, ...]
    chronicle: list[ChronicleEntry]
    text: str = field(repr=False, default="")
    documents: list[tuple[Mention, Passage]] = field(default_factory=list)  # cited in the chapters
    tables: list = field(default_factory=list)  # loaders.figures.Figure read from the chapters' tables
    chapter_mentions: list[tuple[Mention, Passage]] = field(default_factory=list)  # who the chapters name
