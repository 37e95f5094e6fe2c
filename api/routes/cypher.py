"""Read-only Cypher on the Neo4j mirror, when one is configured (``NEO4J_URI``)."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from graph.neo4j.bolt import BoltError, BoltQueryError
from graph.neo4j.cypher import CypherRefused, CypherRunner, CypherTimeout

from ..deps import SettingsDep
from ..models import ErrorBody

__all__ = ["router", "get_cypher_runner", "CypherRunnerDep", "close_cypher_runner"]

router = APIRouter(tags=["cypher"])
_lock = threading.Lock()


class CypherQuery(BaseModel):
    query: str = Field(min_length=1, max_length=100_000,
                       description="One read-only Cypher statement; values go in `parameters`, as `$name`",
                       examples=["MATCH (a:Person)-[m:MET_WITH]->(b:Person) WHERE a.name_en = $name "
                                 "RETURN b.name AS met, m.date AS date ORDER BY date"])
    parameters: dict[str, Any] = Field(default_factory=dict, description="Values for the `$names` of the query",
                                       examples=[{"name": "Wang Yi"}])


class CypherAnswer(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]] = Field(description="One map per row; nodes as {labels, properties}, "
                                                   "relationships as {type, start, end, properties}")
    truncated: bool = Field(description="True when the row limit cut the answer short")


def get_cypher_runner(request: Request, settings: SettingsDep) -> CypherRunner | None:
    """The app's runner for the mirror the settings name; None without a mirror."""
    if not settings.neo4j_uri:
        return None
    with _lock:
        runner = getattr(request.app.state, "cypher_runner", None)  # an app that never set one
        if runner is None:
            runner = CypherRunner(settings.neo4j_uri, user=settings.neo4j_user, password=settings.neo4j_password,
                                  database=settings.neo4j_database, timeout=settings.query_timeout,
                                  limit=settings.result_limit)
            request.app.state.cypher_runner = runner
        return runner


CypherRunnerDep = Annotated[CypherRunner | None, Depends(get_cypher_runner)]


def close_cypher_runner(app) -> None:
    """Close the app's connection to the mirror (at shutdown)."""
    runner = getattr(app.state, "cypher_runner", None)
    if runner is not None:
        runner.close()
        app.state.cypher_runner = None


def _error(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail, "error": code}, status_code=status)


@router.post("/cypher", response_model=CypherAnswer,
             responses={400: {"model": ErrorBody, "description": "Refused (writes, not one statement) or failed"},
                        503: {"model": ErrorBody, "description": "No mirror configured, or it cannot be reached"},
                        504: {"model": ErrorBody, "description": "The query ran out of time"}})
def cypher(body: CypherQuery, runner: CypherRunnerDep):
    """Read-only Cypher on the Neo4j mirror, with parameters, a time limit and a row limit."""
    if runner is None:
        return _error(503, "no_mirror", "no Neo4j mirror is configured; set NEO4J_URI (see `kg mirror`)")
    try:
        result = runner.run(body.query, body.parameters)
    except CypherRefused as exc:
        return _error(400, "refused", str(exc))
    except CypherTimeout as exc:
        return _error(504, "timeout", str(exc))
    except BoltQueryError as exc:
        return _error(400, "cypher_error", str(exc))
    except BoltError as exc:  # unreachable, login refused, connection lost
        return _error(503, "mirror_unavailable", str(exc))
    return CypherAnswer(columns=result.columns, rows=result.rows, truncated=result.truncated)
