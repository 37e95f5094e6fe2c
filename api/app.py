"""The HTTP service: ``create_app(settings)`` builds it, with every router included.

At startup the store named by the settings is opened; the embedded store is copied
into memory (``graph.memory``), a SPARQL server is used where it is.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from graph.endpoint import SparqlEndpoint
from graph.memory import serving_store
from graph.settings import Settings
from graph.store import open_store

from .http import BodyLimit, install_error_handlers

__all__ = ["create_app", "ROUTER_MODULES"]

log = logging.getLogger(__name__)

# Each module has a ``router``. Optional ones join when they are installed and import cleanly.
ROUTER_MODULES: tuple[str, ...] = ("api.routes.sparql", "api.routes.persons", "api.routes.events",
                                   "api.routes.organizations", "api.routes.stats", "api.routes.resources",
                                   "api.routes.export", "api.routes.viz", "api.routes.home")
OPTIONAL_ROUTER_MODULES: tuple[str, ...] = ("api.routes.cypher",)

_STATUS_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
                 413: "body_too_large", 415: "unsupported_media_type"}


def _operation_id(route: APIRoute) -> str:
    # The handler's name: stable across releases, so generated clients keep their method names.
    return route.name


def create_app(settings: Settings | None = None, *, store=None) -> FastAPI:
    """The service over the store the settings name (or over ``store``, already open).

    >>> app = create_app(Settings(store="data/store"))
    >>> sorted(p for p in app.openapi()["paths"] if p.startswith("/persons"))
    ['/persons', '/persons/{id}', '/persons/{id}/met']
    """
    settings = settings or Settings()
    _included: list[str] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        origin = store if store is not None else open_store(settings.store)
        served = serving_store(origin)
        app.state.store = served
        app.state.endpoint = SparqlEndpoint(served, timeout=settings.query_timeout,
                                            result_limit=settings.result_limit, workers=settings.query_workers)
        log.info("serving %s (%d statements)", settings.store, len(served))
        yield
        for module in OPTIONAL_ROUTER_MODULES:  # routers that hold connections close them here
            if module in _included:
                closer = getattr(importlib.import_module(module), "close_cypher_runner", None)
                if closer is not None:
                    closer(app)

    app = FastAPI(title="China–Russia Dialogue knowledge graph",
                  summary="SPARQL 1.1 endpoint and JSON answers about China–Russia relations: who met whom, "
                          "persons, events, organizations, with the report passage behind every answer.",
                  version="0.1.0", lifespan=lifespan, generate_unique_id_function=_operation_id)
    app.state.settings = settings
    install_error_handlers(app)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException):
        return JSONResponse({"detail": exc.detail, "error": _STATUS_CODES.get(exc.status_code, "http_error")},
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    for module in ROUTER_MODULES:
        app.include_router(importlib.import_module(module).router)
    for module in OPTIONAL_ROUTER_MODULES:
        if importlib.util.find_spec(module) is None:
            continue
        try:
            app.include_router(importlib.import_module(module).router)
            _included.append(module)
        except Exception as exc:  # one optional part must not take the service down
            log.warning("left out %s: %s", module, exc)
    app.add_middleware(BodyLimit, limit=settings.body_limit)
    return app
