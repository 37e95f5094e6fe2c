"""Network views: the SCO, the BRICS, an organization, a person's circle and who met
whom, as pages that open laid out, and as PNG, SVG, GraphML and GEXF downloads of the
same view. vis-network is served from here too: a view loads nothing from anywhere else.

Every view takes the same filters, kept in its URL: ``from``/``to`` (default: the
report's period; empty for an open bound), ``show`` (kinds of node), ``role``
(membership roles), ``framework`` (who met whom in it), ``size``."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from graph.analyses.nodes import per_generation
from graph.networks import export as files
from graph.networks import graphs as networks
from graph.networks import render as viz
from graph.networks import views

from .. import examples
from ..deps import StoreDep
from ..models import Day

router = APIRouter(tags=["views"])

STATIC = "/static"

Since = Annotated[Day | Literal[""] | None,
                  Query(alias="from", description="First day (inclusive; default: the report's period's first; "
                                                  "empty: no bound)", examples=["2020-09-01"])]
Until = Annotated[Day | Literal[""] | None,
                  Query(alias="to", description="Last day (inclusive; default: the report's period's last; "
                                                "empty: no bound)", examples=["2020-12-31"])]
Show = Annotated[list[Literal[networks.KINDS]] | None,
                 Query(description="Kinds of node to show (default: all; the SCO and BRICS views leave events "
                                   "out)")]
Role = Annotated[list[str] | None, Query(description="Membership roles to show: member, observer, "
                                                     "dialogue_partner, partner (default: all)")]
Framework = Annotated[str | None, Query(description="Only meetings in events of this framework (id or code)",
                                        examples=["sco"])]
SizeBy = Annotated[Literal["degree", "betweenness"], Query(description="Centrality that sizes the nodes")]
Depth = Annotated[int, Query(ge=1, le=2, description="1: whom they met; 2: also whom those met")]
Format = Literal["png", "svg", "graphml", "gexf"]
_HTML = {200: {"content": {"text/html": {}}, "description": "A page that draws the network"},
         **examples.errors(404)}
_FILES = {200: {"content": {files.MEDIA_TYPES[f]: {} for f in ("png", "svg", "graphml", "gexf")},
                "description": "The view as an image or a graph file"}, **examples.errors(404)}
_FRAMEWORK_VIEWS = {"sco": "/viz/sco", "brics": "/viz/brics"}
_KIND_WORDS = {"organization": "Organizations", "country": "States", "person": "People", "event": "Events"}


def _request(name: str, id: str | None, since, until, show, role, framework, depth, size) -> views.ViewRequest:
    return views.ViewRequest(name=name, id=id, since=views.DEFAULT if since is None else str(since),
                             until=views.DEFAULT if until is None else str(until),
                             kinds=tuple(dict.fromkeys(show)) if show else None,
                             roles=tuple(dict.fromkeys(role)) if role is not None else None,
                             framework=framework or None, depth=depth, size_by=size)


def _path(r: views.ViewRequest) -> str:
    return f"/viz/{r.name}" + (f"/{r.id}" if r.id else "")


def _controls(store, v: views.View) -> viz.Controls:
    r = v.request
    name = r.name
    kinds = list(r.kinds) if r.kinds else list(networks.KINDS)
    hidden = [("size", r.size_by)] if r.size_by != "degree" else []
    hidden += [("depth", str(r.depth))] if name == "person" and r.depth != 1 else []
    org_view = name in ("sco", "brics", "organization")
    roles = networks.membership_roles(store) if org_view else {}
    return viz.Controls(
        action=_path(r), since=r.since, until=r.until, period=v.period,
        kinds=kinds, kind_choices=[(k, _KIND_WORDS[k]) for k in networks.KINDS] if org_view else [],
        roles=list(r.roles) if r.roles is not None else list(roles),
        role_choices=[(k, w.capitalize()) for k, w in roles.items()],
        framework=r.framework, framework_choices=framework_choices(store) if name in ("met", "person") else [],
        hidden=hidden)


@per_generation
def framework_choices(store) -> list[tuple[str, str]]:
    from graph.analyses import nodes
    from graph.sparql import named as sparql

    rows = sparql.select(store, "frameworks")
    refs = nodes.refs(store, list({r["framework"].value: r["framework"] for r in rows}.values()))
    return sorted(((ref.id, ref.label) for ref in refs.values()), key=lambda x: x[1].casefold())


def _query_of(request: Request) -> str:
    return urlencode(list(request.query_params.multi_items()))


def _page(store, request: Request, r: views.ViewRequest) -> HTMLResponse:
    return HTMLResponse(_page_html(store, r, _query_of(request)))


@per_generation(maxsize=256)
def _page_html(store, r: views.ViewRequest, query: str) -> str:
    v = views.view(store, r)
    q = ("?" + query) if query else ""
    exports = {f: f"{_path(v.request)}.{f}{q}" for f in ("png", "svg", "graphml", "gexf")}
    return viz.render(v.graph, assets=STATIC, links=True, size_by=r.size_by, picture=v.picture,
                      controls=_controls(store, v), exports=exports)


def _file(store, r: views.ViewRequest, fmt: str) -> Response:
    body = _file_bytes(store, r, fmt)
    name = r.name + (f"-{r.id}" if r.id else "")
    return Response(body, media_type=files.MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@per_generation(maxsize=64)
def _file_bytes(store, r: views.ViewRequest, fmt: str) -> bytes:
    v = views.view(store, r)
    return files.write(v.graph, fmt, picture=v.picture)


# Downloads first: "/viz/person/{id}" would otherwise take "wang-yi.png" for an id.

@router.get("/viz/sco.{fmt}", response_class=Response, responses=_FILES)
def export_sco(fmt: Format, store: StoreDep, since: Since = None, until: Until = None, show: Show = None,
               role: Role = None, size: SizeBy = "degree"):
    """The SCO view as PNG, SVG, GraphML or GEXF."""
    return _file(store, _request("sco", None, since, until, show, role, None, 1, size), fmt)


@router.get("/viz/brics.{fmt}", response_class=Response, responses=_FILES)
def export_brics(fmt: Format, store: StoreDep, since: Since = None, until: Until = None, show: Show = None,
                 role: Role = None, size: SizeBy = "degree"):
    """The BRICS view as PNG, SVG, GraphML or GEXF."""
    return _file(store, _request("brics", None, since, until, show, role, None, 1, size), fmt)


@router.get("/viz/met.{fmt}", response_class=Response, responses=_FILES)
def export_met(fmt: Format, store: StoreDep, since: Since = None, until: Until = None,
               framework: Framework = None, size: SizeBy = "degree"):
    """The who-met-whom view as PNG, SVG, GraphML or GEXF."""
    return _file(store, _request("met", None, since, until, None, None, framework, 1, size), fmt)


@router.get("/viz/organization/{id}.{fmt}", response_class=Response, responses=_FILES)
def export_organization(id: str, fmt: Format, store: StoreDep, since: Since = None, until: Until = None,
                        show: Show = None, role: Role = None, size: SizeBy = "degree"):
    """An organization's view as PNG, SVG, GraphML or GEXF."""
    return _file(store, _request("organization", id, since, until, show, role, None, 1, size), fmt)


