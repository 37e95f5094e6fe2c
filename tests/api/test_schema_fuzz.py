"""The service against its own OpenAPI description, over real HTTP: generated requests
(valid and not) for every operation; no answer is a server error, and every answer
(status, media type, body) is one the description declares. Bounded: a few examples
per operation."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from api.app import create_app
from api.settings import Settings
from helpers.services import live_service


@pytest.fixture(scope="module")
def service(store, neo4j_server):
    """The service with a Neo4j mirror configured, so /cypher answers too."""
    settings = Settings(store=store.location, query_timeout=5, neo4j_uri=neo4j_server.uri,
                        neo4j_user=neo4j_server.user, neo4j_password=neo4j_server.password)
    with live_service(settings) as url:
        yield url


# What the answers must be: never a server error, and each as the description declares
# it. (How closely the description fences in what requests are valid is not checked:
# a date must also be a real day in range, a type one of the known ones.)
CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.status_code_conformance,
          schemathesis.checks.content_type_conformance, schemathesis.checks.response_schema_conformance,
          schemathesis.checks.response_headers_conformance]

@schemathesis.serializer("application/sparql-query", "application/sparql-update")
def _sparql_text(ctx, value) -> bytes:
    """A direct SPARQL body is the text itself."""
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else str(value).encode()


# The description is the app's own: it does not depend on the store, so it is read at collection.
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi())


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_answers_as_declared(case, service):
    case.call_and_validate(base_url=service, timeout=30, checks=CHECKS)
