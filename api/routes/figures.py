"""Figures: the report's trade, transport and investment statistics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from graph.analyses import figures

from .. import examples
from ..deps import ListFormatDep, PagingDep, StoreDep, strict_query
from ..downloads import listing
from ..models import FigurePage

router = APIRouter(tags=["figures"], dependencies=[Depends(strict_query)])


@router.get("/figures", response_model=FigurePage, responses=examples.ok_list(examples.FIGURE_PAGE))
def list_figures(store: StoreDep, paging: PagingDep, fmt: ListFormatDep,
                 measure: Annotated[list[str] | None, Query(max_length=40, description="What is measured: trade "
                                                            "(turnover, exports, imports), exports, imports, "
                                                            "transport, freight, investment, market, share … "
                                                            "(repeat for any of several)",
                                                            examples=[["trade"]])] = None,
                 period: Annotated[str | None, Query(max_length=50, description="Only figures whose period lies in "
                                                     "this one: 2020, 2020-06, 2020-Q3, 2020-H1 or START/END",
                                                     examples=["2020"])] = None,
                 change: Annotated[bool | None, Query(description="true: growth rates only; false: levels "
                                                      "only")] = None):
    """Figures with what they measure, the period as printed and as days, the unit and the passage."""
    return listing(figures.find_figures(store, measure=measure or (), period=period, change=change), fmt, "figures",
                   page=FigurePage, paging=paging)
