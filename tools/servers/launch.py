"""Start and stop the project's real servers (Neo4j, Fuseki) from Python, e.g. in tests.

Standard library only. Each ``start_*`` runs the shell script beside this file
(``neo4j.sh`` / ``fuseki.sh``) with its own run folder and ports, and returns once the
server answers: for Neo4j, once Bolt accepts a login with the password and runs
``RETURN 1``, and the HTTP port answers; for Fuseki, once ``/$/ping`` and a query to the
dataset answer. Nothing is downloaded here: the servers must have been fetched before
(``neo4j.sh fetch``, ``fuseki.sh fetch``, or :func:`fetch_neo4j` / :func:`fetch_fuseki`,
which a test would call only when it means to download).

    >>> from launch import start_neo4j, free_ports          # doctest: +SKIP
    >>> bolt, http = free_ports(2)                          # doctest: +SKIP
    >>> with start_neo4j(tmp_path, bolt, http, "s3cret-pass") as neo:   # doctest: +SKIP
    ...     driver = neo4j.GraphDatabase.driver(neo.uri, auth=neo.auth)

Run as a script it is the scripts' readiness check (``wait-neo4j``, ``wait-http``).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import secrets
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

__all__ = [
    "ServerError", "BoltAuthError", "free_port", "free_ports", "cache_root",
    "neo4j_fetched", "fuseki_fetched", "fetch_neo4j", "fetch_fuseki",
    "Neo4jServer", "FusekiServer", "start_neo4j", "start_fuseki",
    "bolt_login", "wait_neo4j", "wait_http", "write_initial_password",
]

HERE = Path(__file__).resolve().parent
NEO4J_SH = HERE / "neo4j.sh"
FUSEKI_SH = HERE / "fuseki.sh"


class ServerError(RuntimeError):
    """A server could not be fetched, started, or did not answer in time."""


class BoltAuthError(ServerError):
    """Neo4j refused the credentials (no use retrying)."""


# ---------------------------------------------------------------------------- ports

def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nothing listens on at the moment."""
    return free_ports(1, host)[0]


def free_ports(n: int, host: str = "127.0.0.1") -> list[int]:
    """``n`` distinct free TCP ports (all held open while choosing, then released)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((host, 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


# ---------------------------------------------------------------------------- cache

def cache_root() -> Path:
    """Where the scripts keep fetched servers: ``$KG_SERVERS_CACHE``, else
    ``${XDG_CACHE_HOME:-~/.cache}/crd-kg``."""
    if os.environ.get("KG_SERVERS_CACHE"):
        return Path(os.environ["KG_SERVERS_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "crd-kg"


def _default_version(script: Path, var: str) -> str:
    m = re.search(rf'^{var}="\$\{{{var}:-([^}}]+)\}}"', script.read_text(), re.M)
    if not m:
        raise ServerError(f"no default {var} in {script}")
    return os.environ.get(var) or m.group(1)


def neo4j_fetched() -> bool:
    """True when ``neo4j.sh fetch`` has put the server's jars in the cache."""
    return (cache_root() / f"neo4j-{_default_version(NEO4J_SH, 'NEO4J_VERSION')}" / ".complete").is_file()


def fuseki_fetched() -> bool:
    """True when ``fuseki.sh fetch`` has put the server's jars in the cache."""
    return (cache_root() / f"fuseki-{_default_version(FUSEKI_SH, 'FUSEKI_VERSION')}" / ".complete").is_file()


