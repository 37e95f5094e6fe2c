"""Profile pages and the timeline view, for people to read: ``/person/{id}``,
``/organization/{id}``, ``/event/{id}``, ``/agreement/{id}``, ``/timeline``. The IRIs
``/id/{kind}/{id}`` of these kinds send browsers here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse

from graph.analyses.meetings import MEETING_TYPES

from .. import examples
from ..deps import StoreDep, day_range
from ..pages import profile
from .viz import framework_choices

router = APIRouter(tags=["pages"])

#: The kinds of node with a profile page here.
PROFILE_KINDS = ("person", "organization", "event", "agreement")
_HTML = {200: {"content": {"text/html": {}}, "description": "The page"}, **examples.errors(404)}
Id = Annotated[str, Path(description="The node's id", examples=["sergey-lavrov"])]
Since, Until = day_range(since="First day", until="Last day")


@router.get("/person/{id}", response_class=HTMLResponse, responses=_HTML)
def person_page(id: Id, store: StoreDep):
    """A person: names, offices, timeline, top counterparts, network, the report's words."""
    return HTMLResponse(profile.person_page(store, id))


@router.get("/organization/{id}", response_class=HTMLResponse, responses=_HTML)
def organization_page(id: Annotated[str, Path(description="Organization id", examples=["sco"])], store: StoreDep):
    """An organization: names, members by role and date, bodies, events."""
    return HTMLResponse(profile.organization_page(store, id))


@router.get("/event/{id}", response_class=HTMLResponse, responses=_HTML)
def event_page(id: Annotated[str, Path(description="Event id")], store: StoreDep):
    """An event: dates, type, who acted, where, about what, the report's words."""
    return HTMLResponse(profile.event_page(store, id))


@router.get("/agreement/{id}", response_class=HTMLResponse, responses=_HTML)
def agreement_page(id: Annotated[str, Path(description="Agreement id")], store: StoreDep):
    """An agreement: parties and the events that concluded or cited it."""
    return HTMLResponse(profile.agreement_page(store, id))


@router.get("/timeline", response_class=HTMLResponse, responses=_HTML)
def timeline_page(store: StoreDep,
                  person: Annotated[str | None, Query(description="Person id", examples=["sergey-lavrov"])] = None,
                  country: Annotated[str | None, Query(description="ISO code of a state one of the two is of",
                                                       examples=["KZ"])] = None,
                  framework: Annotated[str | None, Query(description="Framework id or code", examples=["sco"])]
                  = None,
                  type: Annotated[str | None, Query(description="A meeting type: " + ", ".join(MEETING_TYPES))] = None,
                  since: Since = None, until: Until = None):
    """Who met whom, month by month: filter by person, state, framework, type, period."""
    return HTMLResponse(profile.timeline_page(store, person=person or None, country=country or None,
                                              framework=framework or None, type=type or None, since=since,
                                              until=until, frameworks=framework_choices(store),
                                              types=MEETING_TYPES))
