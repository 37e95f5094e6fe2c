"""Each loader stage alone, on a few lines of chronicle written as the report writes them."""

from __future__ import annotations

import pytest

from loaders.pipeline import Pipeline, Stage


@pytest.fixture(scope="module")
def pipe(ref) -> Pipeline:
    return Pipeline.default(ref)


def one(pipe, text: str, until: str):
    report = pipe.run_text(text, until=until)
    assert len(report.chronicle) == 1
    return report, report.chronicle[0]


def test_every_stage_finds_what_it_requires(pipe):
    assert pipe.analyze() == []
    broken = Pipeline(pipe.ref, stages=[s for s in pipe.stages if s.name != "mentions"])
    assert any(m.startswith("participants requires entry.mentions") for m in broken.analyze())


def test_a_stage_name_is_taken_once(pipe):
    with pytest.raises(ValueError, match="already in the pipeline"):
        pipe.add(Stage("mentions", lambda r: r))


def test_event_type_reads_type_form_and_online(pipe):
    _, e = one(pipe, "2020 年 5 月 13 日\n上海合作组织成员国外长视频会议\n会议以视频方式举行。", "event_type")
    assert (e.plover, e.form, e.online) == ("CONSULT", "video_conference", True)
    _, e = one(pipe, "2020 年 6 月 1 日\n中国向俄罗斯提供援助\n中方向俄方捐赠了口罩。", "event_type")
    assert e.plover == "AID" and not e.online


def test_mentions_carry_offsets_into_the_source(pipe):
    report, e = one(pipe, "2020 年 4 月 14 日\n王毅同拉夫罗夫通电话\n双方讨论了合作。", "mentions")
    persons = [m for m in e.mentions if m.kind == "person"]
    assert [m.key for m in persons] == ["wang-yi", "sergey-lavrov"]
    assert all(report.text[m.start:m.end] == m.surface for m in persons)


def test_participants_inferred_from_offices_on_the_day(pipe):
    _, e = one(pipe, "2020 年 4 月 14 日\n中俄外长通电话\n两国外长就疫情交换了意见。", "participants")
    inferred = {m.key: m.via for m in e.mentions if m.kind == "person" and m.inferred}
    assert inferred == {"wang-yi": "cn-foreign-minister", "sergey-lavrov": "ru-foreign-minister"}


def test_participants_host_and_mentioned(pipe):
    text = ("2020 年 9 月 10 日\n上海合作组织成员国外长理事会会议在莫斯科举行\n"
            "会议由俄罗斯外长拉夫罗夫主持。王毅出席会议。双方回顾了江泽民和普京于2001年签署的条约。")
    _, e = one(pipe, text, "participants")
    roles = {m.key: m.role for m in e.mentions if m.kind == "person" and not m.inferred}
    assert roles["sergey-lavrov"] == "host" and roles["wang-yi"] == "participant"
    assert roles["jiang-zemin"] == "mentioned"


def test_documents_concluded_or_cited(pipe):
    text = ("2020 年 12 月 15 日\n中俄签署合作协定\n双方签署了《中俄两国政府间科技合作协定》。"
            "双方重申《中俄睦邻友好合作条约》的意义。")
    _, e = one(pipe, text, "documents")
    docs = {m.surface: m.role for m in e.mentions if m.kind == "agreement"}
    assert docs["中俄两国政府间科技合作协定"] == "concludes"
    assert docs["中俄睦邻友好合作条约"] == "about"


def test_figures_of_a_statistics_entry(pipe):
    text = "2020 年 10 月 13 日\n中俄贸易统计\n2020 年 1-9 月，中俄两国贸易额为 786.5 亿美元，同比下降 2.4%。"
    _, e = one(pipe, text, "figures")
    money = next(f for f in e.figures if f.unit == "USD")
    change = next(f for f in e.figures if f.change)
    assert (money.value, money.scale, str(money.period_begin), str(money.period_end)) == \
        (786.5, 1e8, "2020-01-01", "2020-09-30")
    assert change.value == -2.4 and change.unit == "percent"