def _script(script: Path, command: str, env: dict[str, str] | None = None, timeout: float | None = None) -> str:
    try:
        p = subprocess.run(["bash", str(script), command], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise ServerError(f"{script.name} {command} took more than {timeout:g} s") from e
    if p.returncode != 0:
        raise ServerError(f"{script.name} {command} failed (exit {p.returncode}):\n{p.stderr.strip()}")
    return p.stdout


def fetch_neo4j() -> None:
    """Download Neo4j through Maven into the cache (no-op when already there)."""
    _script(NEO4J_SH, "fetch")


def fetch_fuseki() -> None:
    """Download Fuseki through Maven into the cache (no-op when already there)."""
    _script(FUSEKI_SH, "fetch")


# ---------------------------------------------------------------------------- handles

@dataclass
class _Handle:
    workdir: Path
    env: dict[str, str] = field(repr=False)
    pid: int | None = None
    _stopped: bool = field(default=False, repr=False)

    _SCRIPT: ClassVar[Path]  # the script that starts and stops it
    _PIDFILE: ClassVar[str]  # where that script keeps the pid, in the run folder

    def restart(self) -> None:
        """Stop and start again on the same folder and ports (the data stays)."""
        self.stop()
        _script(self._SCRIPT, "start", self.env)
        self._stopped = False
        self.pid = _read_pid(self.workdir / self._PIDFILE)

    def stop(self, timeout: float = 150.0) -> None:
        """Stop the server and wait for it to exit (idempotent)."""
        if self._stopped:
            return
        try:
            _script(self._SCRIPT, "stop", self.env, timeout=timeout)
        except ServerError:
            if self.pid:  # the script failed: end the process we started, by its pid
                try:
                    os.kill(self.pid, 9)
                except ProcessLookupError:
                    pass
            raise
        finally:
            self._stopped = True

    def running(self) -> bool:
        if self._stopped or not self.pid:
            return False
        try:
            os.kill(self.pid, 0)
            return True
        except ProcessLookupError:
            return False

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class Neo4jServer(_Handle):
    """A running Neo4j: ``uri`` (bolt://127.0.0.1:PORT), ``auth`` for the driver."""

    bolt_port: int = 0
    http_port: int = 0
    password: str = field(default="", repr=False)
    user: str = "neo4j"

    _SCRIPT = NEO4J_SH
    _PIDFILE = "run/neo4j.pid"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)


@dataclass
class FusekiServer(_Handle):
    """A running Fuseki: ``url`` is the dataset's base URL (``http://127.0.0.1:PORT/kg``),
    with ``/query``, ``/update`` and ``/store`` (Graph Store Protocol) under it."""

    port: int = 0
    dataset: str = "kg"

    _SCRIPT = FUSEKI_SH
    _PIDFILE = "fuseki.pid"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.dataset}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    @property
    def update_url(self) -> str:
        return self.url + "/update"

    @property
    def store_url(self) -> str:
        return self.url + "/store"


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _base_env(drop_prefix: str) -> dict[str, str]:
    # The caller's own settings for these servers (say, NEO4J_PASSWORD of a developer's
    # server) must not leak into a server started here; the cache location and Java stay.
    return {k: v for k, v in os.environ.items() if not k.startswith(drop_prefix)}


def start_neo4j(workdir: str | os.PathLike, bolt_port: int | None = None, http_port: int | None = None,
                password: str | None = None, *, heap: str = "1g", pagecache: str = "64m",
                tx_timeout: str | None = None, conf_extra: str = "", java_opts: str = "",
                timeout: float = 180.0) -> Neo4jServer:
    """Start Neo4j with its data and logs in ``workdir`` (created; reused if it holds a
    database made with the same password) and return once it accepts a Bolt login.

    Free ports are chosen when none are given; a random password when none is given.
    ``tx_timeout`` (e.g. ``"5s"``) sets ``db.transaction.timeout``; ``conf_extra`` is
    appended to neo4j.conf; ``java_opts`` are more JVM options (``NEO4J_JAVA_OPTS``)."""
    workdir = Path(workdir).resolve()
    if bolt_port is None or http_port is None:
        b, h = free_ports(2)
        bolt_port, http_port = bolt_port or b, http_port or h
    password = password or secrets.token_urlsafe(18)
    env = _base_env("NEO4J_")
    env.update(NEO4J_RUN_DIR=str(workdir), NEO4J_BOLT_PORT=str(bolt_port), NEO4J_HTTP_PORT=str(http_port),
               NEO4J_PASSWORD=password, NEO4J_HEAP=heap, NEO4J_PAGECACHE=pagecache,
               NEO4J_TX_TIMEOUT=tx_timeout or "0s", NEO4J_START_TIMEOUT=str(int(timeout)))
    if conf_extra:
        env["NEO4J_CONF_EXTRA"] = conf_extra
    if java_opts:
        env["NEO4J_JAVA_OPTS"] = java_opts
    if "NEO4J_VERSION" in os.environ:
        env["NEO4J_VERSION"] = os.environ["NEO4J_VERSION"]
    _script(NEO4J_SH, "start", env, timeout=timeout + 30)
    return Neo4jServer(workdir=workdir, env=env, pid=_read_pid(workdir / Neo4jServer._PIDFILE),
                       bolt_port=bolt_port, http_port=http_port, password=password)


