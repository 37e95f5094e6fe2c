"""Random and mangled text into the loaders: each input either loads, and maps to RDF,
or is refused with a loader's error naming the problem; never another exception.
Bounded: a fixed number of generated inputs, derandomized so that a run repeats."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.rdf.mapping import dataset
from graph.stores import to_quads
from loaders.errors import LoaderError
from loaders.pipeline import BUNDLED_REPORT

LINES = BUNDLED_REPORT.read_text(encoding="utf-8").split("\n")
CHRONICLE = next(i for i, ln in enumerate(LINES) if "大事记" in ln and "\t" not in ln)
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# What the chronicle is made of, for mangling it: date parts, markers, punctuation, names.
PIECES = ["2020 年", "13 月", "31 日", "2 月 30 日", "-", "**", "日-", "至", "年", "月", "。", "，", "：", "\t", "  ",
          "附录", "大事记", "目 录", "第一章", "第二节", "王毅", "拉夫罗夫", "上海合作组织", "\u3000", "\ufeff", "\r",
          "0", "9999 年 1 月 1 日", "- 2021 年 4 月 9-24 日 **", "2021 年 12 月 1 日 - 1 月 2 日"]


def _check(tmp_path, pipeline, ref, text: str) -> None:
    path = tmp_path / "input.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        report = pipeline.run(path)
    except LoaderError as exc:
        assert str(exc) and "\n" not in str(exc).strip()
        return
    assert sum(1 for _ in to_quads(dataset([report], ref))) > 0


@st.composite
def mangled_reports(draw):
    """The report's front matter and a piece of its chronicle, with lines dropped,
    repeated, cut, joined and sprinkled with pieces of the chronicle's own syntax."""
    start = draw(st.integers(CHRONICLE + 1, len(LINES) - 1))
    end = draw(st.integers(start, min(start + 80, len(LINES))))
    lines = LINES[:CHRONICLE + 1] + LINES[start:end]
    for _ in range(draw(st.integers(0, 12))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "cut", "join", "insert", "digits"]))
        if action == "drop":
            del lines[i]
        elif action == "repeat":
            lines.insert(i, lines[i])
        elif action == "cut":
            lines[i] = lines[i][:draw(st.integers(0, max(len(lines[i]) - 1, 0)))]
        elif action == "join" and i + 1 < len(lines):
            lines[i:i + 2] = [lines[i] + lines[i + 1]]
        elif action == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(PIECES)) + lines[i][at:]
        elif action == "digits":
            lines[i] = "".join(str(draw(st.integers(0, 9))) if c.isdigit() else c for c in lines[i])
        if not lines:
            lines = [""]
    return "\n".join(lines)


@SETTINGS
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_random_text(tmp_path, pipeline, ref, text):
    _check(tmp_path, pipeline, ref, text)


@SETTINGS
@given(pieces=st.lists(st.sampled_from(PIECES + ["\n", "\n\n", "中俄", "会议", "举行"]), max_size=120))
def test_text_made_of_the_chronicles_syntax(tmp_path, pipeline, ref, pieces):
    _check(tmp_path, pipeline, ref, "\n".join(LINES[:CHRONICLE + 1]) + "\n" + "".join(pieces))


@SETTINGS
@given(text=mangled_reports())
def test_mangled_reports(tmp_path, pipeline, ref, text):
    _check(tmp_path, pipeline, ref, text)


@pytest.mark.parametrize("data", [b"\xff\xfe\x00\x00", b"\x00" * 10, "中俄".encode("utf-16"), b"\xef\xbb\xbf",
                                  b"\xe4\xb8", "大事记\n".encode() * 3])
def test_bytes_that_are_not_a_report(tmp_path, pipeline, data):
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    with pytest.raises(LoaderError):
        pipeline.run(path)
