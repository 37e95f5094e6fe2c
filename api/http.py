"""HTTP at the edge: the request-body limit, errors from ``graph/`` turned into status
codes with one-sentence bodies, and SPARQL 1.1 Protocol requests read into one form."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from graph import endpoint as ep
from graph.dataset import UnknownFormatError
from graph.nodes import InvalidParameter, UnknownId
from graph.store import StoreError

__all__ = ["BodyLimit", "install_error_handlers", "SparqlCall", "read_sparql_post", "read_sparql_get"]

log = logging.getLogger(__name__)


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, by the declared length at
    once or, for a body sent in chunks, as soon as it passes the limit."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                return await _plain_error(send, 400, "bad_request", "Content-Length is not a number")
            if declared > self.limit:
                return await _plain_error(send, 413, "body_too_large", self._message())
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, detail=self._message())
            return message

        return await self.app(scope, limited, send)

    def _message(self) -> str:
        return f"the request body is larger than the limit of {self.limit} bytes (KG_BODY_LIMIT)"


async def _plain_error(send, status: int, code: str, detail: str) -> None:
    body = JSONResponse({"detail": detail, "error": code}, status_code=status).body
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


_STATUS = {
    ep.MalformedQuery: 400, ep.QueryFailed: 400, ep.ResultTooLarge: 400, ep.QueryRefused: 403,
    ep.UpdateForbidden: 403, ep.NotAcceptable: 406, ep.QueryTimeout: 503, ep.EndpointBusy: 503,
}


def _error(status: int, code: str, detail: str, **extra) -> JSONResponse:
    body = {"detail": detail, "error": code, **{k: v for k, v in extra.items() if v is not None}}
    headers = {"Retry-After": "1"} if code == "busy" else None
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Map the graph's named errors to status codes: unknown id 404 (with close
    matches), bad value 422, refused SPARQL 400/403/406/503, store unreachable 503."""

    @app.exception_handler(UnknownId)
    async def unknown_id(_: Request, exc: UnknownId):
        return _error(404, "unknown_id", str(exc), close_matches=exc.close_matches)

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
        return _error(status, exc.code, str(exc), **extra)

    @app.exception_handler(UnknownFormatError)
    async def unknown_format(_: Request, exc: UnknownFormatError):
        return _error(404, "unknown_format", str(exc))

    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError):
        return _error(503, "store_unavailable", str(exc))

    @app.exception_handler(TimeoutError)
    async def store_timeout(_: Request, exc: TimeoutError):
        return _error(503, "timeout", str(exc) or "the store did not answer in time")

    @app.exception_handler(RequestValidationError)
    async def validation(_: Request, exc: RequestValidationError):
        issues = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "value_error")}
                  for e in exc.errors()]
        return JSONResponse({"detail": issues}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error(500, "internal", "the service failed to answer this request; the error is logged")


@dataclass
class SparqlCall:
    """A SPARQL Protocol request, however it was sent."""

    text: str | None
    update: bool = False
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name) or []
    if len(values) > 1:
        raise ep.QueryFailed(f"the request has {len(values)} '{name}' parameters; send one")
    return values[0] if values else None


def _call(params: dict[str, list[str]], *, post: bool) -> SparqlCall:
    query, update = _one(params, "query"), _one(params, "update")
    if query is not None and update is not None:
        raise ep.QueryFailed("the request has both 'query' and 'update'; send one")
    if update is not None and not post:
        raise ep.QueryFailed("a SPARQL update must be sent with POST")
    if update is not None:
        return SparqlCall(update, True, params.get("using-graph-uri", []), params.get("using-named-graph-uri", []))
    return SparqlCall(query, False, params.get("default-graph-uri", []), params.get("named-graph-uri", []),
                      params.get("format", []) + params.get("output", []))


def read_sparql_get(request: Request) -> SparqlCall:
    params: dict[str, list[str]] = {}
    for k, v in request.query_params.multi_items():
        params.setdefault(k, []).append(v)
    return _call(params, post=False)


_FORM, _QUERY, _UPDATE = "application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"


async def read_sparql_post(request: Request) -> SparqlCall:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in (_FORM, _QUERY, _UPDATE):
        raise HTTPException(415, detail=f"send the request as {_FORM}, {_QUERY} or {_UPDATE}, not "
                                        f"{media or 'a body without Content-Type'}")
    raw = await request.body()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ep.QueryFailed("the request body is not UTF-8") from None
    url_params: dict[str, list[str]] = {}
    for k, v in request.query_params.multi_items():
        url_params.setdefault(k, []).append(v)
    if media == _FORM:
        try:
            params = parse_qs(body, keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise ep.QueryFailed("the form is not valid UTF-8 URL-encoded text") from None
        for k, v in url_params.items():
            if k not in ("query", "update"):
                params.setdefault(k, v)
        return _call(params, post=True)
    if "query" in url_params or "update" in url_params:
        raise ep.QueryFailed("with a direct body, the query or update is the body; the URL must not carry one")
    url_params[("query" if media == _QUERY else "update")] = [body]
    return _call(url_params, post=True)
