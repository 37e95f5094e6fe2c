"""The SPARQL 1.1 endpoint behind ``/sparql``, free of HTTP: checks, limits, formats, cache.

``SparqlEndpoint.run`` takes the text of a request and the client's preferences and
gives bytes and a media type, or raises one of the errors below, each naming the
problem. It refuses what the service must never do (updates without the admin
token, ``SERVICE`` and ``LOAD``, which would fetch URLs the request names), runs the
query on a small pool of worker threads with a time limit, stops reading answers at
the result-size limit, and keeps recent answers while the store's generation stays
the same.

Oxigraph cannot stop a query from outside: a query past its time limit gets its
error at once, while its worker stops at the next answer row it reads or, for a
query that sorts or groups everything first, when the engine returns. The pool is
bounded, so such queries cannot pile up: past ``workers + backlog`` queries in hand
the endpoint answers "busy" at once.
"""

from __future__ import annotations

import asyncio
import hmac
import queue
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

import pyoxigraph as ox

from .protocol import SparqlShape, inspect_sparql
from .results import GRAPH_TYPES, SOLUTION_TYPES, media_type_for_format, negotiate, write_boolean, write_graph, \
    write_solutions
from ontology.vocab import PREFIXES

__all__ = ["SparqlEndpoint", "Answer", "SparqlRequestError", "MalformedQuery", "QueryRefused", "UpdateForbidden",
           "QueryTimeout", "ResultTooLarge", "NotAcceptable", "EndpointBusy", "QueryFailed", "check_admin"]


class SparqlRequestError(Exception):
    """A request the endpoint does not answer; ``code`` names the reason for programs."""

    code = "bad_request"


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


class _OverLimit(SparqlRequestError):
    """A limit of the service was reached; ``limit`` is the limit, the message names it."""

    message = ""

    def __init__(self, limit: float):
        self.limit = limit
        super().__init__(self.message.format(limit=limit))


class QueryTimeout(_OverLimit):
    code = "timeout"
    message = "the query ran longer than the time limit of {limit:g} s; narrow it down or add a LIMIT"


class ResultTooLarge(_OverLimit):
    code = "result_limit"
    message = ("the answer has more than {limit} rows or triples, the result-size limit; "
               "add a LIMIT (and OFFSET to page through it)")


class NotAcceptable(SparqlRequestError):
    code = "not_acceptable"

    def __init__(self, offered: Sequence[str]):
        self.offered = list(dict.fromkeys(offered))
        super().__init__("none of the requested media types can carry this answer; available: "
                         + ", ".join(self.offered))


class EndpointBusy(SparqlRequestError):
    code = "busy"

    def __init__(self):
        super().__init__("the service is busy with other queries; try again in a moment")


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    cached: bool = False


def check_admin(configured: str, authorization: str | None) -> bool:
    """True when ``authorization`` is ``Bearer <the configured token>``; never for an
    empty configured token.

    >>> check_admin("s3cret", "Bearer s3cret"), check_admin("s3cret", "Bearer nope"), check_admin("", "Bearer ")
    (True, False, False)
    """
    if not configured or not authorization:
        return False
    scheme, _, token = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), configured.encode())


def _without_frames(exc: BaseException) -> BaseException:
    """The exception without its tracebacks: their frames hold pyoxigraph results, which
    must be dropped on the thread that made them, not on the one that reports the error."""
    seen = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        e.__traceback__ = None
        e = e.__cause__ or e.__context__
    return exc


class _Pool:
    """Daemon worker threads: a query still running when the process exits must not
    hold it up (``concurrent.futures`` joins its threads at exit)."""

    def __init__(self, workers: int, backlog: int):
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._slots = threading.BoundedSemaphore(workers + backlog)
        for i in range(workers):
            threading.Thread(target=self._work, name=f"kg-sparql-{i}", daemon=True).start()

    def submit(self, fn: Callable, *args) -> Future:
        if not self._slots.acquire(blocking=False):
            raise EndpointBusy()
        fut: Future = Future()
        self._jobs.put((fut, fn, args))
        return fut

    def _work(self) -> None:
        while True:
            fut, fn, args = self._jobs.get()
            try:
                if fut.set_running_or_notify_cancel():
                    try:
                        fut.set_result(fn(*args))
                    except BaseException as exc:
                        fut.set_exception(_without_frames(exc))
            finally:
                self._slots.release()


