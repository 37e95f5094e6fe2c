"""Servers under test, each in a process of its own on loopback: ``kg serve``, the
Oxigraph server, and the project's Java servers (``tools/servers``: Neo4j for the mirror,
Fuseki), started through ``tools/servers/launch.py``."""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import tempfile
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .http import HttpClient

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "servers"


def launch():
    """``tools/servers/launch.py``: starts Neo4j and Fuseki from the scripts beside it
    (None when this tree has no ``tools/servers``, as in an installed package)."""
    import importlib.util

    if "kg_servers_launch" in sys.modules:
        return sys.modules["kg_servers_launch"]
    path = TOOLS / "launch.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("kg_servers_launch", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module

def free_port(below: int | None = None) -> int:
    """A loopback port nobody listens on; ``below`` for servers that refuse high ports."""
    if below is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, below)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port below {below}")


@dataclass
class Service:
    url: str
    pid: int
    first_answer_s: float


@contextmanager
def serving(cmd: list[str], ready: str, what: str, timeout: float = 60.0, **popen):
    """Start ``cmd`` (``popen``: more arguments for ``subprocess.Popen``, as ``cwd`` or
    ``env``), wait until ``ready`` answers 200 (polled every 10 ms), yield the process
    and the seconds that took; stop it on the way out."""
    with tempfile.TemporaryFile() as log:
        # A file, not a pipe: a server that logs more than a pipe holds would stop.
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, **popen)
        try:
            while True:
                try:
                    client = HttpClient(ready)
                    status, _ = client.get(ready)
                    client.close()
                    if status == 200:
                        break
                except OSError:
                    pass
                if proc.poll() is not None or time.perf_counter() - t0 > timeout:
                    _stop(proc)
                    log.seek(0)
                    raise RuntimeError(f"{what} did not answer at {ready}: "
                                       + log.read().decode(errors="replace")[-800:].strip())
                time.sleep(0.01)
            yield proc, time.perf_counter() - t0
        finally:
            _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def kg_service(store: str, *, first: str = "/sparql?query=ASK%7B%7D", **popen):
    """``kg serve`` on the store, in its own process on a free loopback port; yields a
    ``Service`` with the seconds from starting the process to its first answer at
    ``first``. ``popen`` as for :func:`serving` (say, the ``env`` with its settings)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "api.cli", "serve", "--store", store, "--port", str(port), "--log-level", "warning"]
    with serving(cmd, url + first, "kg serve", **popen) as (proc, seconds):
        yield Service(url, proc.pid, seconds)


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextmanager
def oxigraph_server(store: str, workdir: Path, binary: str):
    """``oxigraph serve-read-only`` on a copy of the store's live generation (all named
    graphs as the default graph, as the service queries them); yields its base URL."""
    data = workdir / "oxigraph"
    shutil.copytree((Path(store) / "current").resolve(), data)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [binary, "serve-read-only", "--location", str(data), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    with serving(cmd, url + "/query?query=ASK%7B%7D", "oxigraph serve-read-only"):
        yield url
