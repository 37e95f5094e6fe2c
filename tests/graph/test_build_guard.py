"""Nothing lost on build, through the real command: a report cut short inside its
chronicle (at a character boundary, so it reads as valid text) never replaces the
graph of the whole report; the graph stays exactly as it was."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from graph.stores.oxigraph import OxigraphStore
from helpers.paths import SHARED
from helpers.services import copy_store
from loaders.pipeline import BUNDLED_REPORT

TEXT = BUNDLED_REPORT.read_text(encoding="utf-8")
CHRONICLE = TEXT.index("\n2020 年第二季度至 2021 年第一季度中俄关系大事记") + 1


def kg(*args):
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, timeout=600)


def cut(fraction: float, at: str = "char") -> str:
    """The report cut inside its chronicle: at any character, after a sentence, or
    after a whole entry."""
    i = CHRONICLE + int((len(TEXT) - CHRONICLE) * fraction)
    if at == "sentence":
        i = TEXT.index("。", i) + 1
    elif at == "entry":
        i = TEXT.index("。\n", i) + 2
    return TEXT[:i]


def events(location) -> int:
    st = OxigraphStore(location, create=False)
    try:
        return int(next(iter(st.query("SELECT (COUNT(?e) AS ?n) { ?e a crd:ChronicleEvent }",
                                      prefixes={"crd": "https://w3id.org/china-russia-dialogue/ontology#"})))["n"]
                   .value)
    finally:
        st.close()


@pytest.fixture()
def full(store, tmp_path):
    """A store holding the graph of the whole report."""
    return copy_store(store, tmp_path / "store").root


@pytest.mark.parametrize("fraction,at", [(0.1, "char"), (0.3, "entry"), (0.6, "sentence"), (0.9, "entry"),
                                         (0.5, "char")])
def test_a_cut_report_never_replaces_the_whole_ones_graph(full, tmp_path, fraction, at):
    source = tmp_path / "cut.txt"
    source.write_text(cut(fraction, at), encoding="utf-8")
    live = os.readlink(full / "current")
    r = kg("build", "--source", str(source), "--store", str(full))
    assert r.returncode == 3, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and ("truncated" in lines[0] or "would go from 644 chronicle events" in lines[0]), lines
    assert os.readlink(full / "current") == live
    assert sorted(p.name for p in full.iterdir() if p.name.startswith("gen-")) == [live]
    assert events(full) == 644


def test_a_small_loss_within_the_share_is_built(full, tmp_path):
    source = tmp_path / "almost.txt"
    source.write_text(cut(0.99, "sentence"), encoding="utf-8")
    r = kg("build", "--source", str(source), "--store", str(full))
    assert r.returncode == 0, r.stderr
    assert 600 < events(full) < 644


def test_a_cut_report_is_refused_on_a_new_store_too_unless_forced(tmp_path):
    source = tmp_path / "cut.txt"
    source.write_text(cut(0.5, "char"), encoding="utf-8")
    r = kg("build", "--source", str(source), "--store", str(tmp_path / "new"))
    assert r.returncode == 3 and "looks truncated" in r.stderr and "mid-sentence" in r.stderr
    assert not (tmp_path / "new" / "current").exists()
    r = kg("build", "--source", str(source), "--store", str(tmp_path / "new"), "--force")
    assert r.returncode == 0, r.stderr
    assert 250 < events(tmp_path / "new") < 644


def test_building_another_report_is_not_a_loss(full, tmp_path):
    """The next edition replaces what the store holds; the command says which report left."""
    head = TEXT[:CHRONICLE].replace("2021 模式", "2022 模式").replace("2020年第二季度至2021年第一季度",
                                                                      "2021年第二季度至2022年第一季度")
    text = head + re.sub(r"(\d{4})(?=\s*年)", lambda m: str(int(m.group(1)) + 1), TEXT[CHRONICLE:])
    source = tmp_path / "next.txt"
    source.write_text(text, encoding="utf-8")
    r = kg("build", "--source", str(source), "--store", str(full))
    assert r.returncode == 0, r.stderr
    assert "crd-2022-zh" in r.stdout and "no longer in the store" in r.stdout and "crd-2021-zh" in r.stdout


EXCERPTS = sorted((SHARED / "gold" / "next-edition").glob("*.zh.txt"))


@pytest.mark.parametrize("source", EXCERPTS, ids=[p.name for p in EXCERPTS])
def test_an_excerpt_of_another_edition_builds_as_it_is(source, tmp_path):
    """Few entries per section, a section ending early in the period: whole all the same."""
    r = kg("build", "--source", str(source), "--store", str(tmp_path / "store"))
    assert r.returncode == 0, r.stderr
    assert events(tmp_path / "store") >= 20
