"""The service's request and response models: the graph's records (``graph.models``)
in pages, the paging parameters and the error bodies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from graph.analyses.models import (EventDetail, EventSummary, Meeting, NodeDescription, OrganizationDetail, PersonDetail,
                          PersonSummary, Ref, WorkSummary)

__all__ = ["Paging", "Page", "PersonPage", "MeetingPage", "EventPage", "WorkPage", "ErrorBody", "ValidationErrorBody",
           "PersonDetail", "EventDetail", "OrganizationDetail", "NodeDescription", "Ref", "MAX_LIMIT"]

T = TypeVar("T")
MAX_LIMIT = 1000


class Paging(BaseModel):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Most items in one page")
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
        page = list(items[paging.offset:paging.offset + paging.limit])
        nxt = paging.offset + paging.limit
        return cls(total=len(items), limit=paging.limit, offset=paging.offset,
                   next_offset=nxt if nxt < len(items) else None, items=page)


class PersonPage(Page[PersonSummary]):
    """Persons, best match first."""


class MeetingPage(Page[Meeting]):
    """Meetings (who met whom), by date."""


class EventPage(Page[EventSummary]):
    """Events, by date."""


class WorkPage(Page[WorkSummary]):
    """Agreements or projects, by label."""


class ErrorBody(BaseModel):
    """What went wrong, in one sentence, and a code for programs."""

    detail: str
    error: str = Field(description="unknown_id, malformed_query, refused, update_forbidden, timeout, "
                                   "result_limit, not_acceptable, busy, body_too_large …")
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
