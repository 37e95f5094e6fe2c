"""The linguistic rules as data: PLOVER types (and which count as meetings), event forms,
units, the cue words the loader stages read the text by, the event-typing rules and the
name patterns, all from ``ontology/data/rules``.

    >>> MEETING_TYPES
    ('CONSULT', 'AGREE')
    >>> rules = Rules.load()
    >>> bool(rules.cue("takes_part").search("王毅出席会议")), rules.units["亿美元"].scale
    (True, 100000000.0)
    >>> rules.cue("no_such_cue")
    Traceback (most recent call last):
    ...
    KeyError: "no cue 'no_such_cue' in rules/cues.tsv"
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import DATA_DIR

__all__ = ["Rules", "PloverType", "Form", "Unit", "MEETING_TYPES", "RULES_DIR"]

RULES_DIR = DATA_DIR / "rules"


@dataclass(frozen=True)
class PloverType:
    code: str
    en: str
    meeting: bool  # two persons acting in one such event have met (the contract's who met whom)


@dataclass(frozen=True)
class Form:
    key: str
    zh: str
    en: str
    cls: str  # local name of the ontology class an event of this form also gets, or ""


@dataclass(frozen=True)
class Unit:
    printed: str
    unit: str
    scale: float
    kind: str


def _rows(path: Path) -> Iterator[tuple[dict[str, str], str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (ln for ln in fh if not ln.startswith("#"))
        for n, row in enumerate(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), start=2):
            yield {k: (v or "").strip() for k, v in row.items() if k}, f"rules/{path.name}:{n}"


@dataclass(frozen=True)
class Rules:
    plover: dict[str, PloverType] = field(default_factory=dict)
    forms: dict[str, Form] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    cues: dict[str, re.Pattern] = field(default_factory=dict)
    pair_states: tuple[str, ...] = ()  # the two countries 两国 and 双方 mean in the series

    @classmethod
    def load(cls, directory: str | Path | None = None) -> Rules:
        return _load(Path(directory) if directory else RULES_DIR)

    def cue(self, name: str) -> re.Pattern:
        """The compiled cue ``name`` of ``cues.tsv``."""
        try:
            return self.cues[name]
        except KeyError:
            raise KeyError(f"no cue {name!r} in rules/cues.tsv") from None

    @property
    def meeting_types(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.plover.values() if t.meeting)


@lru_cache(maxsize=4)
def _load(d: Path) -> Rules:
    plover = {r["code"]: PloverType(r["code"], r["en"], r["meeting"] == "yes") for r, _ in _rows(d / "plover.tsv")}
    forms = {r["key"]: Form(r["key"], r["zh"], r["en"], r.get("class", "")) for r, _ in _rows(d / "forms.tsv")}
    units = {r["printed"]: Unit(r["printed"], r["unit"], float(r["scale"]), r["kind"]) for r, _ in _rows(d / "units.tsv")}
    cues = {}
    for r, where in _rows(d / "cues.tsv"):
        try:
            cues[r["name"]] = re.compile(r["pattern"])
        except re.error as exc:
            raise ValueError(f"{where}: bad pattern for {r['name']!r}: {exc}") from None
    series = json.loads((d / "series.json").read_text(encoding="utf-8"))
    return Rules(plover, forms, units, cues, tuple(series["pair_states"]))


#: The PLOVER types of the events in which persons meet (who met whom).
MEETING_TYPES: tuple[str, ...] = Rules.load().meeting_types
