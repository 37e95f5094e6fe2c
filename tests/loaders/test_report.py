"""The whole document: front matter, authors, chapters, and clear errors for bad input."""

from __future__ import annotations

import pytest

from loaders.errors import EmptySourceError, NotAReportError, SourceEncodingError, TruncatedReportError
from loaders.pipeline import BUNDLED_REPORT


def test_report_identity(report):
    info = report.info
    assert (info.id, info.title, info.year, info.language) == ("crd-2021-zh", "中俄对话：2021 模式", 2021, "zh")
    assert (str(info.period_begin), str(info.period_end)) == ("2020-04-01", "2021-03-31")


def test_author_teams(report):
    by_name = {a.name: a for a in report.authors if a.role in ("lead", "member")}
    assert (by_name["赵华胜"].team, by_name["赵华胜"].role) == ("cn", "lead")
    assert by_name["安·科尔图诺夫"].team == "ru" and by_name["安·科尔图诺夫"].role == "lead"
    # a two-character name split by the PDF extraction
    assert "于滨" in by_name and by_name["于滨"].affiliations[0].startswith("美国文博大学")
    assert by_name["瓦·卡申"].affiliations[0] == "莫斯科高等经济学校欧洲和国际关系研究中心副主任"
    assert {a.name for a in report.authors if a.role == "translator"} == {"盛世良", "孙凌云", "倪文卿"}
    assert len([a for a in report.authors if a.role in ("lead", "member")]) == 17  # 1 + 8 Chinese, 2 + 6 Russian


def test_chapters_follow_the_contents(report):
    kinds = [(c.kind, c.number) for c in report.chapters]
    assert kinds == [("summary", ""), ("preface", ""), ("chapter", "第一章"), ("chapter", "第二章"),
                     ("chapter", "第三章"), ("chapter", "第四章"), ("chapter", "第五章"), ("chapter", "第六章"),
                     ("recommendations", "")]
    ch3 = report.chapters[4]
    assert [s.number for s in ch3.sections] == ["第一节", "第二节", "第三节", "第四节"]
    assert ch3.sections[1].title == "中国、俄罗斯和美国"
    # page-break fragments joined into one paragraph
    ch1 = report.chapters[2]
    assert any("而是在新创意新技术和具有凝聚力" in p.text for p in ch1.paragraphs)
    for c in report.chapters:
        assert c.passage.text == report.text[c.passage.start:c.passage.end]


def _write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_not_utf8_is_named(tmp_path, pipeline):
    p = _write(tmp_path, "gbk.txt", "中俄关系大事记".encode("gbk"))
    with pytest.raises(SourceEncodingError, match="not valid UTF-8 at byte 0"):
        pipeline.run(p)


def test_cut_in_the_middle_of_a_character(tmp_path, pipeline):
    data = BUNDLED_REPORT.read_bytes()[:-1]
    with pytest.raises(SourceEncodingError, match="cut in the middle of a character"):
        pipeline.run(_write(tmp_path, "cut.txt", data))


def test_empty_file(tmp_path, pipeline):
    with pytest.raises(EmptySourceError, match="empty"):
        pipeline.run(_write(tmp_path, "empty.txt", b" \n\n"))


def test_text_that_is_not_a_report(tmp_path, pipeline):
    with pytest.raises(NotAReportError, match="no chronicle"):
        pipeline.run(_write(tmp_path, "novel.txt", "从前有座山，山里有座庙。\n".encode()))


def test_report_truncated_before_its_chronicle(tmp_path, pipeline):
    text = BUNDLED_REPORT.read_text(encoding="utf-8")
    cut = text[: text.index("\n附录\n")]
    with pytest.raises(TruncatedReportError, match="contents list the chronicle"):
        pipeline.run(_write(tmp_path, "truncated.txt", cut.encode()))


def test_missing_file(pipeline, tmp_path):
    with pytest.raises(FileNotFoundError):
        pipeline.run(tmp_path / "nope.txt")


def test_another_report_of_the_series_loads(tmp_path, pipeline):
    """A next edition: other year, other headings, other entries, same layout."""
    text = BUNDLED_REPORT.read_text(encoding="utf-8")
    text = text.replace("2021 模式", "2022 模式").replace("2020 年第二季度至 2021 年第一季度",
                                                         "2021 年第二季度至 2022 年第一季度")
    text = text.replace("\n中俄抗击新冠疫情合作\n", "\n抗击新冠疫情合作\n")
    rep = pipeline.run(_write(tmp_path, "next.txt", text.encode()))
    assert rep.info.id == "crd-2022-zh" and rep.info.year == 2022
    assert str(rep.info.period_begin) == "2021-04-01"
    assert len(rep.chronicle) == 644
    assert rep.chronicle[-1].section.key == "covid"
