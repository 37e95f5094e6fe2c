"""Errors at the edge: the named errors of ``graph/`` turned into status codes with
one-sentence bodies."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from graph.errors import InvalidParameter, UnknownId
from graph.rdf.export import UnknownFormatError
from graph.sparql import endpoint as ep
from graph.stores import StoreError

__all__ = ["install_error_handlers", "error_response"]

log = logging.getLogger(__name__)


_STATUS = {
    ep.MalformedQuery: 400, ep.QueryFailed: 400, ep.ResultTooLarge: 400, ep.QueryRefused: 403,
    ep.UpdateForbidden: 403, ep.NotAcceptable: 406, ep.QueryTimeout: 503, ep.EndpointBusy: 503,
}


def error_response(status: int, code: str, detail: str, **extra) -> JSONResponse:
    body = {"detail": detail, "error": code, **{k: v for k, v in extra.items() if v is not None}}
    headers = {"Retry-After": "1"} if code == "busy" else None
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Map the graph's named errors to status codes: unknown id 404 (with close
    matches), bad value 422, refused SPARQL 400/403/406/503, store unreachable 503."""

    @app.exception_handler(UnknownId)
    async def unknown_id(_: Request, exc: UnknownId):
        return error_response(404, "unknown_id", str(exc), close_matches=exc.close_matches)

    @app.exception_handler(InvalidParameter)
    async def invalid_parameter(_: Request, exc: InvalidParameter):
        issue = {"loc": ["query", exc.name], "msg": str(exc), "type": "value_error"}
        if exc.allowed:
            issue["allowed"] = exc.allowed
        return JSONResponse({"detail": [issue]}, status_code=422)

    @app.exception_handler(ep.SparqlRequestError)
    async def sparql_error(_: Request, exc: ep.SparqlRequestError):
        status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 400)
        extra = {}
        if isinstance(exc, ep.MalformedQuery):
            extra = {"line": exc.line, "column": exc.column}
        elif isinstance(exc, ep.NotAcceptable):
            extra = {"allowed": exc.offered}
        return error_response(status, exc.code, str(exc), **extra)

    @app.exception_handler(UnknownFormatError)
    async def unknown_format(_: Request, exc: UnknownFormatError):
        return error_response(404, "unknown_format", str(exc))

    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError):
        return error_response(503, "store_unavailable", str(exc))

    @app.exception_handler(TimeoutError)
    async def store_timeout(_: Request, exc: TimeoutError):
        return error_response(503, "timeout", str(exc) or "the store did not answer in time")

    @app.exception_handler(RequestValidationError)
    async def validation(_: Request, exc: RequestValidationError):
        issues = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "value_error")}
                  for e in exc.errors()]
        return JSONResponse({"detail": issues}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal", "the service failed to answer this request; the error is logged")
