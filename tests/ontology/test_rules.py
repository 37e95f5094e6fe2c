"""The linguistic rules as data: every typing rule has an example it must decide, and the
cue words compile and mean what their names say."""

from __future__ import annotations

import csv

import pytest

from loaders.event_types import EventTyper
from ontology.rules import MEETING_TYPES, RULES_DIR, Rules


def _typing_rows():
    with (RULES_DIR / "event_types.tsv").open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE)
        return [r for r in rows if r.get("example")]


@pytest.mark.parametrize("row", _typing_rows(), ids=lambda r: r["example"].split("||")[0])
def test_each_typing_rule_decides_its_example(row):
    """The rule's example (title, or title||text) gets the rule's type or form: the rule
    is reached (no rule above it catches the example) and does what its row says."""
    title, _, text = row["example"].partition("||")
    plover, form = EventTyper.from_file().classify(title, text)
    if row["plover"]:
        assert plover == row["plover"], row["pattern"]
    if row["form"]:
        assert form == row["form"], row["pattern"]


def test_every_typing_rule_has_an_example():
    with (RULES_DIR / "event_types.tsv").open(encoding="utf-8") as fh:
        rows = [ln for ln in fh if not ln.startswith(("#", "field\t"))]
    assert len(rows) == len(_typing_rows())


def test_meeting_types_are_plover_types():
    rules = Rules.load()
    assert set(MEETING_TYPES) <= set(rules.plover) and MEETING_TYPES == ("CONSULT", "AGREE")


@pytest.mark.parametrize("cue,text,hit", [
    ("takes_part", "王毅出席会议", True), ("takes_part", "王毅会见拉夫罗夫", False),
    ("signed", "双方签署了协议", True), ("signed", "双方将签署协议", False), ("signed", "2001年签署的条约", False),
    ("former", "前外长", True), ("since", "3月会晤以来，合作取得进展", True),
    ("invited_by", "应俄罗斯外长邀请，王毅访俄", True), ("reports_on", "他在致辞中提到", True),
    ("country_topic_after", "问题特别代表", True), ("speaks_at", "新闻发言人", False),
    ("some_before", "俄方就部分", True), ("some_before", "俄方就", False),
])
def test_cues_mean_what_their_names_say(cue, text, hit):
    assert bool(Rules.load().cue(cue).search(text)) is hit


def test_units_normalize():
    units = Rules.load().units
    assert (units["亿美元"].unit, units["亿美元"].scale) == ("USD", 1e8) and units["万吨"].kind == "mass"