def start_fuseki(workdir: str | os.PathLike, port: int | None = None, *, dataset: str = "kg",
                 mem: bool = False, union: bool = True, query_timeout_ms: int | None = None,
                 heap: str = "1g", timeout: float = 120.0) -> FusekiServer:
    """Start Fuseki with one dataset ``/<dataset>`` (TDB2 in ``workdir``, or in memory
    when ``mem``) and return once it answers a query. With ``union`` (the default) the
    dataset's default graph is the union of its named graphs."""
    workdir = Path(workdir).resolve()
    port = port or free_port()
    env = _base_env("FUSEKI_")
    env.update(FUSEKI_RUN_DIR=str(workdir), FUSEKI_PORT=str(port), FUSEKI_DATASET=dataset,
               FUSEKI_MEM="1" if mem else "0", FUSEKI_UNION="1" if union else "0", FUSEKI_HEAP=heap,
               FUSEKI_START_TIMEOUT=str(int(timeout)))
    if query_timeout_ms:
        env["FUSEKI_QUERY_TIMEOUT_MS"] = str(query_timeout_ms)
    if "FUSEKI_VERSION" in os.environ:
        env["FUSEKI_VERSION"] = os.environ["FUSEKI_VERSION"]
    _script(FUSEKI_SH, "start", env, timeout=timeout + 30)
    return FusekiServer(workdir=workdir, env=env, pid=_read_pid(workdir / FusekiServer._PIDFILE), port=port,
                        dataset=dataset)


# ---------------------------------------------------------------------------- Neo4j's initial password

def write_initial_password(data_dir: str | os.PathLike, password: str, user: str = "neo4j") -> Path:
    """Write ``DATA/dbms/auth.ini`` as ``neo4j-admin dbms set-initial-password`` does
    (read once, when the system database is first created): ``user:SHA-256,HASH,SALT,1024:``
    where HASH is SHA-256 of salt + password, hashed again 1023 times (Shiro's SimpleHash).
    Saves starting a JVM for the admin tool."""
    salt = secrets.token_bytes(32)
    h = hashlib.sha256(salt + password.encode("utf-8")).digest()
    for _ in range(1023):
        h = hashlib.sha256(h).digest()
    path = Path(data_dir) / "dbms" / "auth.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(f"{user}:SHA-256,{h.hex()},{salt.hex()},1024:\n")
    os.replace(tmp, path)
    return path


# ---------------------------------------------------------------------------- Bolt, by hand

def _pack(v) -> bytes:
    """PackStream for the few value kinds a login and ``RETURN 1`` need."""
    if v is None:
        return b"\xC0"
    if isinstance(v, bool):
        return b"\xC3" if v else b"\xC2"
    if isinstance(v, int):
        if -16 <= v < 128:
            return struct.pack(">b", v)
        return b"\xCB" + struct.pack(">q", v)
    if isinstance(v, str):
        b = v.encode()
        n = len(b)
        head = bytes([0x80 | n]) if n < 16 else (b"\xD0" + struct.pack(">B", n) if n < 256
                                                 else b"\xD1" + struct.pack(">H", n))
        return head + b
    if isinstance(v, dict):
        assert len(v) < 16
        return bytes([0xA0 | len(v)]) + b"".join(_pack(k) + _pack(x) for k, x in v.items())
    raise TypeError(type(v))


