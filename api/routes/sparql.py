"""The SPARQL 1.1 Protocol endpoint: queries by GET, by POST with a form or a direct
body; updates by POST (admin token only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from .. import examples
from ..deps import AdminDep, EndpointDep, SettingsDep
from ..http import SparqlCall, read_sparql_get, read_sparql_post

router = APIRouter(tags=["sparql"])


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
