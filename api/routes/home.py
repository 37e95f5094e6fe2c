"""The home page (search, a SPARQL editor with example queries, the network views) and
the search it calls."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from graph.analyses import search as graph_search
from graph.analyses.search import SearchHit

from ..deps import StoreDep
from ..pages.home import home_page

router = APIRouter(tags=["home"])

Kind = Literal["person", "organization", "event"]


@router.get("/", response_class=HTMLResponse,
            responses={200: {"content": {"text/html": {}}, "description": "The home page"}})
def home():
    """Search, a SPARQL editor with example queries, links to the network views."""
    return HTMLResponse(home_page())


@router.get("/search", response_model=list[SearchHit])
def search(store: StoreDep,
           q: Annotated[str, Query(min_length=1, max_length=200, description="A name or words", examples=["lavrov"])],
           kind: Annotated[list[Kind] | None, Query(description="Kinds to look through (default: all)")] = None,
           limit: Annotated[int, Query(ge=1, le=100, description="Most answers of each kind")] = 10):
    """Persons, organizations (with frameworks and countries) and events matching q."""
    return graph_search.search(store, q, kinds=kind or graph_search.KINDS, limit=limit)
