"""Meetings inside an entry: a visit reported as separate talks (the visitor meets the
president, then the foreign minister), a summit beside a forum's speeches. Each becomes a
``ReportedMeeting`` with the persons of its own sentence, so that who met whom is read
per meeting and not across the whole entry (the data contract's rule).

A sentence reports a meeting when it has a meeting verb (会见, 会谈, 通电话, 共同主持,
签署 …); the persons it names, and the holders of the offices it names (两国总理), met.
A sentence of attendance (出席, 陪同 …) adds its persons to the meeting before it. ``X分别
同A和B会谈`` is a meeting of X with each. An entry is split when it reports two meetings
or more, or one meeting that leaves out persons acting elsewhere in the entry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from ontology.rules import MEETING_TYPES, Rules

from .offices import OfficeReader
from .participants import is_historical
from .records import ChronicleEntry, Mention, Passage, ReportedMeeting

__all__ = ["MeetingStage"]

_CUES = Rules.load()
_MEETS, _ATTENDS, _SEPARATELY = _CUES.cue("meets"), _CUES.cue("attends"), _CUES.cue("separately")
_WITH, _SAME_DAY, _SIGNED = _CUES.cue("with_whom"), _CUES.cue("same_day"), _CUES.cue("signed")
_SPEAKS_AT, _INVITED_BY = _CUES.cue("speaks_at"), _CUES.cue("invited_by")
_ONLINE = _CUES.cue("online")
_PHONE = re.compile(r"通电话|通话|电话")
_BOOK_TITLE = re.compile(r"《[^》]*》")
_SENTENCE = re.compile(r"[^。；！？]+[。；！？]?")
_DAY = re.compile(r"^\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日")


class MeetingStage:
    """Splits an entry of a meeting type into the meetings it reports.

    >>> from loaders.pipeline import Pipeline
    >>> text = ("2023 年 9 月 18-21 日\\n王毅访问俄罗斯\\n王毅访问俄罗斯期间会见俄罗斯外长拉夫罗夫。"
    ...         "20日，俄罗斯总统普京在圣彼得堡会见王毅。")
    >>> entry = Pipeline.default().run_text(text, until="meetings").chronicle[0]
    >>> [(sorted(p.key for p in m.persons), str(m.date_begin)) for m in entry.meetings]
    [(['sergey-lavrov', 'wang-yi'], '2023-09-18'), (['vladimir-putin', 'wang-yi'], '2023-09-20')]
    """

    requires = ("entry.mentions", "entry.plover", "entry.paragraph", "entry.date_begin", "entry.date_end",
                "entry.title_passage", "entry.passage")
    assigns = ("entry.meetings", "entry.mentions")

    def __init__(self, offices: OfficeReader):
        self.offices = offices

    def __call__(self, entry: ChronicleEntry) -> ChronicleEntry:
        if entry.plover not in MEETING_TYPES:
            return entry
        meetings = self._meetings(entry)
        acting = {_key(m) for m in entry.mentions if m.kind == "person" and m.role != "mentioned"}
        met = {_key(p) for m in meetings for p in m.persons}
        if len(meetings) < 2 and not (meetings and acting - met):
            return entry
        entry.meetings = meetings
        entry.mentions = self._take_part(entry, meetings)
        return entry

    def _meetings(self, entry: ChronicleEntry) -> list[ReportedMeeting]:
        persons = [m for m in entry.mentions if m.kind == "person" and not m.inferred]
        titled = [m for m in persons if m.start < entry.title_passage.end and m.role != "mentioned"]
        out: list[ReportedMeeting] = []
        gathering: list[Mention] = []  # who attends or addresses the event the entry is about
        gathered_at: Passage | None = None
        current: tuple[list[Mention], Passage, str, dt.date | None] | None = None
        day: dt.date | None = None

        def close() -> None:
            nonlocal out, current
            if current is not None and len(current[0]) >= 2:
                out = _add(out, _meeting(current[0], current[1], current[2], entry, current[3]))
            current = None

        for start, text in _sentences(entry):
            if is_historical(text, entry.date_begin.year):
                continue
            day = _day(text, entry, day)
            bare = _BOOK_TITLE.sub(lambda m: "　" * len(m.group()), text)
            bare = _INVITED_BY.sub(lambda m: "　" * len(m.group()), bare)
            # 宣读了习近平的致辞: a person whose words another reads is not there
            named = _unique(m for m in persons if start <= m.start < start + len(text)
                            and bare[m.start - start] != "　" and not bare[m.end - start:].startswith("的"))
            where = Passage(start, start + len(text), text)
            found = named + self.offices.holders_named(bare, day or entry.date_begin, where,
                                                       exclude={_key(m) for m in named})
            if _MEETS.search(bare):
                groups = _separately(bare, found, start) or [found]
                for people in groups:
                    close()
                    if len(people) == 1 and titled and _key(people[0]) not in {_key(t) for t in titled}:
                        people = _unique([*titled, *people])  # the visitor, left out as the subject
                    current = (list(people), where, bare, day)
            elif (_ATTENDS.search(bare) or _SPEAKS_AT.search(bare)) and found:
                dated = _DAY.match(text) is not None
                if current is not None and (day == current[3] if dated else True):
                    current = (_unique([*current[0], *found]), current[1], current[2], current[3])
                else:
                    gathering = _unique([*gathering, *found])
                    gathered_at = gathered_at or where
        close()
        if len(gathering) >= 2 and gathered_at is not None:
            merged: list[ReportedMeeting] = []
            for m in [_meeting(gathering, gathered_at, "", entry, None), *out]:
                merged = _add(merged, m)
            out = merged
        return _one_ceremony(out)

    @staticmethod
    def _take_part(entry: ChronicleEntry, meetings: list[ReportedMeeting]) -> list[Mention]:
        """The entry's mentions with every person of a meeting acting in the entry."""
        met = {_key(p): p for m in meetings for p in m.persons}
        out, have = [], set()
        for m in entry.mentions:
            if m.kind == "person" and _key(m) in met and m.role == "mentioned":
                m = replace(m, role="participant")
            if m.kind == "person":
                have.add(_key(m))
            out.append(m)
        out += [p for k, p in met.items() if k not in have]
        return sorted(out, key=lambda m: (m.start, m.kind, m.key or ""))


