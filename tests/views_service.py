"""The service with the network views and the home page, on a free loopback port, for
the tests that load them over HTTP (in a browser or not)."""

from __future__ import annotations

import importlib
import threading
import time
from contextlib import contextmanager

import uvicorn

from api import app as app_module
from api.app import create_app
from conftest_api import free_port
from graph.settings import Settings

VIEW_ROUTERS = ("api.routes.viz", "api.routes.home")


def views_app(store_location: str):
    """The service's app, with the views' routers wherever the app does not list them yet."""
    app = create_app(Settings(store=store_location))
    listed = set(app_module.ROUTER_MODULES) | set(getattr(app_module, "OPTIONAL_ROUTER_MODULES", ()))
    for name in VIEW_ROUTERS:
        if name not in listed:
            app.include_router(importlib.import_module(name).router)
    return app


@contextmanager
def views_service(store_location: str):
    """Yields the base URL of the running service."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(views_app(store_location), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name=f"uvicorn-views-{port}", daemon=True)
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
