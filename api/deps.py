"""What handlers receive: the settings, the store, the SPARQL endpoint, whether the
caller holds the admin token, paging, the format a list is asked in, a period of days;
and the check that refuses query parameters an endpoint does not take."""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from graph.sparql.endpoint import NotAcceptable, SparqlEndpoint, check_admin
from graph.sparql.results import negotiate
from graph.stores import GraphStore

from .downloads import MEDIA_TYPES, ListFormat
from .models import MAX_LIMIT, Day, Paging
from .settings import Settings

__all__ = ["SettingsDep", "StoreDep", "EndpointDep", "AdminDep", "PagingDep", "ListFormatDep", "day_range",
           "strict_query"]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def get_endpoint(request: Request) -> SparqlEndpoint:
    return request.app.state.endpoint


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
EndpointDep = Annotated[SparqlEndpoint, Depends(get_endpoint)]

_bearer = HTTPBearer(auto_error=False, description="The admin token (KG_ADMIN_TOKEN); needed for SPARQL Update only")


def is_admin(settings: SettingsDep,
             credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> bool:
    if credentials is None:
        return False
    return check_admin(settings.admin_token, f"{credentials.scheme} {credentials.credentials}")


AdminDep = Annotated[bool, Depends(is_admin)]


def get_paging(limit: Annotated[int | None, Query(ge=1, le=MAX_LIMIT, description="Most items in one page (default "
                                                    "50; a CSV or XLSX download has every item without it)")] = None,
               offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0) -> Paging:
    return Paging(limit=limit, offset=offset)


PagingDep = Annotated[Paging, Depends(get_paging)]


def get_list_format(request: Request,
                    format: Annotated[ListFormat | None, Query(description="json, csv or xlsx (default: by Accept, "
                                                                           "else json)")] = None) -> ListFormat:
    """The format asked by ``format=``, else by ``Accept`` (JSON when it says nothing)."""
    if format:
        return format
    offered = list(MEDIA_TYPES.values())
    media = negotiate(request.headers.get("accept"), offered)
    if media is None:
        raise NotAcceptable(offered)
    return next(k for k, v in MEDIA_TYPES.items() if v == media)


ListFormatDep = Annotated[ListFormat, Depends(get_list_format)]


def day_range(first: str | None = None, last: str | None = None, *, since: str = "First day (inclusive)",
              until: str = "Last day (inclusive)"):
    """The types of the ``from`` and ``to`` query parameters of a period, each a day or
    none: ``since`` and ``until`` describe them, ``first`` and ``last`` are examples.

    >>> Since, Until = day_range("2020-09-01", "2020-09-30")
    >>> [(a.alias, a.description, a.examples) for a in (Since.__metadata__[0], Until.__metadata__[0])]
    [('from', 'First day (inclusive)', ['2020-09-01']), ('to', 'Last day (inclusive)', ['2020-09-30'])]
    """
    return (Annotated[Day | None, Query(alias="from", description=since, examples=[first] if first else None)],
            Annotated[Day | None, Query(alias="to", description=until, examples=[last] if last else None)])


def _takes_many(annotation) -> bool:
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _takes_many(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_takes_many(a) for a in typing.get_args(annotation))
    return origin in (list, tuple, set, frozenset, Sequence)


def _query_parameters(route: APIRoute) -> dict[str, bool]:
    """The query parameters a route takes, each with whether it takes several values."""
    out: dict[str, bool] = {}
    todo = [route.dependant]
    while todo:
        d = todo.pop()
        for field in d.query_params:
            out[field.alias] = _takes_many(field.field_info.annotation)
        todo.extend(d.dependencies)
    return out


def strict_query(request: Request) -> None:
    """Refuse (422) a query parameter the endpoint does not take, and a single-valued one
    given more than once, naming it: a misspelt filter must not quietly return everything."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_parameters(route)
    issues = []
    for name in dict.fromkeys(request.query_params.keys()):
        if name not in known:
            issues.append({"loc": ("query", name), "type": "extra_forbidden",
                           "msg": f"unknown parameter {name!r}; this endpoint takes "
                                  f"{', '.join(sorted(known)) or 'none'}"})
        elif not known[name] and len(request.query_params.getlist(name)) > 1:
            issues.append({"loc": ("query", name), "type": "too_many_values",
                           "msg": f"{name!r} is given {len(request.query_params.getlist(name))} times; "
                                  "it takes one value"})
    if issues:
        raise RequestValidationError(issues)
