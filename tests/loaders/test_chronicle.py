"""The appendix chronicle as users rely on it: every entry, right dates, right text."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from loaders.chronicle import parse_date_head
from loaders.errors import ChronicleDateError
from loaders.lines import Line

# Counted by reading the text: dated entry heads per section of the 2021 chronicle.
SECTION_COUNTS = {
    "global-governance": 152,
    "political-dialogue": 50,
    "military-cooperation": 14,
    "trade": 138,
    "finance": 39,
    "transport": 43,
    "science": 64,
    "humanities": 80,
    "covid": 64,
}


def test_every_entry_in_every_section(report):
    counts = Counter(e.section.key for e in report.chronicle)
    assert dict(counts) == SECTION_COUNTS
    assert len(report.chronicle) == 644
    assert [e.index for e in report.chronicle] == list(range(1, 645))


def test_sections_keep_their_printed_headings(report):
    headings = list(dict.fromkeys(e.section.heading for e in report.chronicle))
    assert headings == ["全球治理和地区安全", "政治对话", "军事技术合作", "经贸合作", "金融投资合作",
                        "交通和基础设施合作", "科技合作", "人文合作", "中俄抗击新冠疫情合作"]


def entry_at(report, line):
    [e] = [e for e in report.chronicle if e.line == line]
    return e


D = dt.date
TRICKY = [
    # line, section, begin, end, layout, title, paragraph starts, paragraph ends
    (756, "global-governance", D(2020, 4, 1), D(2020, 4, 1), "bullet",
     "上海合作组织成员国卫生部长会议专家视频预备会议", "与会者讨论了", "寻找有效治疗方法等问题。"),
    (758, "global-governance", D(2020, 4, 9), D(2020, 4, 24), "bullet",
     "上海合作组织成员国常驻代表系列会议在北京举行", "在一系列为 2020 年 11 月", "(到 2025 年)等问题。"),
    # paragraph cut by a page break and continued after a blank line
    (762, "global-governance", D(2020, 4, 23), D(2020, 4, 24), "bullet",
     "上海合作组织银行联合体视频研讨会在莫斯科举行", "来自上海合作组织银行联合体", "恢复经济中的作用等问题。"),
    (767, "global-governance", D(2020, 4, 28), D(2020, 4, 28), "stacked",
     "金砖国家应对新冠肺炎疫情特别外长视频会议", "金砖国家外长、包括中国和俄罗斯外交部部长王毅和拉夫罗夫", "呼吁予以取消。"),
    # "25-29日 - **title**"
    (1479, "global-governance", D(2021, 1, 25), D(2021, 1, 29), "bullet",
     "世界经济论坛“2021达沃斯议程”对话会", "视频会议上包括中国和俄罗斯", "不利影响最小化。"),
    # stacked title cut by a page break
    (2864, "finance", D(2020, 9, 25), D(2020, 9, 25), "stacked",
     "长城汽车俄罗斯图拉工厂与俄罗斯工业和贸易部正式签署在俄特别投资合同", "长城汽车预计总投资", "车辆控制系统。"),
    # **title** closed early, its end on the next line
    (3332, "science", D(2020, 10, 20), D(2020, 10, 22), "bullet",
     "第七届100+ TechnoBuild国际论坛在俄罗斯叶卡捷琳堡举行", "在俄罗斯建设部", "公共设施改善等问题。"),
    # a range across months, its end date on the next line
    (3531, "humanities", D(2020, 4, 24), D(2020, 5, 9), "stacked",
     "“圣乔治丝带”活动于中国举行", "2020 年因疫情防疫措施限制", "前线士兵尊重的丝带。"),
    (3890, "humanities", D(2021, 1, 1), D(2021, 3, 15), "stacked",
     "金砖国家传统国际视频短片竞赛举办", "活动由“金砖国家·传统世界”", "传统节日相关的庆典活动等。"),
    # "8 月 23 日 - 9 月 5 日" on one line
    (1920, "military-cooperation", D(2020, 8, 23), D(2020, 9, 5), "stacked",
     "“国际军事比赛-2020”在俄罗斯举行", "“国际军事比赛-2020”在俄罗斯", "5000 多人参加了比赛。"),
    # date and title on one line without markers
    (2872, "finance", D(2020, 9, 30), D(2020, 9, 30), "inline",
     "中国东北地区和俄罗斯远东及贝加尔地区政府间合作委员会第三次会议召开", "视频会议期间", "交流了意见。"),
    (3769, "humanities", D(2020, 10, 18), D(2020, 10, 18), "stacked",
     "上合组织2020年至2021年文化体育活动发布会于北京举办", "出席活动的嘉宾", "战胜新冠病毒的关键武器。"),
    # begins before the period; its paragraph starts with a date that is not a new entry
    (2967, "transport", D(2020, 3, 28), D(2020, 4, 12), "bullet",
     "恢复武汉经俄罗斯到德国杜伊斯堡的铁路运输", "2020 年 3 月 28 日，恢复运营后", "铁路工程建设物资的集装箱。"),
    # paragraph lines printed as "- …" bullets
    (2981, "transport", D(2020, 5, 12), D(2020, 5, 12), "bullet",
     "俄罗斯建设部批准中俄黑河-布拉戈维申斯克大桥投入使用", "中俄合资公司正式获得", "68台小汽车。"),
    (3822, "humanities", D(2020, 11, 20), D(2020, 12, 13), "bullet",
     "“金龟”国际野生自然节举办", "", ""),
]


@pytest.mark.parametrize("line,section,begin,end,layout,title,para_start,para_end", TRICKY)
def test_tricky_entries_field_by_field(report, line, section, begin, end, layout, title, para_start, para_end):
    e = entry_at(report, line)
    assert (e.section.key, e.date_begin, e.date_end, e.layout, e.title) == (section, begin, end, layout, title)
    assert e.paragraph.startswith(para_start)
    assert e.paragraph.endswith(para_end)
    assert "**" not in e.title and "\n" not in e.paragraph


def test_passages_are_exact_slices_of_the_source(report):
    text = report.text
    for e in report.chronicle:
        assert e.passage.text == text[e.passage.start:e.passage.end]
        assert e.title_passage.start >= e.passage.start and e.title_passage.end <= e.passage.end
    first = report.chronicle[0]
    assert first.passage.text.startswith("- 2020 年 4 月 1 日 **上海合作组织")


def test_first_and_last_entries(report):
    first, last = report.chronicle[0], report.chronicle[-1]
    assert (first.date_begin, first.title) == (D(2020, 4, 1), "上海合作组织成员国卫生部长会议专家视频预备会议")
    assert (last.date_begin, last.title) == (D(2021, 3, 29), "中国宣布开始生产“卫星V”疫苗")
    assert last.paragraph.endswith("预计疫苗将于 2021 年 5 月开始商业生产。")


@pytest.mark.parametrize("text,begin,end,title,layout", [
    ("- 2020 年 4 月 1 日 **标题**", "2020-04-01", "2020-04-01", "标题", "bullet"),
    ("2020年8月20-21日 **标题**", "2020-08-20", "2020-08-21", "标题", "bullet"),
    ("2020 年 10 月 22- 23 日", "2020-10-22", "2020-10-23", "", "stacked"),
    ("2020 年 8 月 23 日 - 9 月 5 日", "2020-08-23", "2020-09-05", "", "stacked"),
    ("2020 年 12 月 28 日-1 月 5 日 **跨年**", "2020-12-28", "2021-01-05", "跨年", "bullet"),
    ("2020 年 10 月 21 日 中国扩大对俄罗斯的住房投资", "2020-10-21", "2020-10-21", "中国扩大对俄罗斯的住房投资", "inline"),
    ("２０２０年５月１５日", "2020-05-15", "2020-05-15", "", "stacked"),
    ("2019 年 4 月", "2019-04-01", "2019-04-30", "", "stacked"),
    ("- 2019 年 12 月 **整月**", "2019-12-01", "2019-12-31", "整月", "bullet"),
])
def test_date_heads(text, begin, end, title, layout):
    h = parse_date_head(Line(1, 0, len(text), text), None)
    assert (h.begin.isoformat(), h.end.isoformat(), h.title, h.layout) == (begin, end, title, layout)


def test_range_end_on_next_line():
    h = parse_date_head(Line(1, 0, 0, "2021 年 1 月 1 日-"), Line(2, 0, 0, "3 月 15 日"))
    assert (h.begin, h.end, h.lines_used) == (D(2021, 1, 1), D(2021, 3, 15), 2)


@pytest.mark.parametrize("text", ["2020 年 3 月 28 日，恢复运营后", "2020年上半年俄罗斯", "2020 年 1-9 月，中俄",
                                  "2020 年 3 月中国从俄罗斯进口原油"])
def test_sentences_starting_with_a_date_are_not_entries(text):
    assert parse_date_head(Line(1, 0, 0, text), None) is None


@pytest.mark.parametrize("text,reason", [
    ("2020 年 2 月 30 日 **不存在**", "day is out of range"),
    ("2020 年 5 月 9-3 日 **倒序**", "ends before it begins"),
])
def test_impossible_dates_are_named(text, reason):
    with pytest.raises(ChronicleDateError, match=reason) as err:
        parse_date_head(Line(7, 0, 0, text), None, "r.txt")
    assert "r.txt:7" in str(err.value)


def test_dangling_range_without_end_is_an_error():
    with pytest.raises(ChronicleDateError, match="no end date"):
        parse_date_head(Line(3, 0, 0, "2021 年 1 月 1 日-"), Line(4, 0, 0, "活动说明"), "r.txt")