def _unpack(b: bytes, i: int = 0):
    m = b[i]
    i += 1
    if m < 0x80:
        return m, i
    if m >= 0xF0:
        return m - 0x100, i
    if 0x80 <= m <= 0x8F or m in (0xD0, 0xD1, 0xD2):
        n, i = _size(b, i, m, 0x80, 0xD0)
        return b[i:i + n].decode("utf-8", "replace"), i + n
    if 0x90 <= m <= 0x9F or m in (0xD4, 0xD5, 0xD6):
        n, i = _size(b, i, m, 0x90, 0xD4)
        out = []
        for _ in range(n):
            x, i = _unpack(b, i)
            out.append(x)
        return out, i
    if 0xA0 <= m <= 0xAF or m in (0xD8, 0xD9, 0xDA):
        n, i = _size(b, i, m, 0xA0, 0xD8)
        out = {}
        for _ in range(n):
            k, i = _unpack(b, i)
            out[k], i = _unpack(b, i)
        return out, i
    if 0xB0 <= m <= 0xBF:
        n, sig = m & 0x0F, b[i]
        i += 1
        fields = []
        for _ in range(n):
            x, i = _unpack(b, i)
            fields.append(x)
        return (sig, fields), i
    fixed = {0xC0: (None, 0), 0xC2: (False, 0), 0xC3: (True, 0)}
    if m in fixed:
        return fixed[m][0], i
    ints = {0xC8: ">b", 0xC9: ">h", 0xCA: ">i", 0xCB: ">q", 0xC1: ">d"}
    if m in ints:
        fmt = ints[m]
        size = struct.calcsize(fmt)
        return struct.unpack(fmt, b[i:i + size])[0], i + size
    if m in (0xCC, 0xCD, 0xCE):
        n, i = _size(b, i, m, None, 0xCC)
        return b[i:i + n], i + n
    raise ValueError(f"unknown PackStream marker {m:#x}")


def _size(b: bytes, i: int, m: int, tiny: int | None, big: int) -> tuple[int, int]:
    if tiny is not None and tiny <= m <= tiny + 15:
        return m - tiny, i
    width = {0: 1, 1: 2, 2: 4}[m - big]
    return int.from_bytes(b[i:i + width], "big"), i + width


def _send(sock: socket.socket, sig: int, *fields) -> None:
    body = bytes([0xB0 | len(fields), sig]) + b"".join(_pack(f) for f in fields)
    sock.sendall(struct.pack(">H", len(body)) + body + b"\x00\x00")


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("Bolt connection closed by the server")
        buf += chunk
    return buf


def _recv(sock: socket.socket) -> tuple[int, list]:
    body = b""
    while True:
        (n,) = struct.unpack(">H", _recv_exact(sock, 2))
        if n == 0:
            if body:
                break
            continue  # a NOOP keep-alive chunk
        body += _recv_exact(sock, n)
    (sig, fields), _ = _unpack(body)
    return sig, fields


_SUCCESS, _RECORD, _FAILURE = 0x70, 0x71, 0x7F


