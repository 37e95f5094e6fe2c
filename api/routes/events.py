"""Events: by date, type, framework, actor and words; one event."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from graph.analyses import events

from .. import examples
from ..deps import ListFormatDep, PagingDep, StoreDep, day_range, strict_query
from ..downloads import listing
from ..models import EventDetail, EventPage

router = APIRouter(tags=["events"], dependencies=[Depends(strict_query)])

Since, Until = day_range("2020-09-01", "2020-09-30")


@router.get("/events", response_model=EventPage, responses=examples.ok_list(examples.EVENT_PAGE, 404))
def find_events(store: StoreDep, paging: PagingDep, fmt: ListFormatDep,
                since: Since = None, until: Until = None,
                type: Annotated[list[str] | None, Query(max_length=40, description="PLOVER type: CONSULT, AGREE, "
                                                        "COOPERATE, SUPPORT … (repeat for any of several)",
                                                        examples=[["CONSULT"]])] = None,
                framework: Annotated[list[str] | None, Query(max_length=200, description="Framework id or code "
                                                             "(repeat for any of several)", examples=[["sco"]])] = None,
                actor: Annotated[list[str] | None, Query(max_length=200, description="Id of a person, organization "
                                                         "or country (kind/id where ambiguous); repeated, every one "
                                                         "of them acts in the event", examples=[["wang-yi"]])] = None,
                q: Annotated[str | None, Query(max_length=200, description="Words in the title or paragraph, in "
                                               "Chinese or English (vaccine finds 疫苗)", examples=["外长"])] = None):
    """Events that meet every condition given, by date."""
    return listing(events.find_events(store, since=since, until=until, type=type, framework=framework, actor=actor,
                                      q=q), fmt, "events", page=EventPage, paging=paging)


@router.get("/events/{id}", response_model=EventDetail, responses=examples.ok(examples.EVENT_DETAIL, 404))
def get_event(id: Annotated[str, Path(description="Event id", examples=[examples.EVENT_ID])], store: StoreDep):
    """One event: dates, type, actors and roles, places, frameworks, evidence."""
    return events.event_detail(store, id)
