"""Counts of what the graph holds."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from graph.analyses import stats as overview

from .. import examples
from ..deps import StoreDep, strict_query

router = APIRouter(tags=["graph"], dependencies=[Depends(strict_query)])


@router.get("/stats", response_model=dict[str, int], responses=examples.ok(examples.STATS))
def get_stats(store: StoreDep):
    """Statements, events, persons, organizations, who-met-whom pairs …"""
    return overview.stats(store)
