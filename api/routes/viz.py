"""Network views: the SCO, the BRICS, an organization, a person's circle and who met
whom, as pages that draw themselves. vis-network is served from here too: a view
loads nothing from anywhere else."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import HTMLResponse, Response

from graph.networks import graphs as networks
from graph.networks import render as viz

from ..deps import StoreDep

router = APIRouter(tags=["views"])

STATIC = "/static"

Since = Annotated[dt.date | None, Query(alias="from", description="First day (inclusive)", examples=["2020-09-01"])]
Until = Annotated[dt.date | None, Query(alias="to", description="Last day (inclusive)", examples=["2020-12-31"])]
SizeBy = Annotated[Literal["degree", "betweenness"], Query(description="Centrality that sizes the nodes")]
_HTML = {200: {"content": {"text/html": {}}, "description": "A page that draws the network"}}


def _page(G, size: str) -> HTMLResponse:
    return HTMLResponse(viz.render(G, assets=STATIC, links=True, size_by=size))


@router.get("/viz/sco", response_class=HTMLResponse, responses=_HTML)
def view_sco(store: StoreDep, since: Since = None, until: Until = None, size: SizeBy = "degree"):
    """The SCO network: member states, bodies, events under the SCO, the people who took part."""
    return _page(networks.sco_network(store, since=since, until=until), size)


@router.get("/viz/brics", response_class=HTMLResponse, responses=_HTML)
def view_brics(store: StoreDep, since: Since = None, until: Until = None, size: SizeBy = "degree"):
    """The BRICS network: members, bodies, events under BRICS, the people who took part."""
    return _page(networks.brics_network(store, since=since, until=until), size)


@router.get("/viz/organization/{id}", response_class=HTMLResponse, responses=_HTML)
def view_organization(id: Annotated[str, Path(description="Organization id", examples=["un"])], store: StoreDep,
                      since: Since = None, until: Until = None, size: SizeBy = "degree"):
    """An organization's network: its bodies, members, events and the people in them."""
    return _page(networks.organization_network(store, id, since=since, until=until), size)


@router.get("/viz/person/{id}", response_class=HTMLResponse, responses=_HTML)
def view_person(id: Annotated[str, Path(description="Person id", examples=["wang-yi"])], store: StoreDep,
                depth: Annotated[int, Query(ge=1, le=2, description="1: whom they met; 2: also whom those met")] = 1,
                since: Since = None, until: Until = None, size: SizeBy = "degree"):
    """A person's who-met-whom network, one or two steps out."""
    return _page(networks.person_network(store, id, depth=depth, since=since, until=until), size)


@router.get("/viz/met", response_class=HTMLResponse, responses=_HTML)
def view_met(store: StoreDep, since: Since = None, until: Until = None, size: SizeBy = "degree"):
    """Everyone who met whom in a date range (the whole chronicle without one)."""
    return _page(networks.met_network(store, since=since, until=until), size)


@router.get(STATIC + "/{name}", response_class=Response,
            responses={200: {"content": {"text/javascript": {}}, "description": "The file"}})
def static_file(name: Annotated[str, Path(description="vis-network.min.js")]):
    """The scripts the views run."""
    if name not in viz.ASSETS:
        raise HTTPException(404, f"no file {name!r} here; there is {', '.join(sorted(viz.ASSETS))}")
    return Response(viz.asset(name), media_type=viz.ASSETS[name][1],
                    headers={"Cache-Control": "public, max-age=86400"})
