"""One SPARQL query from text to the bytes of its answer: checked (``guard``), run on
the store with the dataset it names, cut at the result-size limit, and written in the
format the client asked for. A query worker process runs this for the service and for
``kg query``.

    >>> from graph.examples import example_store
    >>> body, media = answer(example_store(), QueryJob("ASK { ?s ?p ?o }"))
    >>> media, body
    ('application/sparql-results+json', b'{"head":{},"boolean":true}')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ontology.vocab import PREFIXES

from .errors import MalformedQuery, NotAcceptable, QueryFailed, QueryRefused, QueryTooDeep, ResultTooLarge, \
    UpdateForbidden
from .guard import MAX_DEPTH, SERVICE_REFUSED, check_query, reads_as_update
from .results import GRAPH_TYPES, SOLUTION_TYPES, media_type_for_format, negotiate, write_boolean, write_graph, \
    write_solutions

__all__ = ["QueryJob", "answer", "choose_media", "dataset_of", "SENT_AS_QUERY"]

SENT_AS_QUERY = ("the text is a SPARQL update, sent as a query; updates need the service's admin token "
                 "(Authorization: Bearer …), and none is configured or the one given is wrong")


@dataclass(frozen=True)
class QueryJob:
    """A query and how to answer it: the client's ``Accept`` and ``format=`` choices and
    the dataset the protocol names (``default-graph-uri``, ``named-graph-uri``), which
    overrides the query's own ``FROM`` and ``FROM NAMED``."""

    text: str
    accept: str | None = None
    formats: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    result_limit: int = 100_000
    max_depth: int = MAX_DEPTH


def choose_media(graph: bool, accept: str | None, formats: Sequence[str] = ()) -> str:
    """The media type of an answer: a graph (CONSTRUCT, DESCRIBE) or a result table
    (SELECT, ASK), by ``format=`` first, else by ``Accept``.

    >>> choose_media(False, "text/csv;q=0.5, application/xml"), choose_media(True, None, ["nt"])
    ('application/sparql-results+xml', 'application/n-triples')
    """
    table = GRAPH_TYPES if graph else SOLUTION_TYPES
    chosen = media_type_for_format(formats, graph=graph) if formats else None
    if chosen is None:
        chosen = negotiate(accept, list(table))
        if chosen is None:
            raise NotAcceptable(table.values())
        chosen = table[chosen]
    return chosen


def _nodes(iris: Sequence[str], what: str) -> list[ox.NamedNode]:
    try:
        return [ox.NamedNode(g) for g in iris]
    except ValueError as exc:
        raise QueryFailed(f"not an IRI in {what}: {exc}") from None


def dataset_of(job: QueryJob, from_graphs: Sequence[str] = (), from_named: Sequence[str] = ()) -> dict:
    """The dataset arguments of a store query. The protocol's graphs override the
    query's; a query that names neither keeps the union of the named graphs as its
    default graph (what the store gives with no arguments), and so does one that
    names only ``FROM NAMED`` graphs.

    >>> dataset_of(QueryJob("ASK {}"), ["urn:a"])
    {'default_graph': [<NamedNode value=urn:a>], 'named_graphs': []}
    >>> dataset_of(QueryJob("ASK {}"), [], ["urn:n"])
    {'named_graphs': [<NamedNode value=urn:n>]}
    """
    if job.default_graphs or job.named_graphs:
        default, named, what = job.default_graphs, job.named_graphs, "default-graph-uri or named-graph-uri"
    else:
        default, named, what = tuple(from_graphs), tuple(from_named), "FROM or FROM NAMED"
    out: dict = {}
    if default:
        out["default_graph"] = _nodes(default, what)
        out["named_graphs"] = _nodes(named, what)
    elif named:
        out["named_graphs"] = _nodes(named, what)
    return out


def _engine_error(exc: BaseException, text: str) -> Exception:
    if isinstance(exc, SyntaxError):
        if reads_as_update(text):
            return UpdateForbidden(SENT_AS_QUERY)
        return MalformedQuery(exc.msg or str(exc))
    if isinstance(exc, PermissionError):
        # Only a worker without network sees this: the engine tried to open a connection.
        return QueryRefused(SERVICE_REFUSED.format(what="a query"))
    if isinstance(exc, RecursionError):
        return QueryTooDeep(None, MAX_DEPTH)
    return QueryFailed(f"the query failed: {exc}")


def _read(result, limit: int, row: Callable) -> list:
    out = []
    for i, item in enumerate(result):
        if i >= limit:
            raise ResultTooLarge(limit)
        out.append(row(item))
    return out


def answer(store, job: QueryJob) -> tuple[bytes, str]:
    """Check, run and write out one query; the answer's bytes and media type.

    Raises one of ``graph.sparql.errors``: refused, malformed, too deep, not
    acceptable, over the result-size limit, or failed (with the engine's message).
    """
    checked = check_query(job.text, prefixes=PREFIXES, max_depth=job.max_depth)
    try:
        result = store.query(job.text, prefixes=PREFIXES,
                             **dataset_of(job, checked.default_graphs, checked.named_graphs))
        if isinstance(result, ox.QueryBoolean):
            media = choose_media(False, job.accept, job.formats)
            return write_boolean(bool(result), media), media
        if isinstance(result, ox.QuerySolutions):
            media = choose_media(False, job.accept, job.formats)
            variables = [v.value for v in result.variables]
            n = len(variables)
            rows = _read(result, job.result_limit, lambda sol: tuple(sol[i] for i in range(n)))
            return write_solutions(variables, rows, media), media
        media = choose_media(True, job.accept, job.formats)
        return write_graph(_read(result, job.result_limit, lambda t: t), media), media
    except (SyntaxError, ValueError, OSError, RuntimeError, RecursionError) as exc:
        raise _engine_error(exc, job.text) from None
