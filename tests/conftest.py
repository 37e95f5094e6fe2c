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
