"""The kg command as a user types it: build, export, query, stats, and its errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers.paths import ROOT


def kg(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli") / "store"
    r = kg("build", "--store", str(d))
    assert r.returncode == 0, r.stderr
    assert "644 chronicle events" in r.stdout
    return d


def test_export_then_query(cli_store, tmp_path):
    out = tmp_path / "g.ttl"
    r = kg("export", "--store", str(cli_store), "--format", "turtle", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 100_000
    r = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?e a crd:ChronicleEvent }", "--store", str(cli_store),
           "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["rows"] == [{"n": "644"}]
    r = kg("query", "ASK { ?e rdfs:label \"中俄外长通电话\"@zh }", "--store", str(cli_store))
    assert r.stdout.strip() == "true"
    r = kg("query", "SELECT ?t WHERE { ?e rdfs:label ?t } LIMIT 2", "--store", str(cli_store), "--format", "csv")
    assert r.stdout.splitlines()[0] == "t" and len(r.stdout.splitlines()) == 3


def test_stats(cli_store):
    r = kg("stats", "--store", str(cli_store), "--format", "json")
    s = json.loads(r.stdout)
    assert s["events"] == 644 and s["reports"] == 1 and s["persons"] > 100


def test_missing_source_file(tmp_path):
    r = kg("build", "--source", str(tmp_path / "missing.txt"), "--store", str(tmp_path / "s"))
    assert r.returncode != 0
    assert "no such report file" in r.stderr and "missing.txt" in r.stderr


def test_bad_format_name(cli_store, tmp_path):
    r = kg("export", "--store", str(cli_store), "--format", "turtel", "--out", str(tmp_path / "x"))
    assert r.returncode == 2
    assert "unknown format 'turtel'" in r.stderr and "turtle" in r.stderr
    assert not (tmp_path / "x").exists()


def test_malformed_query(cli_store):
    r = kg("query", "SELEKT ?x WHERE { ?x ?y }", "--store", str(cli_store))
    assert r.returncode == 2
    assert "malformed SPARQL" in r.stderr


def test_query_before_build(tmp_path):
    r = kg("query", "ASK {}", "--store", str(tmp_path / "nothing"))
    assert r.returncode == 4 and "kg build" in r.stderr


def test_not_a_report(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("hello\n", encoding="utf-8")
    r = kg("build", "--source", str(p), "--store", str(tmp_path / "s"))
    assert r.returncode == 3 and "not a China–Russia Dialogue report" in r.stderr


def test_the_readme_example_query(cli_store):
    root = ROOT
    r = kg("query", "@" + str(root / "graph/sparql/queries/who_met_whom_top.rq"), "--store", str(cli_store),
           "--format", "json")
    rows = json.loads(r.stdout)["rows"]
    assert rows[0] == {"a_en": "Sergey Lavrov", "b_en": "Wang Yi", "events": "16"}
