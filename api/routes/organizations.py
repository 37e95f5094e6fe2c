"""Organizations, agreements and projects."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from graph.analyses import agreements, organizations

from .. import examples
from ..deps import ListFormatDep, PagingDep, StoreDep, day_range, strict_query
from ..downloads import listing
from ..models import AgreementPage, OrganizationDetail, WorkPage

router = APIRouter(tags=["organizations"], dependencies=[Depends(strict_query)])

SignedSince, SignedUntil = day_range("2020-04-01", "2021-03-31", since="Signed on or after this day",
                                     until="Signed on or before this day")


@router.get("/organizations/{id}", response_model=OrganizationDetail,
            responses=examples.ok(examples.ORGANIZATION_DETAIL, 404))
def get_organization(id: Annotated[str, Path(description="Organization id", examples=["sco"])], store: StoreDep):
    """One organization: what it is part of, its bodies, members, events."""
    return organizations.organization_detail(store, id)


@router.get("/agreements", response_model=AgreementPage, responses=examples.ok_list(examples.AGREEMENT_PAGE, 404))
def list_agreements(store: StoreDep, paging: PagingDep, fmt: ListFormatDep,
                    since: SignedSince = None, until: SignedUntil = None,
                    party: Annotated[list[str] | None, Query(max_length=200, description="Id of a state or "
                                                             "organization party to it; repeated, every one is a "
                                                             "party", examples=[["CN", "RU"]])] = None,
                    type: Annotated[list[str] | None, Query(max_length=40, description="treaty, agreement, "
                                                            "memorandum, joint_statement, declaration, plan … "
                                                            "(repeat for any of several)",
                                                            examples=[["memorandum"]])] = None,
                    signed: Annotated[bool | None, Query(description="true: only documents signed or adopted in "
                                                         "the period the report covers; false: only older ones "
                                                         "it cites")] = None):
    """Agreements the report names: date, parties, signers, the events that concluded or cited them."""
    return listing(agreements.find_agreements(store, since=since, until=until, party=party or (), type=type or (),
                                              signed=signed), fmt, "agreements", page=AgreementPage, paging=paging)


@router.get("/projects", response_model=WorkPage, responses=examples.ok_list(examples.WORK_PAGE))
def list_projects(store: StoreDep, paging: PagingDep, fmt: ListFormatDep):
    """Projects (NICA, pipelines, joint labs, funds …), by label."""
    return listing(organizations.find_works(store, "project"), fmt, "projects", page=WorkPage, paging=paging)