def _key(m: Mention) -> str:
    return m.key or m.surface


def _unique(mentions) -> list[Mention]:
    seen, out = set(), []
    for m in mentions:
        if _key(m) not in seen:
            seen.add(_key(m))
            out.append(m)
    return out


def _sentences(entry: ChronicleEntry) -> list[tuple[int, str]]:
    """The paragraph's sentences with their offsets in the source."""
    base = entry.title_passage.end
    source = entry.passage.text[base - entry.passage.start:]
    return [(base + m.start(), m.group()) for m in _SENTENCE.finditer(source) if m.group().strip()]


def _day(text: str, entry: ChronicleEntry, before: dt.date | None) -> dt.date | None:
    """The day a sentence dates its happening to (19日，… / 3月2日，…), within the entry's
    days; the day of the sentence before for 当天, 会谈后 …"""
    m = _DAY.match(text)
    if m is None:
        return before if _SAME_DAY.match(text.strip()) else None
    month = int(m.group(1)) if m.group(1) else entry.date_begin.month
    for year in (entry.date_begin.year, entry.date_end.year):
        try:
            day = dt.date(year, month, int(m.group(2)))
        except ValueError:
            continue
        if entry.date_begin <= day <= entry.date_end:
            return day
    if not m.group(1) and entry.date_end.month != entry.date_begin.month:
        try:
            day = entry.date_end.replace(day=int(m.group(2)))
        except ValueError:
            return None
        return day if entry.date_begin <= day <= entry.date_end else None
    return None


def _separately(text: str, found: list[Mention], start: int) -> list[list[Mention]] | None:
    """``X分别同A和B会谈``: X with A, X with B."""
    m = _SEPARATELY.search(text)
    if m is None:
        return None
    at = start + m.start()
    subject = [p for p in found if p.start < at and not p.inferred]
    others = [p for p in found if p.start >= at]
    if not subject or len(others) < 2:
        return None
    return [[*subject, o] for o in others]


def _meeting(people: list[Mention], where: Passage, text: str, entry: ChronicleEntry,
             day: dt.date | None) -> ReportedMeeting:
    signing = bool(_SIGNED.search(text)) and not re.search(r"会见|会谈|会晤|会面|通电话|通话|磋商", text)
    form = ("signing" if signing else "phone_call" if _PHONE.search(text)
            else "video_conference" if _ONLINE.search(text) or (entry.online and entry.form == "video_conference")
            else "meeting")
    begin, end = (day, day) if day else (entry.date_begin, entry.date_end)
    return ReportedMeeting(tuple(people), where, begin, end, "AGREE" if signing else "CONSULT", form)


def _one_ceremony(meetings: list[ReportedMeeting]) -> list[ReportedMeeting]:
    """Signings of one day are one ceremony: its signatories met."""
    out: list[ReportedMeeting] = []
    for m in meetings:
        last = out[-1] if out else None
        if last is not None and m.form == last.form == "signing" and m.date_begin == last.date_begin:
            out[-1] = replace(last, persons=tuple(_unique([*last.persons, *m.persons])))
        else:
            out.append(m)
    return out


def _add(meetings: list[ReportedMeeting], new: ReportedMeeting) -> list[ReportedMeeting]:
    """Another meeting, unless it names no one an earlier one of the same day did not
    (会谈后，两国总理共同见证…签署: the same talks going on)."""
    keys = {_key(p) for p in new.persons}
    for m in meetings:
        if keys <= {_key(p) for p in m.persons} and m.date_begin == new.date_begin:
            return meetings
    return [*meetings, new]
