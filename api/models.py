"""The service's request and response models: the graph's records (``graph.models``)
in pages, the paging parameters and the error bodies."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, Field

from graph.analyses.models import (AgreementSummary, EventDetail, EventSummary, FigureRecord, Meeting, NodeDescription,
                                   OrganizationDetail, PersonDetail, PersonSummary, Ref, WorkSummary)

__all__ = ["Day", "FIRST_DAY", "LAST_DAY", "Paging", "Page", "PersonPage", "MeetingPage", "EventPage", "WorkPage",
           "AgreementPage", "FigurePage", "ErrorBody", "ValidationErrorBody",
           "PersonDetail", "EventDetail", "OrganizationDetail", "NodeDescription", "Ref", "MAX_LIMIT"]

T = TypeVar("T")
MAX_LIMIT = 1000

#: The days a date parameter may name.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def _day(value):
    """A calendar day written YYYY-MM-DD within FIRST_DAY..LAST_DAY (not a number,
    which pydantic would read as seconds since 1970)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a day written YYYY-MM-DD")
    day = dt.date.fromisoformat(value)  # refuses 2021-02-30
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"a day between {FIRST_DAY} and {LAST_DAY}")
    return day


Day = Annotated[dt.date, BeforeValidator(_day)]


DEFAULT_LIMIT = 50


class Paging(BaseModel):
    limit: int | None = Field(None, ge=1, le=MAX_LIMIT, description="Most items in one page (default 50; a CSV or "
                                                                     "XLSX download has every item without it)")
    offset: int = Field(0, ge=0, description="Items to skip")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items`` from ``offset``, ``total`` in the whole list."""

    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="Offset of the next page; null on the last one")
    items: list[T]

    @classmethod
    def of(cls, items: Sequence[T], paging: Paging):
        limit = paging.limit or DEFAULT_LIMIT
        page = list(items[paging.offset:paging.offset + limit])
        nxt = paging.offset + limit
        return cls(total=len(items), limit=limit, offset=paging.offset,
                   next_offset=nxt if nxt < len(items) else None, items=page)


class PersonPage(Page[PersonSummary]):
    """Persons, best match first."""


class MeetingPage(Page[Meeting]):
    """Meetings (who met whom), by date."""


class EventPage(Page[EventSummary]):
    """Events, by date."""


class WorkPage(Page[WorkSummary]):
    """Agreements or projects, by label."""


class AgreementPage(Page[AgreementSummary]):
    """Agreements, by date (undated last)."""


class FigurePage(Page[FigureRecord]):
    """Figures, by period."""


class ErrorBody(BaseModel):
    """What went wrong, in one sentence, and a code for programs."""

    detail: str
    error: str = Field(description="unknown_id, malformed_query, refused, update_forbidden, too_deep, timeout, "
                                   "memory_limit, engine_crashed, result_limit, not_acceptable, busy, "
                                   "body_too_large, unsupported_media_type …")
    close_matches: list[str] | None = Field(None, description="Ids that may have been meant (unknown_id)")
    line: int | None = Field(None, description="Where the parser stopped (malformed_query)")
    column: int | None = None
    allowed: list[str] | None = Field(None, description="Values that would work")


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str
    type: str
    allowed: list[str] | None = None


class ValidationErrorBody(BaseModel):
    """Parameters that are not valid (422), one entry each."""

    detail: list[ValidationIssue]
