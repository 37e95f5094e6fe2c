"""Stores: one small class per backend behind one interface (``GraphStore``), chosen by
name from a registry, the way rdflib registers its stores.

    >>> sorted(available())
    ['memory', 'oxigraph', 'sparql']
    >>> backend_for("http://127.0.0.1:7878"), backend_for("data/store")
    ('sparql', 'oxigraph')
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from .base import GraphStore, MissingStoreError, StoreCannot, StoreError, to_ox, to_quads

__all__ = ["GraphStore", "StoreError", "MissingStoreError", "StoreCannot", "register", "available", "open_store",
           "backend_for", "to_ox", "to_quads"]

_REGISTRY: dict[str, tuple[str, str]] = {}


def register(name: str, module: str, cls: str) -> None:
    """Make ``module.cls`` the store called ``name`` (imported the first time it is opened)."""
    _REGISTRY[name] = (module, cls)


def available() -> list[str]:
    return sorted(_REGISTRY)


def backend_for(location: str) -> str:
    """The backend a location names: an ``http(s)://`` URL is a SPARQL server, anything
    else a directory of the embedded store."""
    return "sparql" if location.startswith(("http://", "https://")) else "oxigraph"


def get(name: str) -> Callable[..., GraphStore]:
    try:
        module, cls = _REGISTRY[name]
    except KeyError:
        raise StoreError(f"no store backend {name!r}; available: {', '.join(available())}") from None
    return getattr(import_module(module), cls)


def open_store(location: str, *, create: bool = False, backend: str | None = None, **options) -> GraphStore:
    """The store at ``location`` (``options`` go to the backend: a SPARQL server's
    endpoint URLs and time limit, say)."""
    return get(backend or backend_for(location))(location, create=create, **options)


register("oxigraph", "graph.stores.oxigraph", "OxigraphStore")
register("memory", "graph.stores.memory", "MemoryStore")
register("sparql", "graph.stores.sparql_http", "SparqlStore")
