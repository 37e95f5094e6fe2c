"""Check the real servers end to end: start each on free ports in a temporary folder
(through launch.py), exercise what the product relies on, stop it.

    python tools/servers/verify.py neo4j     # needs the `neo4j` driver (the project's venv has it)
    python tools/servers/verify.py fuseki    # standard library only
    python tools/servers/verify.py           # both

The servers must have been fetched (neo4j.sh fetch, fuseki.sh fetch). Ends with a
'N passed, N failed' line; exits 1 when a check failed.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import launch  # noqa: E402

RESULTS: list[tuple[str, bool, str]] = []


def check(name: str):
    def deco(fn):
        t0 = time.monotonic()
        try:
            note = fn() or ""
            RESULTS.append((name, True, note))
            print(f"  ok    {name} ({time.monotonic() - t0:.1f} s) {note}", flush=True)
        except Exception as e:  # noqa: BLE001 - a check's failure is reported, not raised
            RESULTS.append((name, False, repr(e)))
            print(f"  FAIL  {name}: {e!r}", flush=True)
            traceback.print_exc(limit=3)
        return fn
    return deco


def rss_mb(pid: int | None) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def stop_start(srv) -> str:
    """Stop the server and start it again on the same folder and ports; how long each took."""
    t = time.monotonic()
    srv.stop()
    stop_s = time.monotonic() - t
    t = time.monotonic()
    srv.restart()
    return f"stop {stop_s:.1f} s, start {time.monotonic() - t:.1f} s"


# ------------------------------------------------------------------------------------- Neo4j

def verify_neo4j() -> None:
    import neo4j
    from neo4j import GraphDatabase, Query
    from neo4j.exceptions import AuthError, ClientError, ConstraintError, Neo4jError, ServiceUnavailable

    print("Neo4j:", flush=True)
    with tempfile.TemporaryDirectory(prefix="verify-neo4j-") as tmp:
        t0 = time.monotonic()
        srv = launch.start_neo4j(Path(tmp) / "run", password="verify-pass-1")
        print(f"  started in {time.monotonic() - t0:.1f} s at {srv.uri} (pid {srv.pid}, "
              f"RSS {rss_mb(srv.pid):.0f} MB)", flush=True)
        drv = GraphDatabase.driver(srv.uri, auth=srv.auth, notifications_min_severity="OFF")
        try:
            @check("login with the password; a wrong password is refused")
            def _():
                drv.verify_connectivity()
                bad = GraphDatabase.driver(srv.uri, auth=("neo4j", "wrong-password"))
                try:
                    bad.verify_connectivity()
                    raise AssertionError("a wrong password was accepted")
                except AuthError:
                    pass
                finally:
                    bad.close()
                return f"server {drv.get_server_info().agent}"

            @check("HTTP API with basic auth; 401 without")
            def _():
                body = json.dumps({"statements": [{"statement": "RETURN 1 AS x"}]}).encode()
                url = f"{srv.http_url}/db/neo4j/tx/commit"
                hdr = {"Content-Type": "application/json", "Accept": "application/json"}
                try:
                    urllib.request.urlopen(urllib.request.Request(url, body, hdr), timeout=10)
                    raise AssertionError("no 401 without credentials")
                except urllib.error.HTTPError as e:
                    assert e.code == 401, e.code
                import base64
                tok = base64.b64encode(f"neo4j:{srv.password}".encode()).decode()
                with urllib.request.urlopen(urllib.request.Request(
                        url, body, {**hdr, "Authorization": f"Basic {tok}"}), timeout=10) as r:
                    out = json.load(r)
                assert out["results"][0]["data"][0]["row"] == [1], out
                assert not out["errors"], out["errors"]

            @check("CREATE CONSTRAINT IF NOT EXISTS / SHOW CONSTRAINTS / uniqueness enforced")
            def _():
                q = "CREATE CONSTRAINT x IF NOT EXISTS FOR (n:T) REQUIRE n.k IS UNIQUE"
                drv.execute_query(q)
                drv.execute_query(q)  # idempotent
                recs, _, _ = drv.execute_query("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")
                mine = [r.data() for r in recs if r["name"] == "x"]
                assert mine and mine[0]["type"] == "UNIQUENESS" and mine[0]["labelsOrTypes"] == ["T"], recs
                drv.execute_query("MERGE (:T {k: 1})")
                try:
                    drv.execute_query("CREATE (:T {k: 1})")
                    raise AssertionError("a duplicate key was accepted")
                except ConstraintError:
                    pass
                return str(mine[0])

            @check("date('2020-04-14') is stored and read back as neo4j.time.Date")
            def _():
                drv.execute_query("CREATE (:Meeting {id: 'm1', on: date('2020-04-14')})")
                recs, _, _ = drv.execute_query("MATCH (m:Meeting {id: 'm1'}) RETURN m.on AS on")
                v = recs[0]["on"]
                assert isinstance(v, neo4j.time.Date) and v == neo4j.time.Date(2020, 4, 14), (type(v), v)
                p, _, _ = drv.execute_query("RETURN $d AS d", d=neo4j.time.Date(2021, 1, 2))
                assert p[0]["d"] == neo4j.time.Date(2021, 1, 2)
                return repr(v)

            @check("a write in a READ access-mode session is refused")
            def _():
                with drv.session(default_access_mode=neo4j.READ_ACCESS) as s:
                    try:
                        s.run("CREATE (:ShouldNotExist)").consume()
                        raise AssertionError("the write was accepted")
                    except ClientError as e:
                        msg = f"{e.code}: {e.message}"
                with drv.session(default_access_mode=neo4j.READ_ACCESS) as s:
                    try:
                        s.execute_read(lambda tx: tx.run("CREATE (:ShouldNotExist)").consume())
                        raise AssertionError("the write in execute_read was accepted")
                    except ClientError:
                        pass
                n = drv.execute_query("MATCH (n:ShouldNotExist) RETURN count(n) AS n").records[0]["n"]
                assert n == 0, n
                return msg

            @check("per-transaction timeout stops a long query on the server")
            def _():
                t = time.monotonic()
                with drv.session() as s:
                    try:
                        s.run(Query("UNWIND range(1, 100000000) AS x RETURN count(x)", timeout=1.0)).consume()
                        raise AssertionError("the query ran to its end")
                    except Neo4jError as e:
                        took = time.monotonic() - t
                        assert took < 15, took
                        return f"after {took:.1f} s: {e.code}"
        finally:
            drv.close()

        @check("data and constraint persist across stop/start")
        def _():
            took = stop_start(srv)
            with GraphDatabase.driver(srv.uri, auth=srv.auth) as d:
                recs, _, _ = d.execute_query("MATCH (m:Meeting {id: 'm1'}) RETURN m.on AS on")
                assert recs and recs[0]["on"] == neo4j.time.Date(2020, 4, 14), recs
                names = [r["name"] for r in d.execute_query("SHOW CONSTRAINTS YIELD name").records]
                assert "x" in names, names
            return took

        def mid_write(how: str) -> str:
            """Write batches of 10,000 nodes, one auto-commit transaction each, and hold a
            transaction open; stop the server under them (SIGTERM through the script, or
            SIGKILL). Started again: every acknowledged batch is there, no batch is there
            in part, the open transaction left nothing, and writes work."""
            acked: list[int] = []
            errors: list[BaseException] = []
            opened = threading.Event()

            def batches():
                try:
                    with GraphDatabase.driver(srv.uri, auth=srv.auth) as d, d.session() as s:
                        for b in range(10_000):
                            s.run("UNWIND range(1, 10000) AS i CREATE (:Bulk {how: $how, b: $b, i: i})",
                                  how=how, b=b).consume()
                            acked.append(b)
                except BaseException as e:  # noqa: BLE001 - the server went away under it
                    errors.append(e)

            def open_tx():
                try:
                    with GraphDatabase.driver(srv.uri, auth=srv.auth) as d, d.session() as s:
                        tx = s.begin_transaction()
                        tx.run("UNWIND range(1, 50000) AS i CREATE (:Uncommitted {how: $how, i: i})",
                               how=how).consume()
                        opened.set()
                        time.sleep(60)  # never commits
                except BaseException:  # noqa: BLE001
                    opened.set()

            threads = [threading.Thread(target=batches), threading.Thread(target=open_tx, daemon=True)]
            for th in threads:
                th.start()
            opened.wait(30)
            time.sleep(1.5)
            before = len(acked)
            if how == "kill":
                os.kill(srv.pid, signal.SIGKILL)
                while srv.running():
                    time.sleep(0.1)
            srv.stop()  # for a kill: tidies the pid file
            threads[0].join(30)
            assert errors, "the writer never noticed the server go"
            t = time.monotonic()
            srv.restart()
            start_s = time.monotonic() - t
            with GraphDatabase.driver(srv.uri, auth=srv.auth) as d:
                rows = d.execute_query("MATCH (b:Bulk {how: $how}) RETURN b.b AS b, count(*) AS n", how=how).records
                per = {r["b"]: r["n"] for r in rows}
                assert all(n == 10_000 for n in per.values()), "a batch is there in part"
                assert set(acked) <= set(per), f"acknowledged batches lost: {sorted(set(acked) - set(per))[:5]}"
                assert len(per) <= len(acked) + 1, (len(per), len(acked))
                u = d.execute_query("MATCH (u:Uncommitted {how: $how}) RETURN count(u) AS n", how=how).records[0]["n"]
                assert u == 0, f"{u} nodes of an uncommitted transaction"
                d.execute_query("CREATE (:AfterRestart {how: $how})", how=how)
                assert d.execute_query("MATCH (m:Meeting {id: 'm1'}) RETURN count(m) AS n").records[0]["n"] == 1
            return (f"{before} batches acknowledged before the stop, {len(per)} there after, "
                    f"open transaction gone, restart {start_s:.1f} s")

        check("stop (SIGTERM) during a large write, start again")(lambda: mid_write("term"))
        check("kill -9 during a large write, start again (recovery)")(lambda: mid_write("kill"))
        rss = rss_mb(srv.pid)
        srv.stop()
        print(f"  RSS after the checks: {rss:.0f} MB", flush=True)

        # The server-wide limit: db.transaction.timeout in neo4j.conf (NEO4J_TX_TIMEOUT).
        srv2 = launch.start_neo4j(Path(tmp) / "run2", tx_timeout="2s", heap="512m")
        try:
            @check("db.transaction.timeout=2s stops a long query with no timeout of its own")
            def _():
                t = time.monotonic()
                with GraphDatabase.driver(srv2.uri, auth=srv2.auth) as d, d.session() as s:
                    try:
                        s.run("UNWIND range(1, 100000000) AS x RETURN count(x)").consume()
                        raise AssertionError("the query ran to its end")
                    except Neo4jError as e:
                        took = time.monotonic() - t
                        assert took < 20, took
                        return f"after {took:.1f} s: {e.code}"

            @check("a second start on the same folder is refused another password, then starts")
            def _():
                env = dict(srv2.env, NEO4J_PASSWORD="another-password")
                srv2.stop()
                try:
                    launch._script(launch.NEO4J_SH, "start", env)
                    raise AssertionError("started with another password")
                except launch.ServerError as e:
                    assert "another password" in str(e), e
                srv2.restart()
                with GraphDatabase.driver(srv2.uri, auth=srv2.auth) as d:
                    d.verify_connectivity()
        finally:
            srv2.stop()
        try:
            with GraphDatabase.driver(srv.uri, auth=srv.auth, connection_timeout=2) as d:
                d.verify_connectivity()
            raise AssertionError("still answering after stop")
        except ServiceUnavailable:
            pass


# ------------------------------------------------------------------------------------- Fuseki

def http(method: str, url: str, body: bytes | str | None = None, headers: dict | None = None) -> tuple[int, str, str]:
    if isinstance(body, str):
        body = body.encode()
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()


def select(srv, query: str, **params) -> list[dict]:
    data = [("query", query)] + [(k.replace("_", "-"), v) for k, vs in params.items() for v in vs]
    st, _, body = http("POST", srv.query_url, urllib.parse.urlencode(data),
                       {"Accept": "application/sparql-results+json",
                        "Content-Type": "application/x-www-form-urlencoded"})
    assert st == 200, (st, body[:500])
    res = json.loads(body)
    if "boolean" in res:
        return [{"boolean": res["boolean"]}]
    return [{k: v["value"] for k, v in b.items()} for b in res["results"]["bindings"]]


def update(srv, text: str) -> None:
    st, _, body = http("POST", srv.update_url, urllib.parse.urlencode({"update": text}),
                       {"Content-Type": "application/x-www-form-urlencoded"})
    assert st in (200, 204), (st, body[:500])


EX = "http://example.org/"
G1, G2 = EX + "g1", EX + "g2"


def verify_fuseki() -> None:
    print("Fuseki:", flush=True)
    with tempfile.TemporaryDirectory(prefix="verify-fuseki-") as tmp:
        t0 = time.monotonic()
        srv = launch.start_fuseki(Path(tmp) / "run")
        print(f"  started in {time.monotonic() - t0:.1f} s at {srv.url} (pid {srv.pid}, "
              f"RSS {rss_mb(srv.pid):.0f} MB)", flush=True)
        try:
            @check("/$/ping and a SPARQL query answer")
            def _():
                st, _, _ = http("GET", f"http://127.0.0.1:{srv.port}/$/ping")
                assert st == 200
                assert select(srv, "ASK {}") == [{"boolean": True}]

            @check("SPARQL update: INSERT DATA into a named graph")
            def _():
                update(srv, f'INSERT DATA {{ GRAPH <{G1}> {{ <{EX}putin> <{EX}met> <{EX}xi> . '
                            f'<{EX}putin> <{EX}name> "Путин"@ru }} }}')
                rows = select(srv, f"SELECT ?o {{ GRAPH <{G1}> {{ <{EX}putin> <{EX}name> ?o }} }}")
                assert rows == [{"o": "Путин"}], rows

            @check("Graph Store Protocol: PUT Turtle into ?graph=, GET it back")
            def _():
                ttl = f'<{EX}xi> <{EX}name> "习近平"@zh ; <{EX}on> "2020-04-14"^^<http://www.w3.org/2001/XMLSchema#date> .'
                st, _, body = http("PUT", f"{srv.store_url}?graph={urllib.parse.quote(G2)}", ttl,
                                   {"Content-Type": "text/turtle; charset=utf-8"})
                assert st in (200, 201, 204), (st, body)
                st, ctype, body = http("GET", f"{srv.store_url}?graph={urllib.parse.quote(G2)}",
                                       headers={"Accept": "application/n-triples"})
                assert st == 200 and "习近平" in body and body.count("\n") == 2, (st, ctype, body)
                # the same graph under Fuseki's own name for the endpoint
                st, _, body2 = http("GET", f"{srv.url}/data?graph={urllib.parse.quote(G2)}",
                                    headers={"Accept": "application/n-triples"})
                assert st == 200 and sorted(body2.splitlines()) == sorted(body.splitlines())
                st, _, _ = http("GET", f"{srv.store_url}?graph={urllib.parse.quote(EX + 'none')}")
                assert st == 404, st

            @check("SELECT * FROM <g> sees that graph only")
            def _():
                rows = select(srv, f"SELECT * FROM <{G2}> {{ ?s ?p ?o }}")
                assert len(rows) == 2 and all(r["s"] == EX + "xi" for r in rows), rows

            @check("the default graph is the union of the named graphs")
            def _():
                rows = select(srv, "SELECT ?s ?p ?o { ?s ?p ?o }")
                assert {r["s"] for r in rows} == {EX + "putin", EX + "xi"} and len(rows) == 4, rows
                rows = select(srv, f"SELECT ?who {{ <{EX}putin> <{EX}met> ?x . ?x <{EX}name> ?who }}")
                assert rows == [{"who": "习近平"}], rows   # a join across two named graphs
                graphs = [r["g"] for r in select(srv, "SELECT DISTINCT ?g { GRAPH ?g {} } ORDER BY ?g")]
                assert graphs == [G1, G2], graphs

            @check("default-graph-uri / named-graph-uri (as the product sends them) are honoured")
            def _():
                rows = select(srv, "SELECT ?s { ?s ?p ?o }", default_graph_uri=[G1])
                assert {r["s"] for r in rows} == {EX + "putin"}, rows
                rows = select(srv, "SELECT ?g ?s { GRAPH ?g { ?s ?p ?o } }",
                              default_graph_uri=[G1, G2], named_graph_uri=[G2])
                assert {r["g"] for r in rows} == {G2}, rows

            @check("an update's WHERE sees the union; the real default graph stays apart")
            def _():
                update(srv, f"INSERT {{ GRAPH <{EX}g3> {{ ?s a <{EX}Person> }} }} WHERE {{ ?s <{EX}name> ?n }}")
                rows = select(srv, f"SELECT ?s {{ GRAPH <{EX}g3> {{ ?s a <{EX}Person> }} }}")
                assert {r["s"] for r in rows} == {EX + "putin", EX + "xi"}, rows
                update(srv, f"INSERT DATA {{ <{EX}lost> <{EX}p> 1 }}")   # into the stored default graph
                assert select(srv, f"ASK {{ <{EX}lost> ?p ?o }}") == [{"boolean": False}]
                assert select(srv, f"ASK {{ GRAPH <urn:x-arq:DefaultGraph> {{ <{EX}lost> ?p ?o }} }}") == \
                    [{"boolean": True}]
                update(srv, f"DELETE DATA {{ <{EX}lost> <{EX}p> 1 }} ; DROP GRAPH <{EX}g3>")

            @check("GSP DELETE of a named graph")
            def _():
                st, _, _ = http("DELETE", f"{srv.store_url}?graph={urllib.parse.quote(G2)}")
                assert st in (200, 204), st
                assert select(srv, f"ASK {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}") == [{"boolean": False}]
                st, _, _ = http("PUT", f"{srv.store_url}?graph={urllib.parse.quote(G2)}",
                                f'<{EX}xi> <{EX}name> "习近平"@zh .', {"Content-Type": "text/turtle"})
                assert st in (200, 201, 204)

            @check("TDB2 data persists across stop/start")
            def _():
                took = stop_start(srv)
                rows = select(srv, "SELECT ?s { ?s ?p ?o }")
                assert {r["s"] for r in rows} == {EX + "putin", EX + "xi"}, rows
                return f"{took}, RSS {rss_mb(srv.pid):.0f} MB"

            @check("kill -9, start again: TDB2 recovers, data intact")
            def _():
                os.kill(srv.pid, signal.SIGKILL)
                while srv.running():
                    time.sleep(0.1)
                srv.stop()
                srv.restart()
                assert len(select(srv, "SELECT * { ?s ?p ?o }")) == 3
        finally:
            srv.stop()

        mem = launch.start_fuseki(Path(tmp) / "mem", mem=True, query_timeout_ms=1500)
        try:
            @check("in-memory dataset (--mem--) also has the union default graph")
            def _():
                update(mem, f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}a> <{EX}p> 1 }} GRAPH <{G2}> {{ <{EX}b> <{EX}p> 2 }} }}")
                assert len(select(mem, "SELECT * { ?s ?p ?o }")) == 2
                assert not (Path(tmp) / "mem" / "tdb2").exists()

            @check("arq:queryTimeout (FUSEKI_QUERY_TIMEOUT_MS) stops a long query")
            def _():
                t = time.monotonic()
                q = "SELECT (COUNT(*) AS ?n) { " + " ".join(f"VALUES ?x{i} {{ {' '.join(map(str, range(60)))} }}"
                                                              for i in range(5)) + " }"
                data = urllib.parse.urlencode({"query": q})
                st, _, body = http("POST", mem.query_url, data, {"Content-Type": "application/x-www-form-urlencoded",
                                                                "Accept": "application/sparql-results+json"})
                took = time.monotonic() - t
                assert st == 503 and took < 10, (st, took, body[:300])
                return f"HTTP {st} after {took:.1f} s"
        finally:
            mem.stop()


def main() -> int:
    which = sys.argv[1:] or ["neo4j", "fuseki"]
    for w in which:
        {"neo4j": verify_neo4j, "fuseki": verify_fuseki}[w]()
    passed = sum(ok for _, ok, _ in RESULTS)
    failed = len(RESULTS) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