@router.get("/viz/person/{id}.{fmt}", response_class=Response, responses=_FILES)
def export_person(id: str, fmt: Format, store: StoreDep, depth: Depth = 1, since: Since = None,
                  until: Until = None, framework: Framework = None, size: SizeBy = "degree"):
    """A person's view as PNG, SVG, GraphML or GEXF."""
    return _file(store, _request("person", id, since, until, None, None, framework, depth, size), fmt)


@router.get("/export.graphml", response_class=Response, responses=_FILES)
def export_graphml(store: StoreDep, network: Annotated[str, Query(description="met (who met whom), or a framework: "
                                                                   "sco, brics")] = "met",
                   since: Since = None, until: Until = None, framework: Framework = None):
    """Who met whom (``network=met``) or a framework's network (``network=sco``) as GraphML, for Gephi or networkx."""
    return _network_file(store, network, since, until, framework, "graphml")


@router.get("/export.gexf", response_class=Response, responses=_FILES)
def export_gexf(store: StoreDep, network: Annotated[str, Query(description="met (who met whom), or a framework: "
                                                                "sco, brics")] = "met",
                since: Since = None, until: Until = None, framework: Framework = None):
    """Who met whom or a framework's network as GEXF (with the view's layout and colours)."""
    return _network_file(store, network, since, until, framework, "gexf")


