"""The project's Java servers for the tests (``tools/servers``: Neo4j, Fuseki), and what
happens when one cannot be started here: the tests that need it skip, saying how to
get it, or fail when ``KG_REQUIRE_SERVERS=1`` (as CI sets), so a missing server never
passes unnoticed."""

from __future__ import annotations

import os
import shutil

import pytest

from benchmarks import servers


def launch():
    """``tools/servers/launch.py``, the project's starter for Neo4j and Fuseki."""
    return servers.launch()


def servers_required() -> bool:
    """True when a server that cannot be started fails the tests instead of skipping them."""
    return os.environ.get("KG_REQUIRE_SERVERS", "").lower() in ("1", "true", "yes")


def unavailable(reason: str):
    """Skip (or, when servers are required, fail) with the reason."""
    if servers_required():
        pytest.fail(f"{reason} (KG_REQUIRE_SERVERS is set)", pytrace=False)
    pytest.skip(reason)


def require_java_server(name: str, fetched: bool) -> None:
    """Skip (or fail) unless Java is here and the server ``name`` (neo4j, fuseki) is fetched."""
    if not (shutil.which("java") or os.environ.get("KG_JAVA") or os.environ.get("JAVA_HOME")):
        unavailable(f"no Java to run {name} (JDK 17 or newer; see tools/servers/README.md)")
    if not fetched:
        unavailable(f"{name} is not fetched: run `make servers` (or `bash tools/servers/{name.lower()}.sh fetch`)")
