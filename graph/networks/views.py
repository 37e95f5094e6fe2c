"""The views by name, as the service and ``kg viz`` ask for them: which network, which
filters, laid out once and kept for the store's generation.

A view is named by ``name`` (``sco``, ``brics``, ``organization``, ``person``, ``met``)
and, for the last three, an id. Its filters: the days (by default the report's period;
an empty bound is open), the kinds of node shown (the SCO and BRICS views leave events
out unless asked), the members' roles, a framework (who met whom in it), the depth of a
person's circle.

    >>> from graph.examples import example_store
    >>> v = view(example_store(), ViewRequest("person", "wang-yi"))
    >>> sorted(v.graph.nodes[n]["label"] for n in v.graph), v.request.since
    (['Sergey Lavrov', 'Wang Yi'], None)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import networkx as nx

from ..analyses.nodes import per_generation
from ..errors import InvalidParameter
from . import graphs
from .layout import Picture, lay_out

__all__ = ["NAMES", "ViewRequest", "View", "view", "default_kinds", "DEFAULT"]

#: Views by name; those after the first two take an id.
NAMES = ("sco", "brics", "organization", "person", "met")
#: A bound left to the default (the report's period), as against one given empty (open).
DEFAULT = "default"


def default_kinds(name: str) -> tuple[str, ...] | None:
    """What a view shows unless asked: the SCO and BRICS views leave events out (each
    person and state linked to the bodies whose events they acted in); the others show
    every kind they hold.

    >>> default_kinds("sco"), default_kinds("met")
    (('organization', 'country', 'person'), None)
    """
    return ("organization", "country", "person") if name in ("sco", "brics") else None


@dataclass(frozen=True)
class ViewRequest:
    """What a view is asked for. ``since``/``until``: an ISO day, ``""`` for an open
    bound, or ``DEFAULT`` for the report's period."""

    name: str
    id: str | None = None
    since: str | None = DEFAULT
    until: str | None = DEFAULT
    kinds: tuple[str, ...] | None = None
    roles: tuple[str, ...] | None = None
    framework: str | None = None
    depth: int = 1
    size_by: str = "degree"


@dataclass
class View:
    """A view ready to draw: the request with its dates resolved, the graph and its layout."""

    request: ViewRequest
    graph: nx.Graph
    picture: Picture
    period: tuple[str, str] | None


def view(store, request: ViewRequest) -> View:
    """The view asked for, laid out (kept per store generation, the last 256 asked).

    Raises
    ------
    UnknownId
        For an id, a framework the graph does not have.
    InvalidParameter
        For a view name, kind, role, depth or date range that makes no sense.
    """
    if request.name not in NAMES:
        raise InvalidParameter("view", f"{request.name!r} is not a view", list(NAMES))
    period = graphs.report_period(store)
    since, until = (_bound(b, period[i] if period else None) for i, b in enumerate((request.since, request.until)))
    if since and until and since > until:
        raise InvalidParameter("from", f"{since} is after to={until}")
    kinds = request.kinds if request.kinds is not None else default_kinds(request.name)
    known_roles = graphs.membership_roles(store)
    for r in request.roles or ():
        if r not in known_roles:
            raise InvalidParameter("role", f"{r!r} is not a membership role", list(known_roles))
    resolved = replace(request, since=since.isoformat() if since else None,
                       until=until.isoformat() if until else None, kinds=tuple(kinds) if kinds else None,
                       roles=tuple(sorted(request.roles)) if request.roles is not None else None,
                       framework=request.framework or None)
    G, picture = _laid_out(store, resolved)
    return View(resolved, G, picture, tuple(d.isoformat() for d in period) if period else None)


def _bound(value: str | dt.date | None, default: dt.date | None) -> dt.date | None:
    if value == DEFAULT:
        return default
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidParameter("from", f"{value!r} is not a date (YYYY-MM-DD)") from None


@per_generation(maxsize=256)
def _laid_out(store, r: ViewRequest) -> tuple[nx.Graph, Picture]:
    since = dt.date.fromisoformat(r.since) if r.since else None
    until = dt.date.fromisoformat(r.until) if r.until else None
    if r.name in ("sco", "brics"):
        G = graphs.framework_network(store, r.name)
    elif r.name == "organization":
        G = graphs.organization_network(store, r.id or "")
    elif r.name == "person":
        G = graphs.person_network(store, r.id or "", depth=r.depth, since=since, until=until, framework=r.framework)
    else:
        G = graphs.met_network(store, since=since, until=until, framework=r.framework)
    title = G.graph.get("title", "")
    G = graphs.shape(G, since=since, until=until, roles=list(r.roles) if r.roles is not None else None,
                     kinds=list(r.kinds) if r.kinds else None)
    if r.name in ("sco", "brics", "organization") and (since or until):
        G.graph["title"] = title + graphs._range_words(since, until)
    return G, lay_out(G, size_by=r.size_by)