def _network_file(store, network: str, since, until, framework, fmt: str) -> Response:
    if network == "met":
        return _file(store, _request("met", None, since, until, None, None, framework, 1, "degree"), fmt)
    if network in _FRAMEWORK_VIEWS:
        return _file(store, _request(network, None, since, until, None, None, None, 1, "degree"), fmt)
    return _file(store, _request("organization", network, since, until, None, None, None, 1, "degree"), fmt)


@router.get("/viz/sco", response_class=HTMLResponse, responses=_HTML)
def view_sco(request: Request, store: StoreDep, since: Since = None, until: Until = None, show: Show = None,
             role: Role = None, size: SizeBy = "degree"):
    """The SCO network: member states by role, bodies, the people who took part (events on request)."""
    return _page(store, request, _request("sco", None, since, until, show, role, None, 1, size))


@router.get("/viz/brics", response_class=HTMLResponse, responses=_HTML)
def view_brics(request: Request, store: StoreDep, since: Since = None, until: Until = None, show: Show = None,
               role: Role = None, size: SizeBy = "degree"):
    """The BRICS network: members by role, bodies, the people who took part (events on request)."""
    return _page(store, request, _request("brics", None, since, until, show, role, None, 1, size))


@router.get("/viz/organization/{id}", response_class=HTMLResponse, responses=_HTML)
def view_organization(id: Annotated[str, Path(description="Organization id", examples=["un"])], request: Request,
                      store: StoreDep, since: Since = None, until: Until = None, show: Show = None,
                      role: Role = None, size: SizeBy = "degree"):
    """An organization's network: its bodies, members, events and the people in them."""
    return _page(store, request, _request("organization", id, since, until, show, role, None, 1, size))


@router.get("/viz/person/{id}", response_class=HTMLResponse, responses=_HTML)
def view_person(id: Annotated[str, Path(description="Person id", examples=["wang-yi"])], request: Request,
                store: StoreDep, depth: Depth = 1, since: Since = None, until: Until = None,
                framework: Framework = None, size: SizeBy = "degree"):
    """A person's who-met-whom network, one or two steps out."""
    return _page(store, request, _request("person", id, since, until, None, None, framework, depth, size))


@router.get("/viz/met", response_class=HTMLResponse, responses=_HTML)
def view_met(request: Request, store: StoreDep, since: Since = None, until: Until = None,
             framework: Framework = None, size: SizeBy = "degree"):
    """Everyone who met whom in a date range (default: the report's period)."""
    return _page(store, request, _request("met", None, since, until, None, None, framework, 1, size))


@router.get(STATIC + "/{name}", response_class=Response,
            responses={200: {"content": {"text/javascript": {}}, "description": "The file"}, **examples.errors(404)})
def static_file(name: Annotated[str, Path(description="vis-network.min.js")]):
    """The scripts the views run."""
    if name not in viz.ASSETS:
        raise HTTPException(404, f"no file {name!r} here; there is {', '.join(sorted(viz.ASSETS))}")
    return Response(viz.asset(name), media_type=viz.ASSETS[name][1],
                    headers={"Cache-Control": "public, max-age=86400"})
