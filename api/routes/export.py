"""The whole graph as one file, streamed: Turtle, N-Triples, JSON-LD, and N-Quads or
TriG with each report's statements (and the ontology and reference data) in their
own named graph."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from graph.rdf.export import iter_export

from .. import examples
from ..deps import StoreDep

router = APIRouter(tags=["graph"])

EXPORTS = {  # path suffix: (format name of graph.rdf.export.FORMATS, media type, operation)
    "ttl": ("turtle", "text/turtle", "export_turtle"),
    "nt": ("ntriples", "application/n-triples", "export_ntriples"),
    "jsonld": ("jsonld", "application/ld+json", "export_jsonld"),
    "nq": ("nquads", "application/n-quads", "export_nquads"),
    "trig": ("trig", "application/trig", "export_trig"),
}


def _route(suffix: str, fmt: str, media: str, name: str) -> None:
    def export(store: StoreDep) -> StreamingResponse:
        return StreamingResponse(iter_export(store, fmt), media_type=media,
                                 headers={"Content-Disposition": f'inline; filename="china-russia-dialogue.{suffix}"'})

    export.__name__ = name
    export.__doc__ = f"The whole graph as {fmt}, streamed."
    router.add_api_route(f"/export.{suffix}", export, methods=["GET"], name=name, response_class=StreamingResponse,
                         responses=examples.export_response(media))


for _suffix, (_fmt, _media, _name) in EXPORTS.items():
    _route(_suffix, _fmt, _media, _name)
