"""The service with the network views and the home page, on a free loopback port, for
the tests that load them over HTTP (in a browser or not)."""

from __future__ import annotations

from conftest_api import live_service
from graph.settings import Settings


def views_service(store_location: str):
    """Yields the base URL of the running service (``live_service`` over that store)."""
    return live_service(Settings(store=store_location))
