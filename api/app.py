"""The HTTP service: ``create_app(settings)`` builds it, with every router included.

At startup the store named by the settings is opened; the embedded store is copied
into memory (``graph.stores.memory``), a SPARQL server is used where it is.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from graph.sparql.endpoint import SparqlEndpoint
from graph.stores import open_store
from graph.stores.memory import serving_store

from .errors import install_error_handlers
from .limits import BodyLimit
from .routes import ROUTERS
from .routes.cypher import close_cypher_runner
from .settings import Settings

__all__ = ["create_app"]

log = logging.getLogger(__name__)

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

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        origin = store if store is not None else open_store(settings.store, **settings.store_options())
        served = serving_store(origin)
        app.state.store = served
        app.state.endpoint = SparqlEndpoint(served, timeout=settings.query_timeout,
                                            result_limit=settings.result_limit, workers=settings.query_workers)
        log.info("serving %s (%d statements)", settings.store, len(served))
        yield
        close_cypher_runner(app)

    app = FastAPI(title="China–Russia Dialogue knowledge graph",
                  summary="SPARQL 1.1 endpoint and JSON answers about China–Russia relations: who met whom, "
                          "persons, events, organizations, with the report passage behind every answer.",
                  version="0.1.0", lifespan=lifespan, generate_unique_id_function=_operation_id)
    app.state.settings = settings
    app.state.cypher_runner = None  # opened by the first /cypher request (routes.cypher)
    install_error_handlers(app)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException):
        return JSONResponse({"detail": exc.detail, "error": _STATUS_CODES.get(exc.status_code, "http_error")},
                            status_code=exc.status_code, headers=exc.headers)

    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(BodyLimit, limit=settings.body_limit)
    return app
