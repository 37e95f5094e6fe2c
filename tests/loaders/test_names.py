"""How names the reference data does not know are found (``kg build --names``): not at all,
by patterns (a title right before the name), or also by the NER model of the ``ner`` extra."""

from __future__ import annotations

import pytest

from loaders.errors import NerUnavailable
from loaders.ner import NameTagger
from loaders.pipeline import Pipeline

TEXT = ("2020 年 9 月 10 日\n王毅会见来访的巴西外交部长卡洛斯·弗朗萨\n"
        "双方就两国关系交换了意见。汉斯·布洛姆奎斯特也出席了会见。")


def persons(ref, names: str) -> list[str]:
    report = Pipeline.default(ref, names=names).run_text(TEXT, until="mentions")
    return [m.surface for m in report.chronicle[0].mentions if m.kind == "person"]


def test_data_finds_only_known_people(ref):
    assert persons(ref, "data") == ["王毅"]


def test_patterns_find_a_new_name_after_its_title(ref):
    assert persons(ref, "patterns") == ["王毅", "卡洛斯·弗朗萨"]


def test_ner_also_finds_a_name_without_title(ref):
    if NameTagger.load() is None:
        with pytest.raises(NerUnavailable, match=r"\[ner\]"):
            persons(ref, "ner")
        pytest.fail("the ner extra is part of the test install")
    assert persons(ref, "ner") == ["王毅", "卡洛斯·弗朗萨", "汉斯·布洛姆奎斯特"]
