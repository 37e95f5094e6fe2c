"""What handlers receive: the settings, the store, the SPARQL endpoint, whether the
caller holds the admin token, and paging."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from graph.sparql.endpoint import SparqlEndpoint, check_admin
from graph.stores import GraphStore

from .models import MAX_LIMIT, Paging
from .settings import Settings

__all__ = ["SettingsDep", "StoreDep", "EndpointDep", "AdminDep", "PagingDep"]


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


def get_paging(limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most items in one page")] = 50,
               offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0) -> Paging:
    return Paging(limit=limit, offset=offset)


PagingDep = Annotated[Paging, Depends(get_paging)]
