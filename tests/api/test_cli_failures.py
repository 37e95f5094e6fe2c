"""The kg command when things are wrong, as a user meets it: every failure is one line
on stderr with its documented exit code, and nothing is left half done."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys

import pytest

from helpers.services import copy_store

EXIT_USAGE, EXIT_INPUT, EXIT_STORE, EXIT_LIMIT = 2, 3, 4, 7


def kg(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, timeout=timeout)


def one_line(r) -> str:
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("kg: error: ")
    return lines[0]


@pytest.fixture(scope="module")
def damaged(store, tmp_path_factory):
    copy = copy_store(store, tmp_path_factory.mktemp("damaged") / "store")
    live = (copy.root / "current").resolve()
    for f in live.iterdir():
        if f.is_file():
            f.write_bytes(b"not a store any more")
    return copy.root


@pytest.mark.parametrize("args", [("stats",), ("query", "ASK {}"), ("export", "--format", "turtle", "--out", "{out}"),
                                  ("serve", "--port", "{port}"), ("viz", "met", "--out", "{out}.html")])
def test_a_damaged_store_is_named_in_one_line(damaged, tmp_path, args):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "out.file"
    args = [a.replace("{out}", str(out)).replace("{port}", str(port)) for a in args]
    r = kg(*args, "--store", str(damaged))
    assert r.returncode == EXIT_STORE, r.stderr
    assert "damaged" in one_line(r) and str(damaged) in r.stderr
    assert list(tmp_path.iterdir()) == []  # no output, and no temporary file left behind


def test_a_missing_query_file(tmp_path, store):
    r = kg("query", f"@{tmp_path / 'nope.rq'}", "--store", store.location)
    assert r.returncode == EXIT_INPUT and "no such file" in one_line(r) and "nope.rq" in r.stderr


def test_a_missing_store(tmp_path):
    r = kg("stats", "--store", str(tmp_path / "none"))
    assert r.returncode == EXIT_STORE and "kg build" in one_line(r)


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http"])
def test_a_port_out_of_range(port, tmp_path):
    r = kg("serve", "--port", port, "--store", str(tmp_path / "s"))
    assert r.returncode == EXIT_USAGE and "port" in one_line(r)
    assert not (tmp_path / "s").exists()


def test_a_port_in_use(store):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        r = kg("serve", "--port", str(s.getsockname()[1]), "--store", store.location, timeout=60)
    assert r.returncode == EXIT_USAGE and "in use" in one_line(r)


def test_serve_never_builds_over_a_store_that_lost_its_generation(store, tmp_path):
    copy = copy_store(store, tmp_path / "store")
    generation = (copy.root / "current").resolve()
    os.unlink(copy.root / "current")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = kg("serve", "--store", str(copy.root), "--port", str(port), timeout=60)
    assert r.returncode == EXIT_STORE and "no live graph" in one_line(r)
    assert sorted(p.name for p in copy.root.iterdir() if not p.name.startswith(".")) == [generation.name]


def test_a_build_clears_what_failed_builds_left(store, tmp_path):
    copy = copy_store(store, tmp_path / "store")
    (copy.root / "gen-20200101T000000-dead00").mkdir()
    (copy.root / "gen-20200101T000000-dead00" / "000001.sst").write_bytes(b"half written")
    os.symlink("gen-20200101T000000-dead00", copy.root / ".current-dead00")
    r = kg("build", "--store", str(copy.root))
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in copy.root.iterdir())
    assert [n for n in names if n.startswith(("gen-", ".current-"))] == [(copy.root / "current").resolve().name]


def test_an_export_that_fails_leaves_no_file(store, tmp_path):
    out = tmp_path / "g.ttl"
    r = kg("export", "--format", "turtle", "--out", str(out), "--store", store.location)
    assert r.returncode == 0 and out.stat().st_size > 100_000
    size = out.stat().st_size
    broken = copy_store(store, tmp_path / "broken")
    shutil.rmtree((broken.root / "current").resolve())
    r = kg("export", "--format", "turtle", "--out", str(out), "--store", str(broken.root))
    assert r.returncode == EXIT_STORE
    one_line(r)
    assert out.stat().st_size == size  # the earlier export is still whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "g.ttl"]


@pytest.mark.parametrize("query", ["SELECT * WHERE " + "{" * 3000 + "}" * 3000,
                                   "SELECT (" + "+".join(["1"] * 50000) + " AS ?x) {}",
                                   "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"])
def test_kg_query_refuses_what_the_service_refuses(store, query, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(query)
    r = kg("query", f"@{path}", "--store", store.location)
    assert r.returncode == EXIT_USAGE
    one_line(r)


def test_kg_query_stops_at_the_time_limit(store):
    r = kg("query", "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--store", store.location,
           "--timeout", "1", timeout=60)
    assert r.returncode == EXIT_LIMIT and "time limit of 1 s" in one_line(r)
