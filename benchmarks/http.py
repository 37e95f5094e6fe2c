"""A small HTTP/1.1 client and a load generator for loopback servers (no third-party
client, so the figures measure the server)."""

from __future__ import annotations

import asyncio
import socket
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from .isolated import run_isolated

SPARQL_JSON = "application/sparql-results+json"


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds (nearest rank: with few runs, p99 is the slowest).

    >>> percentiles([0.001, 0.002, 0.003, 0.010])
    (2.5, 10.0)
    """
    xs = sorted(seconds)
    n = len(xs)
    mid = xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
    return round(mid * 1000, 3), round(xs[max(0, -(-99 * n // 100) - 1)] * 1000, 3)

class HttpClient:
    """HTTP/1.1 GET over one kept-alive connection, with little of its own cost, so
    that what is timed is the server.

    >>> HttpClient("http://127.0.0.1:1/x").request_bytes("/sparql", {"query": "ASK {}"}).splitlines()[0]
    b'GET /sparql?query=ASK+%7B%7D HTTP/1.1'
    """

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._sock: socket.socket | None = None
        self._file = None

    def request_bytes(self, url: str, params: dict | None = None, accept: str = "*/*") -> bytes:
        """A GET request for ``url`` (a path, or a full URL on this client's server)."""
        target = _target(url) + ("?" + urlencode(params) if params else "")
        return (f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: {accept}\r\n\r\n").encode()

    def get(self, path: str, params: dict | None = None, accept: str = "*/*") -> tuple[int, bytes]:
        return self.send(self.request_bytes(path, params, accept))

    def send(self, request: bytes) -> tuple[int, bytes]:
        for attempt in (0, 1):
            if self._sock is None:
                self._sock = socket.create_connection((self.host, self.port), timeout=120)
                self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._file = self._sock.makefile("rb")
            try:
                self._sock.sendall(request)
                status, headers, body = _read_response_sync(self._file)
            except (ConnectionError, EOFError):
                self.close()
                if attempt:
                    raise
                continue
            if headers.get("connection", "").lower() == "close":
                self.close()
            return status, body
        raise ConnectionError("unreachable")

    def close(self) -> None:
        if self._sock is not None:
            self._file.close()
            self._sock.close()
        self._sock = self._file = None


def _target(url: str) -> str:
    """The request target of a URL: its path and query.

    >>> _target("http://127.0.0.1:8000/sparql?query=x"), _target("/persons")
    ('/sparql?query=x', '/persons')
    """
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for ln in lines[1:]:
        if ":" in ln:
            k, v = ln.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return status, headers


def _read_response_sync(f) -> tuple[int, dict[str, str], bytes]:
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        line = f.readline()
        if not line:
            raise EOFError("the server closed the connection")
        head += line
    status, headers = _parse_head(head)
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int(f.readline().split(b";")[0], 16)
            chunk = f.read(size + 2)
            if not size:
                break
            body += chunk[:-2]
        return status, headers, body
    return status, headers, f.read(int(headers.get("content-length", 0)))


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], int]:
    status, headers = _parse_head(await reader.readuntil(b"\r\n\r\n"))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        n = 0
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            n += size
            if not size:
                return status, headers, n
    size = int(headers.get("content-length", 0))
    await reader.readexactly(size)
    return status, headers, size


# --- load ---------------------------------------------------------------------------------

async def _load(urls: list[str], concurrency: int, seconds: float, accept: str) -> dict:
    """``concurrency`` connections, each sending the next URL as soon as the last answer
    is read (closed loop), for ``seconds``. ``{n}`` in a URL becomes a request number."""
    parts = urlsplit(urls[0])
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    client = HttpClient(urls[0])
    templates = [client.request_bytes(u, None, accept) for u in urls]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    counter = iter(range(1 << 62))
    t_end = time.perf_counter() + seconds

    async def connection(k: int) -> None:
        nonlocal errors
        reader = writer = None
        i = k
        while time.perf_counter() < t_end:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            req = templates[i % len(templates)]
            i += concurrency
            if b"{n}" in req:
                req = req.replace(b"{n}", str(next(counter)).encode())
            t0 = time.perf_counter()
            try:
                writer.write(req)
                status, headers, _ = await _read_response(reader)
            except (ConnectionError, asyncio.IncompleteReadError):
                errors += 1
                writer.close()
                reader = writer = None
                continue
            latencies.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(connection(k) for k in range(concurrency)))
    elapsed = time.perf_counter() - t0
    ok = sum(n for s, n in statuses.items() if 200 <= s < 300)
    p50, p99 = percentiles(latencies) if latencies else (0.0, 0.0)
    return {"requests": len(latencies), "ok": ok, "errors": errors + len(latencies) - ok,
            "statuses": {str(s): n for s, n in sorted(statuses.items())}, "seconds": round(elapsed, 3),
            "rps": round(ok / elapsed, 1), "p50_ms": p50, "p99_ms": p99, "concurrency": concurrency,
            "urls": len(urls)}


def load(urls: list[str], *, concurrency: int = 8, seconds: float = 5.0, accept: str = "application/json") -> dict:
    """Load a server with GET requests from this process: requests per second (2xx
    answers), p50 and p99 latency in ms, errors. Run it as ``python -m benchmarks load
    URL… --concurrency N --seconds S``, in a process apart from the server's.

    Parameters
    ----------
    urls : list of str
        Sent in turn; ``{n}`` in a URL becomes a request number, so that every request
        differs (to keep caches out of the measurement).
    concurrency : int
        Connections, each with one request in flight.
    seconds : float
        How long to send requests.
    """
    return asyncio.run(_load(urls, concurrency, seconds, accept))


def run_load(urls: list[str], *, concurrency: int, seconds: float, accept: str = "application/json") -> dict:
    """``load`` in a fresh process (the URLs passed in a file: a query in a URL is long)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(urls))
    try:
        return run_isolated("load", "@" + f.name, "--concurrency", str(concurrency), "--seconds", str(seconds),
                            "--accept", accept)
    finally:
        Path(f.name).unlink()
