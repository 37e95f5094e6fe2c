"""Annotation stages over chronicle entries, each with one job:

- ``EventTyper``: PLOVER type and form from the rules in ``event_types.tsv``;
- ``MentionStage``: entity mentions in title and paragraph (``MentionFinder``);
- ``ParticipantStage``: which persons took part and in what role, and the
  participants an entry names only by office (中俄外长通电话), inferred from who held
  the office on the day.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from ontology import DATA_DIR
from ontology.reference import ReferenceData

from .lines import tidy
from .mentions import MentionFinder, locate
from .records import ChronicleEntry, Mention

INTERACTION_TYPES = frozenset({"CONSULT", "AGREE"})
_ONLINE = re.compile(r"视频|在线|线上|网络会议|网络研讨|云端|远程|以视频|通过视频|网上")


@dataclass(frozen=True)
class TypingRule:
    field: str
    pattern: re.Pattern
    plover: str
    form: str


class EventTyper:
    """PLOVER type and form of an entry, from reviewable rules.

    >>> typer = EventTyper.from_file()
    >>> typer.classify("中俄外长通电话", "")
    ('CONSULT', 'phone_call')
    """

    def __init__(self, rules: list[TypingRule]):
        self.rules = rules

    @classmethod
    def from_file(cls, path=DATA_DIR / "event_types.tsv") -> EventTyper:
        rules = []
        with open(path, encoding="utf-8", newline="") as fh:
            rows = csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t")
            for n, row in enumerate(rows, start=2):
                try:
                    pat = re.compile(row["pattern"])
                except re.error as exc:
                    raise ValueError(f"{path.name}:{n}: bad pattern {row['pattern']!r}: {exc}") from None
                rules.append(TypingRule(row["field"], pat, row.get("plover") or "", row.get("form") or ""))
        return cls(rules)

    def classify(self, title: str, text: str) -> tuple[str, str]:
        plover = form = ""
        for r in self.rules:
            subject = title if r.field == "title" else text if r.field == "text" else title + "\n" + text
            if (not plover and r.plover) or (not form and r.form):
                if r.pattern.search(subject):
                    plover = plover or r.plover
                    form = form or r.form
            if plover and form:
                break
        return plover, form

    def __call__(self, entry: ChronicleEntry) -> ChronicleEntry:
        entry.plover, entry.form = self.classify(entry.title, entry.paragraph)
        entry.online = bool(_ONLINE.search(entry.title) or _ONLINE.search(entry.paragraph[:200]))
        return entry


class MentionStage:
    """Entity mentions of an entry's title and paragraph, with source offsets."""

    def __init__(self, finder: MentionFinder):
        self.finder = finder

    def __call__(self, entry: ChronicleEntry, source: str) -> ChronicleEntry:
        tp = entry.title_passage
        title_found = self.finder.find(entry.title)
        mentions = locate(title_found, entry.title, source[tp.start:tp.end], tp.start, (tp.start, tp.end))
        para_start = tp.end
        para_found = self.finder.find(entry.paragraph)
        mentions += locate(para_found, entry.paragraph, source[para_start:entry.passage.end], para_start,
                           (entry.passage.start, entry.passage.end))
        entry.mentions = [m for m in mentions]
        entry.title_mentions = len(title_found)
        return entry


_COUNTRY_PAIR_OFFICE = re.compile(r"^(?P<countries>[\u4e00-\u9fff]{2,4}?)(?:两国|三国|四国|双方)?(?P<role>[\u4e00-\u9fff]{2,5})")


class ParticipantStage:
    """Persons' roles in an entry, and participants inferred from offices.

    A person named in the entry takes part unless the text only mentions them; the
    chair (会议由…主持) is the host; the one whose words a statement reports is the
    speaker. An entry whose title names offices and no persons (中俄外长通电话) gets
    the holders of those offices on its date, marked as inferred.
    """

    def __init__(self, ref: ReferenceData, finder: MentionFinder):
        self.ref = ref
        self.finder = finder
        self.role_words = sorted(ref.office_words.items(), key=lambda kv: -len(kv[0]))

    def __call__(self, entry: ChronicleEntry) -> ChronicleEntry:
        people = [m for m in entry.mentions if m.kind == "person"]
        text = entry.paragraph
        roles: list[Mention] = []
        for m in people:
            role = "participant"
            if re.search(rf"由[^。；]{{0,40}}{re.escape(m.surface)}[^。；]{{0,8}}主持|{re.escape(m.surface)}主持", text):
                role = "host"
            elif entry.form == "statement" and re.search(
                    rf"{re.escape(m.surface)}[^。]{{0,6}}(表示|指出|说|强调|认为|宣布|称)", text):
                role = "speaker"
            roles.append(Mention(m.kind, m.key, m.surface, m.start, m.end, role))
        others = [m for m in entry.mentions if m.kind != "person"]
        inferred = self._inferred(entry, {m.key for m in people if m.key})
        entry.mentions = sorted(others + roles + inferred, key=lambda m: (m.start, m.kind, m.key or ""))
        return entry

    def _inferred(self, entry: ChronicleEntry, named: set[str]) -> list[Mention]:
        """Holders of the offices the title names, where the entry names no one for them."""
        out: list[Mention] = []
        title = tidy(entry.title)
        countries = self._title_countries(entry)
        for word, role in self.role_words:
            if word not in title:
                continue
            for code in countries:
                for off in self.ref.offices.values():
                    if off.role != role or off.country != code:
                        continue
                    holders = self.ref.holders(off.id, entry.date_begin)
                    if len(holders) != 1 or holders[0] in named:
                        continue
                    tp = entry.title_passage
                    out.append(Mention("person", holders[0], word, tp.start, tp.end, "participant", True, off.id))
            if out:
                break
        seen, uniq = set(), []
        for m in out:
            if m.key not in seen:
                seen.add(m.key)
                uniq.append(m)
        return uniq

    def _title_countries(self, entry: ChronicleEntry) -> list[str]:
        tp_end = entry.title_passage.end
        codes = []
        for m in entry.mentions:
            if m.kind == "country" and m.start < tp_end and m.key not in codes:
                codes.append(m.key)
        return codes
