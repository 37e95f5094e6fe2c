"""Each loader stage alone, on a few lines of chronicle written as the report writes them."""

from __future__ import annotations

import subprocess
import sys

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


def _figures(pipe, day: str, title: str, text: str):
    _, e = one(pipe, f"{day}\n{title}\n{text}", "figures")
    return e.figures


def test_a_month_alone_is_that_month_not_the_year(pipe):
    figs = _figures(pipe, "2020 年 7 月 14 日", "中俄贸易统计",
                    "2020 年上半年中俄贸易额达到 491.6 亿美元。2020 年六月两国贸易额为 81.9 亿美元，"
                    "中国向俄罗斯出口商品 39.8 亿美元。七月购买了 738 万吨。")
    june = [f for f in figs if f.value in (81.9, 39.8)]
    assert {(str(f.period_begin), str(f.period_end)) for f in june} == {("2020-06-01", "2020-06-30")}
    july = next(f for f in figs if f.value == 738)
    assert (str(july.period_begin), str(july.period_end)) == ("2020-07-01", "2020-07-31")
    first_half = next(f for f in figs if f.value == 491.6)
    assert str(first_half.period_end) == "2020-06-30"


def test_months_counted_from_january_are_not_the_whole_year(pipe):
    for text, end in (("2020 年 9 个月中俄农产品的贸易额同比增长 9%，为 38 亿美元。", "2020-09-30"),
                      ("2020年8个月里俄罗斯顺差下降22.4%，为64.4亿美元。", "2020-08-31"),
                      ("2020年的前4个月内，过境运输量为6100吨。", "2020-04-30")):
        figs = _figures(pipe, "2020 年 10 月 16 日", "中俄农产品统计", text)
        assert figs and {(str(f.period_begin), str(f.period_end)) for f in figs} == {("2020-01-01", end)}, text


def test_a_bare_month_takes_the_year_of_the_text(pipe):
    figs = _figures(pipe, "2021 年 1 月 14 日", "俄罗斯向中国出口石油统计", "12 月俄罗斯向中国出口石油 800 万吨。")
    assert str(figs[0].period_begin) == "2020-12-01"


def test_comparisons_and_starting_points_are_not_the_period(pipe):
    figs = _figures(pipe, "2020 年 10 月 30 日", "俄罗斯向中国出口石油统计",
                    "根据2020年9月的统计，俄罗斯对中国的石油出口增长到每日183万桶，这是俄罗斯自2020年6月以来最高的"
                    "月出口量。9月份沙特阿拉伯每天供应190万桶，比8月增长53%。")
    assert {str(f.period_begin) for f in figs} == {"2020-09-01"}
    figs = _figures(pipe, "2020 年 6 月 1 日", "俄罗斯向中国出口天然气统计",
                    "截至 2020 年 6 月 1 日，天然气管道东线天然气出口量为 15.8 亿立方米。")
    assert figs[0].period.startswith("截至") and figs[0].period_begin is None


def test_the_same_months_of_another_year(pipe):
    figs = _figures(pipe, "2020 年 7 月 27 日", "俄罗斯向中国出口天然气统计",
                    "2020年6月俄罗斯向中国出口39.6万吨液化天然气，2019年同期的出口仅为6.7万吨。每月出口增加20.7%。")
    then = next(f for f in figs if f.value == 6.7)
    assert (str(then.period_begin), str(then.period_end)) == ("2019-06-01", "2019-06-30")
    assert str(next(f for f in figs if f.value == 20.7).period_begin) == "2020-06-01"


def test_measures_are_words_that_say_what_is_measured(pipe):
    figs = _figures(pipe, "2021 年 3 月 5 日", "中俄货运统计",
                    "2021 年 2 月,共有 32.79 万辆汽车通过珲春铁路过境点。其中煤的出口量翻了一番,达到 31.9 万吨。"
                    "2020年上半年俄罗斯向中国大陆出口肉类占其肉类总出口的45%，加上香港，共是54%。"
                    "2020年5月俄罗斯对中国石油出口下降了16%，由360万吨下降到304万吨。"
                    "2020年4月俄罗斯向中国出口175万桶原油(2019年4月这一数字为149万桶/日)。")
    measures = {f.value: f.measure for f in figs}
    assert measures[32.79] == "汽车通过珲春铁路过境点"
    assert measures[31.9] == "煤的出口量"
    assert measures[54] == measures[45] == "俄罗斯向中国大陆出口肉类占其肉类总出口的"
    assert measures[360] == measures[304] == "俄罗斯对中国石油出口"
    assert measures[149] == measures[175] == "俄罗斯向中国出口"
    assert not any(len(m) < 2 or m in ("有", "是", "由", "为", "这一数字") for m in measures.values())
    oil = next(f for f in figs if f.value == 175)
    assert (oil.category, oil.topic, oil.flow) == ("原油", "exports", ("RU", "CN"))
    assert str(next(f for f in figs if f.value == 149).period_begin) == "2019-04-01"


def test_what_a_figure_measures_and_which_way_the_goods_go(pipe):
    figs = _figures(pipe, "2020 年 10 月 13 日", "中俄贸易统计",
                    "2020 年 1-9 月，中俄两国贸易额为 788 亿美元。中国对俄罗斯的出口为 359 亿美元。"
                    "中国自俄罗斯进口为 429 亿美元。")
    kinds = {f.value: (f.topic, f.flow) for f in figs}
    assert kinds == {788: ("trade", None), 359: ("exports", ("CN", "RU")), 429: ("imports", ("RU", "CN"))}


def test_a_newspaper_named_as_a_title_is_the_newspaper_and_some_banks_are_no_bank(pipe):
    text = ("2024 年 1 月 19 日\n人民币交易量创新高\n据俄罗斯《生意人报》报道，交易量增长。"
            "部分中国银行暂停结算。双方讨论了《中华人民共和国和俄罗斯联邦睦邻友好合作条约》。")
    _, e = one(pipe, text, "participants")
    orgs = {m.key: m.role for m in e.mentions if m.kind == "organization"}
    assert orgs.get("kommersant") not in (None, "mentioned")
    assert "boc" not in orgs


def test_entries_read_in_two_processes_are_those_read_in_one():
    # In a process of its own: the test run may have threads, and a process with threads does not fork.
    code = """
import loaders.pipeline as p
from loaders.forked import can_fork
pipe = p.Pipeline.default()
assert can_fork()
shared = pipe.run(p.BUNDLED_REPORT)
assert len(shared.entries()) >= p.SHARE_FROM  # so read in two processes
p.SHARE_FROM = 10 ** 9
alone = pipe.run(p.BUNDLED_REPORT)
assert sum(len(e.mentions) for e in alone.entries()) > 1000
print("same" if shared.entries() == alone.entries() else "differ")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.stdout.strip() == "same", out.stderr[-2000:]
