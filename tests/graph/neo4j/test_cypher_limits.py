"""The /cypher time limit stops the database's work too, not only the wait: a runaway
Cypher query on a Bolt server started with its own query limit (FalkorDB's
``TIMEOUT_MAX``, as docs/security.md asks of a deployment) ends at the limit, and the
server's CPU is idle right after."""

from __future__ import annotations

import os
import time

import pytest

from graph.neo4j.cypher import CypherRunner, CypherTimeout
from helpers.bolt import FalkorDBServer

LIMIT_S = 1.0


def _cpu(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.fixture()
def server(tmp_path):
    if os.environ.get("KG_TEST_NEO4J_URI"):
        pytest.skip("the CPU of an external Neo4j server cannot be watched from here")
    srv = FalkorDBServer(tmp_path, timeout_ms=int(LIMIT_S * 1000))
    srv.start()
    yield srv
    srv.stop()


def test_a_runaway_cypher_query_stops_on_the_server(server):
    runner = CypherRunner(server.uri, user=server.user, password=server.password, timeout=LIMIT_S)
    try:
        runner.server().write("UNWIND range(1, 3000) AS i CREATE (:N {i: i})")
        t0 = time.monotonic()
        with pytest.raises(CypherTimeout, match="more than 1 s"):
            runner.run("MATCH (a:N), (b:N), (c:N) RETURN count(*)")
        assert time.monotonic() - t0 < LIMIT_S + 1
        before = _cpu(server.proc.pid)
        time.sleep(1.0)
        assert _cpu(server.proc.pid) - before < 0.1  # the server stopped working on it
        assert runner.run("MATCH (n:N) RETURN count(n) AS n").rows == [{"n": 3000}]
    finally:
        runner.close()
