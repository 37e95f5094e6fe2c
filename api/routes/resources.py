"""Every node's IRI dereferences here: ``https://w3id.org/china-russia-dialogue/id/{kind}/{id}``
is served at ``/id/{kind}/{id}``, as HTML for a browser and as RDF for RDF clients."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse

from graph.analyses import resources
from graph.sparql.endpoint import NotAcceptable
from graph.sparql.results import GRAPH_TYPES, media_type_for_format, negotiate, write_graph

from .. import examples
from ..deps import StoreDep
from ..pages.node import node_page

router = APIRouter(tags=["linked data"])

_OFFERED = ["text/turtle", "text/html", *[m for m in GRAPH_TYPES if m != "text/turtle"]]


@router.get("/id/{kind}/{id:path}", response_class=Response, responses=examples.NODE_RESPONSES)
def get_node(kind: Annotated[str, Path(description="person, organization, event, country, place …",
                                       examples=["person"])],
             id: Annotated[str, Path(description="The node's id", examples=["wang-yi"])],
             request: Request, store: StoreDep,
             format: Annotated[str | None, Query(description="html, turtle, nt, jsonld or rdf+xml instead of "
                                                 "Accept")] = None):
    """A node of the graph: an HTML page for browsers, Turtle (or another RDF format) for RDF clients."""
    media = "text/html" if format == "html" else media_type_for_format([format], graph=True) if format else None
    if media is None:
        media = negotiate(request.headers.get("accept"), _OFFERED)
        if media is None:
            raise NotAcceptable(_OFFERED)
        media = media if media == "text/html" else GRAPH_TYPES[media]
    if media == "text/html":
        return HTMLResponse(node_page(resources.describe(store, kind, id)), headers={"Vary": "Accept"})
    return Response(write_graph(resources.node_triples(store, kind, id), media), media_type=media,
                    headers={"Vary": "Accept"})
