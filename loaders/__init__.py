"""Loaders: report text in, typed records out (no RDF here).

Loaders are registered by name, the way rdflib registers parsers, so a new edition
of the series is a new registered loader, not an edit to callers::

    >>> import loaders
    >>> "report-zh" in loaders.available()
    True
    >>> loaders.get("no-such-loader")
    Traceback (most recent call last):
    ...
    loaders.errors.UnknownLoaderError: no loader registered as 'no-such-loader'; available: report-zh
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from .errors import LoaderError, UnknownLoaderError

__all__ = ["register", "get", "available", "LoaderError", "UnknownLoaderError"]

_REGISTRY: dict[str, tuple[str, str]] = {}


def register(name: str, module: str, function: str) -> None:
    """Register ``module.function`` as the loader called ``name`` (imported on first use)."""
    _REGISTRY[name] = (module, function)


def get(name: str) -> Callable[..., Any]:
    try:
        module, function = _REGISTRY[name]
    except KeyError:
        raise UnknownLoaderError(name, available()) from None
    return getattr(import_module(module), function)


def available() -> list[str]:
    return sorted(_REGISTRY)


register("report-zh", "loaders.report", "load_report")
