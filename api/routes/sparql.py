"""The SPARQL 1.1 Protocol endpoint: queries by GET, by POST with a form or a direct
body; updates by POST (admin token only)."""

from __future__ import annotations

from typing import Annotated

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from graph.sparql import endpoint as ep

from .. import examples
from ..deps import AdminDep, EndpointDep, SettingsDep

router = APIRouter(tags=["sparql"])


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


def _get_call(request: Request,
              query: Annotated[str | None, Query(description="SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE); "
                                                 "the usual prefixes (crd, sem, foaf, org, schema, skos, prov, "
                                                 "dcterms, rdfs …) are declared", examples=[examples.SPARQL_QUERY])]
              = None,
              default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri",
                                                                   description="Graphs to merge as the default "
                                                                               "graph (default: all)")] = None,
              named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None,
              format: Annotated[list[str] | None, Query(description="Answer format instead of Accept: json, xml, "
                                                        "csv, tsv, turtle, nt, jsonld")] = None) -> SparqlCall:
    return read_sparql_get(request)


GetCall = Annotated[SparqlCall, Depends(_get_call)]
PostCall = Annotated[SparqlCall, Depends(read_sparql_post)]


async def _answer(call: SparqlCall, request: Request, endpoint, settings, admin: bool) -> Response:
    if call.text is None:
        answer = endpoint.describe_service(str(request.url_for("sparql_query")), accept=request.headers.get("accept"),
                                           updates=bool(settings.admin_token))
    else:
        answer = await endpoint.run(call.text, accept=request.headers.get("accept"), formats=call.formats,
                                    default_graphs=call.default_graphs, named_graphs=call.named_graphs, admin=admin,
                                    update=call.update)
    if answer is None:
        return Response(status_code=204)
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})


@router.get("/sparql", response_class=Response, responses=examples.SPARQL_RESPONSES)
async def sparql_query(call: GetCall, request: Request, endpoint: EndpointDep, settings: SettingsDep,
                       admin: AdminDep):
    """SPARQL 1.1 query by GET; without a query, the service description."""
    return await _answer(call, request, endpoint, settings, admin)


@router.post("/sparql", response_class=Response, responses=examples.SPARQL_RESPONSES,
             openapi_extra=examples.SPARQL_POST_BODY)
async def sparql_post(call: PostCall, request: Request, endpoint: EndpointDep, settings: SettingsDep,
                      admin: AdminDep):
    """SPARQL 1.1 query or update by POST (form or direct body); updates need the admin token."""
    return await _answer(call, request, endpoint, settings, admin)