def bolt_login(host: str, port: int, user: str, password: str, timeout: float = 10.0) -> None:
    """Log in over Bolt 4.4 with basic auth and run ``RETURN 1`` on the default database.

    Raises :class:`BoltAuthError` when the server refuses the credentials, and
    :class:`ServerError` / ``OSError`` when it is not ready (worth retrying)."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(b"\x60\x60\xB0\x17" + bytes([0, 0, 4, 4]) + bytes(12))
        agreed = _recv_exact(s, 4)
        if agreed != bytes([0, 0, 4, 4]):
            raise ServerError(f"the server at {host}:{port} does not speak Bolt 4.4 (answered {agreed.hex()})")
        _send(s, 0x01, {"user_agent": "crd-kg-launch/1", "scheme": "basic",
                        "principal": user, "credentials": password})
        sig, fields = _recv(s)
        if sig == _FAILURE:
            meta = fields[0] if fields and isinstance(fields[0], dict) else {}
            code = str(meta.get("code", ""))
            if "Security" in code:
                raise BoltAuthError(f"Neo4j refused the login of {user!r}: {meta.get('message', code)}")
            raise ServerError(f"Bolt HELLO failed: {code} {meta.get('message', '')}")
        _send(s, 0x10, "RETURN 1 AS ok", {}, {})   # RUN
        _send(s, 0x3F, {"n": -1})                   # PULL all
        while True:
            sig, fields = _recv(s)
            if sig == _FAILURE:
                meta = fields[0] if fields and isinstance(fields[0], dict) else {}
                raise ServerError(f"RETURN 1 failed: {meta.get('code', '')} {meta.get('message', '')}")
            if sig == _SUCCESS and fields and isinstance(fields[0], dict) and "fields" not in fields[0]:
                break  # the PULL's SUCCESS (the RUN's carries "fields")
        try:
            _send(s, 0x02)  # GOODBYE
        except OSError:
            pass


def _http_status(url: str, timeout: float = 3.0, data: bytes | None = None,
                 headers: dict[str, str] | None = None) -> int:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def _alive(pid: int | None) -> bool:
    if not pid:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie (exited, not yet reaped) is dead too
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


def wait_neo4j(bolt_port: int, http_port: int | None, password: str, *, user: str = "neo4j",
               pid: int | None = None, timeout: float = 180.0) -> float:
    """Poll until Neo4j accepts a Bolt login and answers on HTTP; seconds waited."""
    t0 = time.monotonic()
    last: Exception | None = None
    while True:
        if not _alive(pid):
            raise ServerError(f"the Neo4j process {pid} exited while starting ({last})")
        try:
            bolt_login("127.0.0.1", bolt_port, user, password, timeout=5.0)
            if http_port is None or _http_status(f"http://127.0.0.1:{http_port}/") == 200:
                return time.monotonic() - t0
            last = ServerError("HTTP not answering yet")
        except BoltAuthError:
            raise
        except (OSError, ServerError, ValueError) as e:
            last = e
        if time.monotonic() - t0 > timeout:
            raise ServerError(f"Neo4j did not accept a Bolt login on port {bolt_port} within {timeout:g} s ({last})")
        time.sleep(0.2)


def wait_http(url: str, *, query_url: str | None = None, pid: int | None = None, timeout: float = 120.0) -> float:
    """Poll until ``url`` answers 200 (and, if given, ``query_url`` answers ``ASK {}``)."""
    t0 = time.monotonic()
    last: Exception | str | None = None
    while True:
        if not _alive(pid):
            raise ServerError(f"the server process {pid} exited while starting ({last})")
        try:
            status = _http_status(url)
            if status == 200 and query_url:
                status = _http_status(query_url, data=urllib.parse.urlencode({"query": "ASK {}"}).encode(),
                                      headers={"Accept": "application/sparql-results+json",
                                               "Content-Type": "application/x-www-form-urlencoded"})
            if status == 200:
                return time.monotonic() - t0
            last = f"HTTP {status}"
        except OSError as e:
            last = e
        if time.monotonic() - t0 > timeout:
            raise ServerError(f"{url} did not answer within {timeout:g} s ({last})")
        time.sleep(0.1)


# ---------------------------------------------------------------------------- CLI for the scripts

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="launch.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    n = sub.add_parser("wait-neo4j", help="wait until Neo4j accepts a Bolt login")
    n.add_argument("--bolt-port", type=int, required=True)
    n.add_argument("--http-port", type=int)
    n.add_argument("--user", default="neo4j")
    n.add_argument("--password-file", type=Path, required=True)
    n.add_argument("--pid", type=int)
    n.add_argument("--timeout", type=float, default=180.0)
    p = sub.add_parser("neo4j-initial-password", help="write DATA/dbms/auth.ini for a new Neo4j")
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--password-file", type=Path, required=True)
    h = sub.add_parser("wait-http", help="wait until a URL answers 200")
    h.add_argument("--url", required=True)
    h.add_argument("--query-url")
    h.add_argument("--pid", type=int)
    h.add_argument("--timeout", type=float, default=120.0)
    a = ap.parse_args(argv)
    try:
        if a.cmd == "neo4j-initial-password":
            write_initial_password(a.data_dir, a.password_file.read_text())
        elif a.cmd == "wait-neo4j":
            wait_neo4j(a.bolt_port, a.http_port, a.password_file.read_text(), user=a.user, pid=a.pid,
                       timeout=a.timeout)
        else:
            wait_http(a.url, query_url=a.query_url, pid=a.pid, timeout=a.timeout)
    except ServerError as e:
        print(f"launch.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
