"""The reasons a SPARQL request is not answered, each naming the problem in one sentence.

``code`` names the reason for programs. Every error pickles with its fields, so a
worker process can raise one and the service re-raise it as it was.

    >>> import pickle
    >>> e = pickle.loads(pickle.dumps(QueryTimeout(2.5)))
    >>> e.limit, str(e).startswith("the query ran longer than the time limit of 2.5 s")
    (2.5, True)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["SparqlRequestError", "MalformedQuery", "QueryFailed", "QueryRefused", "UpdateForbidden", "QueryTooDeep",
           "QueryTimeout", "ResultTooLarge", "OverMemory", "EngineCrashed", "NotAcceptable", "EndpointBusy",
           "StoreUnavailable"]


def _rebuild(cls, state: dict, message: str):
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err


class SparqlRequestError(Exception):
    """A request the endpoint does not answer; ``code`` names the reason for programs."""

    code = "bad_request"

    def __reduce__(self):
        return _rebuild, (type(self), dict(self.__dict__), str(self))


class MalformedQuery(SparqlRequestError):
    """The parser's message, with the line and column it points at."""

    code = "malformed_query"

    def __init__(self, message: str):
        m = re.search(r"(\d+):(\d+)", message)
        self.line, self.column = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        self.parser_message = message
        super().__init__(f"malformed SPARQL: {message}")


class QueryFailed(SparqlRequestError):
    code = "query_failed"


class QueryRefused(SparqlRequestError):
    """A query or update the service will not run whoever asks (SERVICE, LOAD)."""

    code = "refused"


class UpdateForbidden(SparqlRequestError):
    code = "update_forbidden"


class QueryTooDeep(SparqlRequestError):
    """Brackets or operators nested deeper than the service reads."""

    code = "too_deep"

    def __init__(self, depth: int | None, limit: int):
        self.depth, self.limit = depth, limit
        how = f"{depth} deep" if depth else "deeper than the parser can follow"
        super().__init__(f"the query nests brackets or operators {how}; the service reads at most {limit} levels")


class _OverLimit(SparqlRequestError):
    """A limit of the service was reached; ``limit`` is the limit, the message names it."""

    message = ""

    def __init__(self, limit: float):
        self.limit = limit
        super().__init__(self.message.format(limit=limit))


class QueryTimeout(_OverLimit):
    code = "timeout"
    message = ("the query ran longer than the time limit of {limit:g} s (KG_QUERY_TIMEOUT) and was stopped; "
               "narrow it down or add a LIMIT")


class ResultTooLarge(_OverLimit):
    code = "result_limit"
    message = ("the answer has more than {limit} rows or triples, the result-size limit; "
               "add a LIMIT (and OFFSET to page through it)")


class OverMemory(_OverLimit):
    code = "memory_limit"
    message = ("the query needed more than the memory limit of {limit:g} MB (KG_QUERY_MEMORY) and was stopped; "
               "narrow it down or add a LIMIT")


class EngineCrashed(SparqlRequestError):
    """The query engine's process died on this query (not by a limit of the service)."""

    code = "engine_crashed"

    def __init__(self, detail: str = ""):
        self.detail = detail
        super().__init__("the query engine failed on this query and was restarted"
                         + (f" ({detail})" if detail else "") + "; other queries were not affected")


class NotAcceptable(SparqlRequestError):
    code = "not_acceptable"

    def __init__(self, offered: Sequence[str]):
        self.offered = list(dict.fromkeys(offered))
        super().__init__("none of the requested media types can carry this answer; available: "
                         + ", ".join(self.offered))


class EndpointBusy(SparqlRequestError):
    code = "busy"

    def __init__(self, detail: str = "the service is busy with other queries; try again in a moment"):
        super().__init__(detail)


class StoreUnavailable(SparqlRequestError):
    """The store could not be opened or read; the message says why."""

    code = "store_unavailable"
