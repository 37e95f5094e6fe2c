"""Servers on loopback for the tests that speak HTTP: the service under uvicorn in a
thread, and two SPARQL servers in their own processes: Oxigraph's and Apache Jena
Fuseki (``tools/servers``)."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from api.app import create_app
from api.settings import Settings
from benchmarks.servers import free_port, oxigraph_binary, serving
from graph.stores.oxigraph import OxigraphStore
from helpers.servers import launch, require_java_server


@contextmanager
def live_service(settings: Settings, *, store=None):
    """The service on a free loopback port; yields its base URL."""
    app = create_app(settings, store=store)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the service did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def oxigraph_server(location: Path):
    """``oxigraph serve`` on a free loopback port, its data in ``location``; yields its
    base URL."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    with serving(cmd, url + "/query?query=ASK%7B%7D", "oxigraph serve", timeout=30):
        yield url


@contextmanager
def fuseki_server(workdir: Path):
    """Fuseki with one TDB2 dataset, ``/kg``, whose default graph is the union of its
    named graphs, on a free loopback port; yields the dataset's base URL. Skips (or
    fails, see ``helpers.servers``) when Fuseki is not fetched."""
    lx = launch()
    require_java_server("Fuseki", lx.fuseki_fetched())
    server = lx.start_fuseki(workdir)
    try:
        yield server.url
    finally:
        server.stop()


def copy_store(store: OxigraphStore, target: Path) -> OxigraphStore:
    """A separate copy of a store, for tests that change it."""
    copy = OxigraphStore(target)
    copy.replace_quads(store.quads())
    return copy


def views_service(store_location: str):
    """The service with the network views and the home page over that store; yields its base URL."""
    return live_service(Settings(store=store_location))
