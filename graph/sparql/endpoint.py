"""The SPARQL 1.1 endpoint behind ``/sparql``, free of HTTP: checks, limits, formats, cache.

``SparqlEndpoint.run`` takes the text of a request and the client's preferences and
gives bytes and a media type, or raises one of ``graph.sparql.errors``, each naming
the problem. Queries are checked on their parse (``guard``: no ``SERVICE``, nesting
within a limit, the ``FROM`` dataset read) and run, with the writing of their answer,
in worker processes (``workers``) that have no network, a memory cap, and are killed
at the time limit. Updates need the admin token, refuse ``LOAD`` and ``SERVICE``, and
run one at a time in the service. Recent answers are kept while the store's generation
stays the same.
"""

from __future__ import annotations

import asyncio
import hmac
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox

from ontology.vocab import PREFIXES

from .errors import EndpointBusy, EngineCrashed, MalformedQuery, NotAcceptable, OverMemory, QueryFailed, \
    QueryRefused, QueryTimeout, QueryTooDeep, ResultTooLarge, SparqlRequestError, StoreUnavailable, UpdateForbidden
from .execute import QueryJob
from .guard import MAX_DEPTH, check_update
from .results import GRAPH_TYPES, negotiate, write_graph
from .workers import QueryWorkers, image_source, location_source

__all__ = ["SparqlEndpoint", "Answer", "SparqlRequestError", "MalformedQuery", "QueryRefused", "UpdateForbidden",
           "QueryTimeout", "ResultTooLarge", "NotAcceptable", "EndpointBusy", "QueryFailed", "QueryTooDeep",
           "OverMemory", "EngineCrashed", "StoreUnavailable", "check_admin"]


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


