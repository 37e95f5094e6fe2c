"""Organizations, agreements and projects."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from graph.analyses import organizations

from .. import examples
from ..deps import PagingDep, StoreDep
from ..models import OrganizationDetail, WorkPage

router = APIRouter(tags=["organizations"])


@router.get("/organizations/{id}", response_model=OrganizationDetail,
            responses=examples.ok(examples.ORGANIZATION_DETAIL, 404))
def get_organization(id: Annotated[str, Path(description="Organization id", examples=["sco"])], store: StoreDep):
    """One organization: what it is part of, its bodies, members, events."""
    return organizations.organization_detail(store, id)


@router.get("/agreements", response_model=WorkPage, responses=examples.ok(examples.WORK_PAGE))
def list_agreements(store: StoreDep, paging: PagingDep):
    """Agreements (treaties, contracts, memoranda, joint statements …), by label."""
    return WorkPage.of(organizations.find_works(store, "agreement"), paging)


@router.get("/projects", response_model=WorkPage, responses=examples.ok(examples.WORK_PAGE))
def list_projects(store: StoreDep, paging: PagingDep):
    """Projects (NICA, pipelines, joint labs, funds …), by label."""
    return WorkPage.of(organizations.find_works(store, "project"), paging)
