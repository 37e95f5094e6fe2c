"""PLOVER type and form of an entry, from the reviewable rules in
``ontology/data/rules/event_types.tsv``; whether it was held online."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from ontology.rules import RULES_DIR, Rules

from .records import ChronicleEntry

__all__ = ["EventTyper", "TypingRule"]

_ONLINE = Rules.load().cue("online")


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

    requires = ("entry.title", "entry.paragraph")
    assigns = ("entry.plover", "entry.form", "entry.online")

    def __init__(self, rules: list[TypingRule]):
        self.rules = rules

    @classmethod
    def from_file(cls, path=RULES_DIR / "event_types.tsv") -> EventTyper:
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
        if entry.form in ("meeting", "forum") and _ONLINE.search(entry.title + re.split("。", entry.paragraph)[0]):
            entry.form = "video_conference"  # 中俄印外长会晤 held as a 视频会晤
        return entry
