"""Events: by date, type, framework, actor and words; one event."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from graph.analyses import events

from .. import examples
from ..deps import PagingDep, StoreDep
from ..models import EventDetail, EventPage

router = APIRouter(tags=["events"])


@router.get("/events", response_model=EventPage, responses=examples.ok(examples.EVENT_PAGE, 404))
def find_events(store: StoreDep, paging: PagingDep,
                since: Annotated[dt.date | None, Query(alias="from", description="First day (inclusive)",
                                                       examples=["2020-09-01"])] = None,
                until: Annotated[dt.date | None, Query(alias="to", description="Last day (inclusive)",
                                                       examples=["2020-09-30"])] = None,
                type: Annotated[str | None, Query(max_length=40, description="PLOVER type: CONSULT, AGREE, "
                                                  "COOPERATE, SUPPORT …", examples=["CONSULT"])] = None,
                framework: Annotated[str | None, Query(max_length=200, description="Framework id or code",
                                                       examples=["sco"])] = None,
                actor: Annotated[str | None, Query(max_length=200, description="Id of a person, organization or "
                                                   "country (kind/id where ambiguous)", examples=["wang-yi"])] = None,
                q: Annotated[str | None, Query(max_length=200, description="Words in the title or paragraph",
                                               examples=["外长"])] = None):
    """Events that meet every condition given, by date."""
    return EventPage.of(events.find_events(store, since=since, until=until, type=type, framework=framework,
                                           actor=actor, q=q), paging)


@router.get("/events/{id}", response_model=EventDetail, responses=examples.ok(examples.EVENT_DETAIL, 404))
def get_event(id: Annotated[str, Path(description="Event id", examples=[examples.EVENT_ID])], store: StoreDep):
    """One event: dates, type, actors and roles, places, frameworks, evidence."""
    return events.event_detail(store, id)
