"""Persons: search by any form of the name, one person, who they met."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from graph.analyses import meetings, people

from .. import examples
from ..deps import ListFormatDep, PagingDep, StoreDep, day_range, strict_query
from ..downloads import listing
from ..models import MeetingPage, PersonDetail, PersonPage

router = APIRouter(tags=["persons"], dependencies=[Depends(strict_query)])

PersonId = Annotated[str, Path(description="Person id (local name of the IRI)", examples=["wang-yi"])]
Since, Until = day_range("2020-06-01", "2020-12-31")
Framework = Annotated[list[str] | None, Query(description="Framework id or code: sco, BRICS, RIC … (repeat for any of "
                                                          "several)", examples=[["RIC"]])]
MeetingType = Annotated[list[Literal[meetings.MEETING_TYPES]] | None,
                        Query(description="PLOVER type of the event (repeat for either)")]


@router.get("/persons", response_model=PersonPage, responses=examples.ok_list(examples.PERSON_PAGE))
def search_persons(store: StoreDep, paging: PagingDep, fmt: ListFormatDep,
                   q: Annotated[str | None, Query(max_length=200, examples=["wang yi"],
                                                  description="Name in Chinese, English or Russian, an alias, or "
                                                              "pinyin with or without tones")] = None):
    """Find persons by any form of their name (every person without q)."""
    return listing(people.search_persons(store, q), fmt, "persons", page=PersonPage, paging=paging)


@router.get("/persons/{id}", response_model=PersonDetail, responses=examples.ok(examples.PERSON_DETAIL, 404))
def get_person(id: PersonId, store: StoreDep):
    """One person: names, offices held, events acted in."""
    return people.person_detail(store, id)


@router.get("/persons/{id}/met", response_model=MeetingPage, responses=examples.ok_list(examples.MEETING_PAGE, 404))
def get_person_meetings(id: PersonId, store: StoreDep, paging: PagingDep, fmt: ListFormatDep, since: Since = None,
                        until: Until = None, framework: Framework = None, type: MeetingType = None):
    """Who this person met: counterpart, dates, event, place, framework, evidence."""
    return listing(meetings.who_met_whom(store, id, since=since, until=until, framework=framework, type=type),
                   fmt, f"{id}-met", page=MeetingPage, paging=paging)


@router.get("/who-met-whom", response_model=MeetingPage, responses=examples.ok_list(examples.MEETING_PAGE, 404))
def who_met_whom(store: StoreDep, paging: PagingDep, fmt: ListFormatDep,
                 a: Annotated[str | None, Query(description="Id of a person", examples=["wang-yi"])] = None,
                 b: Annotated[str | None, Query(description="Id of a second person", examples=["sergey-lavrov"])]
                 = None,
                 since: Since = None, until: Until = None, framework: Framework = None, type: MeetingType = None):
    """Meetings of two persons, of one, or every pair (each once)."""
    return listing(meetings.who_met_whom(store, a, counterpart=b, since=since, until=until, framework=framework,
                                         type=type), fmt, "who-met-whom", page=MeetingPage, paging=paging)
