"""A SPARQL 1.1 server as the store: queries to its query endpoint, updates to its update
endpoint, whole graphs through its Graph Store Protocol endpoint.

The location is the server's base URL; the endpoints default to Oxigraph's layout
(``/query``, ``/update``, ``/store``) and each can be set on its own
(the service's settings ``KG_SPARQL_QUERY_URL``, ``KG_SPARQL_UPDATE_URL``,
``KG_SPARQL_STORE_URL`` pass them in; Fuseki, say, keeps its Graph Store Protocol
endpoint at ``/DATASET/data``).

The graph lives in named graphs (ontology, reference data, one per report). Queries
see their union as the default graph, as on the embedded store: each query names the
named graphs as its dataset (``default-graph-uri``), which every SPARQL 1.1 server
understands; on a server whose default graph is that union already, the setting
``KG_SPARQL_UNION_DEFAULT_GRAPH`` leaves the dataset to the server. Servers differ in
such details only, and settings say them: no code here is keyed to one server.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Iterable, Iterator
from itertools import groupby
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
from .base import ContentCheck, GraphStore, QuadCounter, StoreError

__all__ = ["SparqlStore"]

_RESULTS_JSON = "application/sparql-results+json"
_FORM = "application/x-www-form-urlencoded"
_ACCEPT = f"{_RESULTS_JSON}, application/sparql-results+xml;q=0.9, application/n-triples;q=0.8"


def _prologue(prefixes: dict[str, str] | None) -> str:
    """PREFIX lines for default prefixes, for servers that cannot be handed them: a
    query that declares one of them again overrides it, as SPARQL reads a prologue
    in order.

    >>> _prologue({"ex": "http://example.org/"})
    'PREFIX ex: <http://example.org/>\\n'
    """
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in (prefixes or {}).items())


class SparqlStore(GraphStore):
    """A remote SPARQL 1.1 server behind the store interface.

    Parameters
    ----------
    location : str
        Base URL of the server, e.g. ``http://127.0.0.1:7878``.
    create : bool
        Accepted for the common interface; the server's dataset always exists.
    query_url, update_url, store_url : str, optional
        Endpoints, when they are not at ``location`` + ``/query``, ``/update``, ``/store``
        (default: that layout).
    timeout : float
        Seconds one request to the server may take.
    union_default_graph : bool
        The server's default graph is already the union of its named graphs (Fuseki
        with ``tdb2:unionDefaultGraph``, GraphDB, Virtuoso): queries then name no
        dataset, which such a server answers much faster (Fuseki: ten times).
    graph_list_ttl : float
        Seconds the list of the server's named graphs is kept between queries (0: asked
        for with each query).

    Notes
    -----
    ``replace_quads`` puts each named graph with one Graph Store Protocol ``PUT`` (each
    one atomic on the server), then deletes the named graphs the new content no longer
    has; readers may see a mix of old and new graphs for the moment it takes.
    ``__len__`` counts the quads in the named graphs plus the triples of the server's
    own default graph (whether or not its queries see the union of the named graphs
    as their default graph).
    """

    updatable = True
    batch_quads = 50_000

    def __init__(self, location: str, *, create: bool = False, query_url: str = "", update_url: str = "",
                 store_url: str = "", timeout: float = 10.0, union_default_graph: bool = False,
                 graph_list_ttl: float = 5.0, **_options):
        base = location.rstrip("/")
        self.location = location
        self.query_url = query_url or base + "/query"
        self.update_url = update_url or base + "/update"
        self.store_url = store_url or base + "/store"
        self.timeout = timeout
        self.union_default_graph = union_default_graph
        self.graph_list_ttl = graph_list_ttl
        self._client = httpx.Client(timeout=httpx.Timeout(self.timeout, connect=5.0), follow_redirects=False)
        self._graphs: tuple[float, list[str]] | None = None

    def _request(self, method: str, url: str, **kwargs) -> httpx.Response:
        if self._client.is_closed:
            self._client = httpx.Client(timeout=httpx.Timeout(self.timeout, connect=5.0), follow_redirects=False)
        try:
            return self._client.request(method, url, **kwargs)
        except httpx.TimeoutException:
            raise TimeoutError(f"the SPARQL server at {self.location} did not answer within {self.timeout:g} s") \
                from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL server at {self.location}: {exc}") from None

    def _check(self, r: httpx.Response, what: str) -> httpx.Response:
        if r.status_code == 400:
            raise SyntaxError(r.text.strip() or f"the server refused the {what}")
        if r.status_code >= 400:
            raise StoreError(f"the SPARQL server at {self.location} answered {r.status_code} to a {what}: "
                             f"{r.text.strip()[:300]}")
        return r

    def named_graphs(self, *, fresh: bool = False) -> list[str]:
        """The server's named graphs (kept for a few seconds between calls)."""
        if not fresh and self._graphs and time.monotonic() - self._graphs[0] < self.graph_list_ttl:
            return self._graphs[1]
        r = self._check(self._request("POST", self.query_url, headers={"Accept": _RESULTS_JSON},
                                      data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"}), "query")
        graphs = sorted(b["g"]["value"] for b in r.json()["results"]["bindings"] if b["g"]["type"] == "uri")
        self._graphs = (time.monotonic(), graphs)
        return graphs

    def query(self, sparql: str, *, prefixes: dict[str, str] | None = None, default_graph=None, named_graphs=None,
              use_default_graph_as_union: bool = True, **_ignored):
        """Run a query on the server; the answer has the types the embedded store gives
        (``QuerySolutions``, ``QueryBoolean``, or a list of ``Triple``)."""
        sparql = _prologue(prefixes) + sparql
        data: list[tuple[str, str]] = [("query", sparql)]
        if default_graph is not None:
            graphs = default_graph if isinstance(default_graph, list) else [default_graph]
            data += [("default-graph-uri", g.value) for g in graphs if isinstance(g, ox.NamedNode)]
        elif use_default_graph_as_union and not self.union_default_graph:
            data += [("default-graph-uri", g) for g in self.named_graphs()]
        if named_graphs is not None:
            data += [("named-graph-uri", g.value) for g in named_graphs]
        elif default_graph is not None or (use_default_graph_as_union and not self.union_default_graph):
            # Naming a default graph empties the named ones unless they are named too.
            data += [("named-graph-uri", g) for g in self.named_graphs()]
        r = self._check(self._request("POST", self.query_url, content=urlencode(data),
                                      headers={"Accept": _ACCEPT, "Content-Type": _FORM}), "query")
        media = r.headers.get("content-type", "").split(";")[0].strip().lower()
        if media in (_RESULTS_JSON, "application/json"):
            return ox.parse_query_results(r.content, ox.QueryResultsFormat.JSON)
        if media in ("application/sparql-results+xml", "application/xml"):
            return ox.parse_query_results(r.content, ox.QueryResultsFormat.XML)
        fmt = ox.RdfFormat.from_media_type(media) if media else None
        if fmt is None:
            raise StoreError(f"the SPARQL server at {self.location} answered in an unknown format {media!r}")
        return [q.triple for q in ox.parse(r.content, fmt)]

    def update(self, sparql: str, *, prefixes: dict[str, str] | None = None, **_ignored) -> None:
        sparql = _prologue(prefixes) + sparql
        self._check(self._request("POST", self.update_url, data={"update": sparql}), "update")
        self._graphs = None

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad, one named graph at a time (Graph Store Protocol ``GET``), then the
        default graph."""
        for g in self.named_graphs(fresh=True):
            node = ox.NamedNode(g)
            for q in self._get_graph({"graph": g}):
                yield ox.Quad(q.subject, q.predicate, q.object, node)
        yield from self._get_graph({"default": ""})

    def _get_graph(self, params: dict[str, str]) -> Iterator[ox.Quad]:
        r = self._request("GET", self.store_url, params=params, headers={"Accept": "application/n-triples"})
        if r.status_code == 404:
            return iter(())
        self._check(r, "graph download")
        return ox.parse(io.BytesIO(r.content), ox.RdfFormat.N_TRIPLES)

    def replace_quads(self, quads: Iterable[ox.Quad], *, check: ContentCheck | None = None) -> int:
        """Put each named graph, then delete the server's other named graphs. A graph
        that comes in parts is sent in batches: put with the first, added to (``POST``)
        with the others. With a ``check``, the quads are first spooled to a temporary
        file and counted, so that a refused content never reaches the server."""
        if check is None:
            return self._upload(quads)
        with tempfile.TemporaryFile() as spool:
            counter = QuadCounter()
            ox.serialize(counter.count(quads), spool, ox.RdfFormat.N_QUADS)
            check(counter.by_graph)
            spool.seek(0)
            return self._upload(ox.parse(spool, ox.RdfFormat.N_QUADS))

    def _upload(self, quads: Iterable[ox.Quad]) -> int:
        written: set[str] = set()
        for graph, group in groupby(quads, key=lambda q: q.graph_name):
            name = graph.value if isinstance(graph, ox.NamedNode) else None
            params = {"graph": name} if name else {"default": ""}
            batch: list[ox.Triple] = []
            for q in group:
                batch.append(q.triple)
                if len(batch) >= self.batch_quads:
                    self._send(name, params, batch, written)
                    batch = []
            if batch:
                self._send(name, params, batch, written)
        for stale in set(self.named_graphs(fresh=True)) - written:
            r = self._request("DELETE", self.store_url, params={"graph": stale})
            if r.status_code != 404:
                self._check(r, "graph deletion")
        self._graphs = None
        return len(self)

    def _send(self, name: str | None, params: dict, triples: list[ox.Triple], written: set) -> None:
        key = name or ""
        method = "POST" if key in written else "PUT"
        body = ox.serialize(triples, None, ox.RdfFormat.N_TRIPLES)
        self._check(self._request(method, self.store_url, params=params, content=body,
                                  headers={"Content-Type": "application/n-triples"}), "graph upload")
        written.add(key)

    def exists(self) -> bool:
        """True when the server answers and holds some graph."""
        try:
            return len(self) > 0
        except (StoreError, OSError):
            return False

    def __len__(self) -> int:
        """The number of quads ``quads()`` yields: those of the named graphs, counted by
        the server, and the triples of its own default graph, as the Graph Store
        Protocol returns it (normally none: the product writes named graphs only).

        A query's default graph is no measure of the server's: where it is the union
        of the named graphs (Fuseki's ``unionDefaultGraph``, GraphDB, Virtuoso) it
        holds every quad again."""
        r = self._check(self._request(
            "POST", self.query_url, headers={"Accept": _RESULTS_JSON},
            data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}), "query")
        return int(r.json()["results"]["bindings"][0]["n"]["value"]) + sum(1 for _ in self._get_graph({"default": ""}))

    def close(self) -> None:
        self._client.close()
