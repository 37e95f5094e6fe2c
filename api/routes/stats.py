"""Counts of what the graph holds."""

from __future__ import annotations

from fastapi import APIRouter

from graph.analyses import stats as overview

from .. import examples
from ..deps import StoreDep

router = APIRouter(tags=["graph"])


@router.get("/stats", response_model=dict[str, int], responses=examples.ok(examples.STATS))
def get_stats(store: StoreDep):
    """Statements, events, persons, organizations, who-met-whom pairs …"""
    return overview.stats(store)
