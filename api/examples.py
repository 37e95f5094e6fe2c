"""Examples for the OpenAPI description, kept as data in ``examples.json`` (one per
endpoint, taken from the graph of the bundled report, lists cut short); the tests check
each against its model. This module only builds the ``responses=`` declarations."""

from __future__ import annotations

import json
from importlib import resources

from graph.sparql.named import render

from .models import ErrorBody, ValidationErrorBody

__all__ = ["ok", "export_response", "PERSON_PAGE", "PERSON_DETAIL", "MEETING_PAGE", "EVENT_PAGE", "EVENT_DETAIL",
           "ORGANIZATION_DETAIL", "WORK_PAGE", "STATS", "SPARQL_QUERY", "SPARQL_RESPONSES", "SPARQL_POST_BODY",
           "NODE_RESPONSES", "EVENT_ID"]

_DATA = json.loads(resources.files("api").joinpath("examples.json").read_text(encoding="utf-8"))

PERSON_PAGE = _DATA["person_page"]
PERSON_DETAIL = _DATA["person_detail"]
MEETING_PAGE = _DATA["meeting_page"]
EVENT_PAGE = _DATA["event_page"]
EVENT_DETAIL = _DATA["event_detail"]
EVENT_ID = EVENT_DETAIL["id"]
ORGANIZATION_DETAIL = _DATA["organization_detail"]
WORK_PAGE = _DATA["work_page"]
STATS = _DATA["stats"]

SPARQL_QUERY = render("""SELECT ?date ?title WHERE {
  VALUES (?a ?b) { (<https://w3id.org/china-russia-dialogue/id/person/wang-yi>
                    <https://w3id.org/china-russia-dialogue/id/person/sergey-lavrov>) }
  VALUES ?type {}  # the meeting types
  ?e sem:eventType/skos:notation ?type ; ?pa ?a ; ?pb ?b ; sem:hasBeginTimeStamp ?date ; rdfs:label ?title .
  ?pa rdfs:subPropertyOf* sem:hasActor . ?pb rdfs:subPropertyOf* sem:hasActor .
} ORDER BY ?date""")


def _error_responses(*codes: int) -> dict:
    errors = _DATA["errors"]
    return {c: {"model": ErrorBody, "description": errors[str(c)]["description"],
                "content": {"application/json": {"example": errors[str(c)]["example"]}}} for c in codes}


def ok(example: dict, *errors: int) -> dict:
    """``responses=`` for a JSON endpoint: its example, and the errors it can give."""
    out = {200: {"content": {"application/json": {"example": example}}},
           422: {"model": ValidationErrorBody, "description": "Parameters that are not valid"}}
    out.update(_error_responses(*errors))
    return out


_WANG_YI = "<https://w3id.org/china-russia-dialogue/id/person/wang-yi>"
_JSONLD = {"example": [{"@id": "https://w3id.org/china-russia-dialogue/id/person/wang-yi"}]}

SPARQL_RESPONSES = {
    200: {"description": "SELECT and ASK answers as SPARQL results (JSON, XML, CSV, TSV); CONSTRUCT and DESCRIBE "
                         "answers as RDF (Turtle, N-Triples, JSON-LD, RDF/XML, N3), by Accept",
          "content": {"application/sparql-results+json": {"example": _DATA["sparql_select_json"]},
                      "application/sparql-results+xml": {"example": "<sparql …>"},
                      "text/csv": {"example": "date,title\r\n2020-04-14,中俄外长通电话\r\n"},
                      "text/tab-separated-values": {"example": '?date\t?title\n"2020-04-14"^^<http://www.w3.org/2001/'
                                                               'XMLSchema#date>\t"中俄外长通电话"@zh\n'},
                      "text/turtle": {"example": f'{_WANG_YI} skos:prefLabel "Wang Yi"@en .'},
                      "application/n-triples": {"example": f'{_WANG_YI} <http://www.w3.org/2004/02/skos/core#prefLabel> '
                                                           '"Wang Yi"@en .'},
                      "application/ld+json": _JSONLD}},
    204: {"description": "The update was applied"},
    **_error_responses(400, 403, 406, 413, 503),
}

_UPDATE = f'INSERT DATA {{ GRAPH <urn:x-notes> {{ {_WANG_YI} skos:note "…"@en }} }}'

SPARQL_POST_BODY = {"requestBody": {"required": True, "content": {
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "query": {"type": "string"}, "update": {"type": "string"},
        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
        "named-graph-uri": {"type": "array", "items": {"type": "string"}}}},
        "example": {"query": SPARQL_QUERY}},
    "application/sparql-query": {"schema": {"type": "string"}, "example": SPARQL_QUERY},
    "application/sparql-update": {"schema": {"type": "string"}, "example": _UPDATE}}}}

NODE_RESPONSES = {
    200: {"description": "The node: HTML for browsers, RDF (Turtle by default) for everyone else",
          "content": {"text/turtle": {"example": f'{_WANG_YI} a crd:Person ;\n  skos:prefLabel "Wang Yi"@en, "王毅"@zh .'},
                      "text/html": {"example": "<!doctype html><html>…<h1>Wang Yi</h1>…</html>"},
                      "application/ld+json": _JSONLD}},
    **_error_responses(404, 406),
}


def export_response(media: str) -> dict:
    return {200: {"description": "The whole graph, streamed",
                  "content": {media: {"example": f'{_WANG_YI} <http://www.w3.org/2004/02/skos/core#prefLabel> '
                                                 '"王毅"@zh .'}}}}