class SparqlEndpoint:
    """SPARQL 1.1 queries and updates on a store, with the service's limits.

    Parameters
    ----------
    store : GraphStore
        What to query: a versioned store (the graph in memory) is written as an image
        for the workers at each new generation; another store (a SPARQL server) is
        opened by each worker.
    timeout : float
        Seconds a query may run (and wait for a worker).
    result_limit : int
        Most rows (or triples) one answer may hold.
    workers : int
        Queries run at once in their first ``long_after`` seconds; as many more may wait.
    long_workers : int
        Queries that may run longer than ``long_after`` at once.
    long_after : float
        Seconds after which a query counts as long.
    backlog : int, optional
        Queries that may wait for a worker (default: eight times ``workers``).
    memory_mb : float
        Memory one query may take beyond the graph.
    max_depth : int
        Deepest nesting of brackets and operators a query may have.
    cache_entries : int
        Answers kept (only answers under 1 MB are kept).
    """

    def __init__(self, store, *, timeout: float = 10.0, result_limit: int = 100_000, workers: int = 4,
                 long_workers: int = 2, long_after: float = 0.5, backlog: int | None = None,
                 memory_mb: float = 1024.0, max_depth: int = MAX_DEPTH, cache_entries: int = 512):
        self.store = store
        self.timeout = timeout
        self.result_limit = result_limit
        self.max_depth = max_depth
        self._workers = QueryWorkers(workers=workers, long_workers=long_workers, long_after=long_after,
                                     backlog=backlog, timeout=timeout, memory_mb=memory_mb)
        self._images = tempfile.TemporaryDirectory(prefix="kg-images-")
        self._updates = ThreadPoolExecutor(1, thread_name_prefix="kg-update")
        self._generation_lock = threading.Lock()
        self._cache: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
        self._cache_entries = cache_entries
        self._cache_generation = None
        self._cache_lock = threading.Lock()
        self._applied = 0  # updates applied to a store without generations: its workers start afresh after each
        if store.versioned:
            self._follow(store.generation)
        else:
            self._open_remote()

    def close(self) -> None:
        """Stop the workers (at shutdown)."""
        self._workers.close()
        self._updates.shutdown(wait=False, cancel_futures=True)
        self._images.cleanup()

    def _open_remote(self) -> None:
        """Workers that open the store (a SPARQL server) themselves; after an update
        they start afresh, so that none answers from what it knew before it."""
        self._workers.use(location_source(self.store.location, _worker_options(self.store), sandbox=False,
                                          generation=self._applied), generation=self._applied)

    def _follow(self, generation) -> None:
        """Have the workers serve this generation of a versioned store (its image is
        written in the background)."""
        if not self.store.versioned:
            return
        with self._generation_lock:
            if generation == self._workers.generation:
                return
            store, directory = self.store, self._images.name
            self._workers.use(lambda: image_source(store, directory, generation=generation), generation=generation)

    # -- choosing how to answer ------------------------------------------------------

    def describe_service(self, url: str, *, accept: str | None = None, updates: bool = False) -> Answer:
        """The endpoint's SPARQL 1.1 Service Description, in the RDF format asked for."""
        media = negotiate(accept, list(GRAPH_TYPES))
        if media is None:
            raise NotAcceptable(GRAPH_TYPES.values())
        return Answer(write_graph(service_description(url, updates=updates), GRAPH_TYPES[media]), GRAPH_TYPES[media])

    # -- queries ---------------------------------------------------------------------

    async def run(self, text: str, *, accept: str | None = None, formats: Sequence[str] = (),
                  default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                  admin: bool = False, update: bool = False, client: str = "") -> Answer | None:
        """Answer a query (an ``Answer``) or apply an update (None). ``client`` names
        who asks (an address), so that clients take turns at the workers.

        ``update`` says the client sent the text as an update (``update=`` or
        ``application/sparql-update``); a query that turns out to be an update is
        applied as one for the holder of the admin token, refused for anyone else.
        """
        if update:
            return await self._apply(text, admin, default_graphs, named_graphs)
        key = (text, tuple(default_graphs), tuple(named_graphs), accept, tuple(formats))
        generation = self.store.generation
        hit = self._cached(key, generation)
        if hit is not None:
            return Answer(*hit, cached=True)
        self._follow(generation)
        job = QueryJob(text, accept, tuple(formats), tuple(default_graphs), tuple(named_graphs), self.result_limit,
                       self.max_depth)
        try:
            body, media, served = await self._workers.run(job, client)
        except UpdateForbidden:
            if not admin:
                raise
            return await self._apply(text, admin, default_graphs, named_graphs)
        if served == generation:
            self._keep(key, (body, media), generation)
        return Answer(body, media)

    async def _apply(self, text: str, admin: bool, default_graphs, named_graphs) -> None:
        if not admin:
            raise UpdateForbidden("SPARQL Update is not allowed: it needs the service's admin token "
                                  "(Authorization: Bearer …), and none is configured or the one given is wrong")
        if default_graphs or named_graphs:
            raise QueryFailed("using-graph-uri and using-named-graph-uri are not supported; "
                              "name the graphs in the update (WITH, USING, GRAPH)")
        await asyncio.wrap_future(self._updates.submit(self._update, text))
        self._clear_cache()
        if self.store.versioned:
            self._follow(self.store.generation)
        else:
            self._applied += 1
            self._open_remote()
        return None

    def _update(self, text: str) -> None:
        check_update(text, max_depth=self.max_depth)
        try:
            self.store.update(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise MalformedQuery(exc.msg or str(exc)) from None
        except (ValueError, OSError, TypeError, RuntimeError) as exc:
            raise QueryFailed(f"the update failed: {exc}") from None

    # -- cache -----------------------------------------------------------------------

    def _cached(self, key, gen) -> tuple[bytes, str] | None:
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

    def _keep(self, key, body: tuple[bytes, str], gen) -> None:
        # Kept only when the store did not change while the query ran.
        if gen is None or len(body[0]) > 1_000_000 or gen != self.store.generation:
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


def _worker_options(store) -> dict:
    """What a worker needs to open the same SPARQL server store. Workers ask for the
    server's graphs with each query: one kept from before an update would hide the
    graphs the update made."""
    keys = ("query_url", "update_url", "store_url", "timeout", "union_default_graph")
    return {**{k: getattr(store, k) for k in keys if hasattr(store, k)}, "graph_list_ttl": 0.0}