class SparqlEndpoint:
    """SPARQL 1.1 queries and updates on a store, with the service's limits.

    Parameters
    ----------
    store : GraphStore
        What to query; a store with a ``generation`` attribute gets a result cache.
    timeout : float
        Seconds a query may run.
    result_limit : int
        Most rows (or triples) one answer may hold.
    workers : int
        Queries run at once; as many more may wait.
    cache_entries : int
        Answers kept (only answers under 1 MB are kept).
    """

    def __init__(self, store, *, timeout: float = 10.0, result_limit: int = 100_000, workers: int = 4,
                 cache_entries: int = 512):
        self.store = store
        self.timeout = timeout
        self.result_limit = result_limit
        self._pool = _Pool(workers, backlog=workers)
        self._cache: OrderedDict[tuple, bytes] = OrderedDict()
        self._cache_entries = cache_entries
        self._cache_generation = None
        self._cache_lock = threading.Lock()

    # -- choosing what to run and how to answer ------------------------------------

    def media_type(self, shape: SparqlShape, accept: str | None, formats: Sequence[str] = ()) -> str:
        graph = shape.form in ("CONSTRUCT", "DESCRIBE")
        table = GRAPH_TYPES if graph else SOLUTION_TYPES
        chosen = media_type_for_format(formats, graph=graph) if formats else None
        if chosen is None:
            chosen = negotiate(accept, list(table))
            if chosen is None:
                raise NotAcceptable(table.values())
            chosen = table[chosen]
        return chosen

    def describe_service(self, url: str, *, accept: str | None = None, updates: bool = False) -> Answer:
        """The endpoint's SPARQL 1.1 Service Description, in the RDF format asked for."""
        media = negotiate(accept, list(GRAPH_TYPES))
        if media is None:
            raise NotAcceptable(GRAPH_TYPES.values())
        return Answer(write_graph(service_description(url, updates=updates), GRAPH_TYPES[media]), GRAPH_TYPES[media])

    # -- queries ---------------------------------------------------------------------

    async def run(self, text: str, *, accept: str | None = None, formats: Sequence[str] = (),
                  default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                  admin: bool = False, update: bool = False) -> Answer | None:
        """Answer a query (an ``Answer``) or apply an update (None).

        ``update`` says the client sent the text as an update (``update=`` or
        ``application/sparql-update``); text that reads as an update is taken as one
        either way.
        """
        shape = inspect_sparql(text)
        if shape.is_update or update:
            self._check_update(shape, admin)
            if default_graphs or named_graphs:
                raise QueryFailed("using-graph-uri and using-named-graph-uri are not supported; "
                                  "name the graphs in the update (WITH, USING, GRAPH)")
            fut = self._pool.submit(self._update, text)
            await asyncio.wrap_future(fut)
            self._clear_cache()
            return None
        if shape.service:
            raise QueryRefused("SERVICE (federated query) is not allowed: this service does not fetch "
                               "URLs that a query names")
        media = self.media_type(shape, accept, formats) if shape.is_query else None
        dataset = self._dataset(default_graphs, named_graphs)
        key = (text, tuple(default_graphs), tuple(named_graphs), media)
        generation = self.store.generation
        hit = self._cached(key, generation) if media else None
        if hit is not None:
            return Answer(hit, media, cached=True)
        deadline = time.monotonic() + self.timeout
        fut = self._pool.submit(self._answer, text, media, accept, formats, dataset, deadline)
        try:
            body, media = await asyncio.wait_for(asyncio.wrap_future(fut), self.timeout)
        except (asyncio.TimeoutError, TimeoutError):
            raise QueryTimeout(self.timeout) from None
        if key[-1] == media:
            self._keep(key, body, generation)
        return Answer(body, media)

    def _check_update(self, shape: SparqlShape, admin: bool) -> None:
        if not admin:
            raise UpdateForbidden("SPARQL Update is not allowed: it needs the service's admin token "
                                  "(Authorization: Bearer …), and none is configured or the one given is wrong")
        if shape.load:
            raise QueryRefused("LOAD is not allowed: this service does not fetch URLs that an update names")
        if shape.service:
            raise QueryRefused("SERVICE (federated query) is not allowed: this service does not fetch "
                               "URLs that an update names")

    @staticmethod
    def _dataset(default_graphs: Sequence[str], named_graphs: Sequence[str]) -> dict:
        try:
            out = {}
            if default_graphs:
                out["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            if named_graphs:
                out["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
            return out
        except ValueError as exc:
            raise QueryFailed(f"not an IRI in default-graph-uri or named-graph-uri: {exc}") from None

    def _answer(self, text, media, accept, formats, dataset, deadline) -> tuple[bytes, str]:
        try:
            result = self.store.query(text, prefixes=PREFIXES, **dataset)
        except SyntaxError as exc:
            raise MalformedQuery(exc.msg or str(exc)) from None
        except TimeoutError:
            raise QueryTimeout(self.timeout) from None
        except (ValueError, OSError) as exc:
            raise QueryFailed(f"the query failed: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            media = media or self.media_type(inspect_sparql("ASK {}"), accept, formats)
            return write_boolean(bool(result), media), media
        if isinstance(result, ox.QuerySolutions):
            media = media or self.media_type(inspect_sparql("SELECT * {}"), accept, formats)
            variables = [v.value for v in result.variables]
            n = len(variables)
            rows = self._read(result, deadline, lambda sol: tuple(sol[i] for i in range(n)))
            return write_solutions(variables, rows, media), media
        media = media or self.media_type(inspect_sparql("CONSTRUCT {} WHERE {}"), accept, formats)
        triples = self._read(result, deadline, lambda t: t)
        return write_graph(triples, media), media

    def _read(self, result, deadline: float, row: Callable) -> list:
        out = []
        limit = self.result_limit
        try:
            for i, item in enumerate(result):
                if i >= limit:
                    raise ResultTooLarge(limit)
                out.append(row(item))
                if not i % 1024 and time.monotonic() > deadline:
                    raise QueryTimeout(self.timeout)
        except (ValueError, OSError) as exc:
            raise QueryFailed(f"the query failed: {exc}") from None
        return out

    def _update(self, text: str) -> None:
        try:
            self.store.update(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise MalformedQuery(exc.msg or str(exc)) from None
        except (ValueError, OSError, TypeError) as exc:
            raise QueryFailed(f"the update failed: {exc}") from None

    # -- cache -----------------------------------------------------------------------

    def _cached(self, key, gen) -> bytes | None:
        if gen is None:
            return None
        with self._cache_lock:
            if gen != self._cache_generation:
                self._cache.clear()
                self._cache_generation = gen
                return None
            body = self._cache.get(key)
            if body is not None:
                self._cache.move_to_end(key)
            return body

    def _keep(self, key, body: bytes, gen) -> None:
        # Kept only when the store did not change while the query ran.
        if gen is None or len(body) > 1_000_000 or gen != self.store.generation:
            return
        with self._cache_lock:
            if gen != self._cache_generation:
                return
            self._cache[key] = body
            while len(self._cache) > self._cache_entries:
                self._cache.popitem(last=False)

    def _clear_cache(self) -> None:
        with self._cache_lock:
            self._cache.clear()
            self._cache_generation = None


_SD = "http://www.w3.org/ns/sparql-service-description#"
_RESULT_FORMATS = tuple("http://www.w3.org/ns/formats/" + f for f in (
    "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples",
    "JSON-LD", "RDF_XML"))


def service_description(url: str, *, updates: bool) -> list[ox.Triple]:
    """A SPARQL 1.1 Service Description of the endpoint at ``url``.

    >>> len(service_description("http://127.0.0.1:8000/sparql", updates=False)) > 5
    True
    """
    s = ox.BlankNode("service")
    sd = lambda local: ox.NamedNode(_SD + local)  # noqa: E731
    out = [ox.Triple(s, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), sd("Service")),
           ox.Triple(s, sd("endpoint"), ox.NamedNode(url)),
           ox.Triple(s, sd("supportedLanguage"), sd("SPARQL11Query")),
           ox.Triple(s, sd("feature"), sd("UnionDefaultGraph"))]
    if updates:
        out.append(ox.Triple(s, sd("supportedLanguage"), sd("SPARQL11Update")))
    out += [ox.Triple(s, sd("resultFormat"), ox.NamedNode(f)) for f in _RESULT_FORMATS]
    return out
