"""Read-only Cypher on the Neo4j mirror: a guard that refuses anything that writes,
and a runner with a time limit and a row limit.

The guard reads the query's tokens outside string literals, quoted names and
comments: it refuses the clauses that write or administer (``CREATE``, ``MERGE``,
``SET``, ``DELETE``, ``REMOVE``, ``DROP``, ``LOAD CSV``, ``FOREACH`` …), ``CALL`` of any
procedure not on a read-only list, ``USE`` of another database, ``SHOW`` of anything
but indexes, constraints, procedures and functions, and more than one statement.
Values come as parameters, never in the text. On Neo4j the query then runs in a read
transaction (``READ`` access mode) with a transaction time limit, both enforced by the
server: a write that got past the guard, say by a procedure that writes, is refused
by the database itself, and a query that runs too long is stopped there. On a server
without a read mode the guard is the only barrier, and it also refuses the functions
that server cannot answer (see ``dialects``).

    >>> check_read_only("MATCH (p:Person {name: $name}) RETURN p.name_zh")
    >>> check_read_only("MATCH (p:Person) SET p.x = 1")
    Traceback (most recent call last):
    ...
    graph.neo4j.cypher.CypherRefused: SET writes; the Cypher endpoint only reads
"""

from __future__ import annotations

import base64
import math
import re
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import neo4j
import neo4j.graph
import neo4j.spatial
import neo4j.time

from .bolt import BoltQueryError, BoltServer, BoltUnavailable, connect
from .dialects import Dialect, Neo4jDialect

__all__ = ["CypherRefused", "CypherTimeout", "CypherResult", "CypherRunner", "check_read_only", "tokens",
           "READ_PROCEDURES"]


class CypherRefused(ValueError):
    """The query is not a single read-only statement; the message names what was refused."""


class CypherTimeout(TimeoutError):
    """The query ran out of time."""


WRITE_CLAUSES = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH", "LOAD", "INSERT", "ALTER", "GRANT",
    "DENY", "REVOKE", "RENAME", "START", "STOP", "TERMINATE", "ENABLE", "DISABLE", "TRANSACTIONS", "PERIODIC",
})
# Procedures that only read, on the servers the mirror speaks to.
READ_PROCEDURES = frozenset(name.lower() for name in (
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization", "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties", "db.info", "db.ping", "dbms.components", "db.index.fulltext.queryNodes",
    "db.index.fulltext.queryRelationships", "db.index.vector.queryNodes", "db.index.vector.queryRelationships",
    "db.indexes", "db.constraints", "db.meta.stats", "dbms.procedures", "dbms.functions",
    "db.idx.fulltext.queryNodes", "db.idx.fulltext.queryRelationships", "db.idx.vector.queryNodes",
    "db.idx.vector.queryRelationships", "algo.pageRank", "algo.BFS", "algo.betweenness", "algo.WCC",
    "algo.labelPropagation", "algo.SPpaths", "algo.SSpaths", "algo.MSF",
))
_GDS_READ = re.compile(r"gds\.(.+\.(stream|stats|estimate)|graph\.list|graph\.exists|list|version)\Z", re.I)
_SHOWABLE = frozenset({"INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS", "PROCEDURE", "PROCEDURES", "FUNCTION",
                       "FUNCTIONS"})

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
  | (?P<param>\$(?:[^\W]\w*|`(?:[^`]|``)*`|\d+))
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<punct>.)
""", re.X | re.S)


@dataclass(frozen=True)
class Token:
    kind: str  # word, string, quoted, param, number or punct
    text: str
    pos: int


def tokens(query: str) -> list[Token]:
    """The query's tokens, without spaces and comments.

    >>> [t.text for t in tokens("MATCH (n) /* SET */ WHERE n.x = 'DELETE' RETURN n")]
    ['MATCH', '(', 'n', ')', 'WHERE', 'n', '.', 'x', '=', "'DELETE'", 'RETURN', 'n']
    """
    out = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind not in ("space", "comment"):
            out.append(Token(kind, m.group(), m.start()))
    return out


def check_read_only(query: str, *, dialect: Dialect = Neo4jDialect()) -> None:
    """Refuse a query that is not one read-only statement (see the module notes).

    Raises
    ------
    CypherRefused
        With the clause, procedure or construct that was refused.
    """
    toks = tokens(query)
    if not toks:
        raise CypherRefused("empty query")
    while toks and toks[-1].text == ";":
        toks.pop()
    for i, t in enumerate(toks):
        if t.kind == "punct" and t.text == ";":
            raise CypherRefused("more than one statement; send one at a time")
        if t.kind != "word" or not _in_clause_position(toks, i):
            continue
        word = t.text.upper()
        if word in WRITE_CLAUSES:
            raise CypherRefused(f"{word} writes; the Cypher endpoint only reads")
        if word == "USE":
            raise CypherRefused("USE selects another database; the Cypher endpoint reads the mirror only")
        if word == "SHOW" and not _showable(toks, i):
            raise CypherRefused("SHOW of anything but indexes, constraints, procedures and functions is refused")
        if word == "CALL":
            _check_call(toks, i)
        if t.text.lower() in dialect.refused_functions and _next_text(toks, i) in ("(", "."):
            raise CypherRefused(f"{t.text}(): {dialect.name} {dialect.refused_functions_reason}")


def _in_clause_position(toks: list[Token], i: int) -> bool:
    # After "." a word is a property key, after ":" "|" "&" "!" a label or type; before ":" a map key.
    prev = toks[i - 1].text if i > 0 else ""
    return prev not in (".", ":", "|", "&", "!") and _next_text(toks, i) != ":"


def _next_text(toks: list[Token], i: int) -> str:
    return toks[i + 1].text if i + 1 < len(toks) else ""


def _showable(toks: list[Token], i: int) -> bool:
    return any(t.kind == "word" and t.text.upper() in _SHOWABLE for t in toks[i + 1:i + 5])


def _check_call(toks: list[Token], i: int) -> None:
    j = i + 1
    if j >= len(toks) or toks[j].text in ("{", "("):
        return  # a subquery: its clauses are checked like the rest
    parts = []
    while j < len(toks) and toks[j].kind in ("word", "quoted"):
        parts.append(toks[j].text.strip("`").replace("``", "`"))
        if _next_text(toks, j) != ".":
            break
        j += 2
    name = ".".join(parts)
    if name.lower() not in READ_PROCEDURES and not _GDS_READ.match(name):
        raise CypherRefused(f"CALL {name or '?'}: not a procedure known to only read")


def check_parameters(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as JSON gives them: strings, numbers, booleans, null, lists and maps.

    >>> check_parameters({"name": "王毅", "limit": 5})
    {'name': '王毅', 'limit': 5}
    """
    def ok(v: Any, depth: int = 0) -> bool:
        if depth > 32:
            return False
        if v is None or isinstance(v, (str, bool, int)):
            return True
        if isinstance(v, float):
            return math.isfinite(v)
        if isinstance(v, (list, tuple)):
            return all(ok(x, depth + 1) for x in v)
        if isinstance(v, Mapping):
            return all(isinstance(k, str) and ok(x, depth + 1) for k, x in v.items())
        return False

    out = {}
    for k, v in parameters.items():
        if not isinstance(k, str) or not k or not ok(v):
            raise CypherRefused(f"parameter {k!r}: only strings, numbers, booleans, null, lists and maps")
        out[k] = v
    return out


@dataclass
class CypherResult:
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool


class CypherRunner:
    """Read-only Cypher on one Bolt server, with a time limit and a row limit.

    The connection opens at the first query and again after it is lost. The time
    limit goes to the server as the transaction's time limit, so Neo4j stops the
    query's work there; the caller also stops waiting then. A server that ignores a
    transaction's limit (its dialect's ``enforces_timeout`` is false, see ``dialects``)
    stops only at a limit set in its own configuration (see docs/security.md).
    """

    def __init__(self, uri: str, *, user: str = "", password: str = "", database: str = "", timeout: float = 10.0,
                 limit: int = 10_000, workers: int = 4):
        self.uri, self.user, self._password, self.database = uri, user, password, database
        self.timeout, self.limit = timeout, limit
        self._server: BoltServer | None = None
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cypher")

    def server(self) -> BoltServer:
        with self._lock:
            if self._server is None:
                self._server = connect(self.uri, user=self.user, password=self._password, database=self.database,
                                       retry_seconds=0.0)
            return self._server

    def run(self, query: str, parameters: Mapping[str, Any] | None = None, *, timeout: float | None = None,
            limit: int | None = None) -> CypherResult:
        """Run one read-only query.

        Raises
        ------
        CypherRefused
            The query writes, or is not one statement, or a parameter is not plain data.
        CypherTimeout
            The query did not finish within the time limit.
        graph.neo4j.bolt.BoltError
            The server is away, refused the login, or failed the query.
        """
        timeout = self.timeout if timeout is None else timeout
        limit = self.limit if limit is None else limit
        params = check_parameters(parameters or {})
        server = self.server()
        check_read_only(query, dialect=server.dialect)
        started = time.monotonic()
        future = self._pool.submit(server.read_records, query, params, timeout=timeout, limit=limit)
        try:
            keys, records, more = future.result(timeout=timeout + 0.5)
        except FutureTimeout:
            raise CypherTimeout(f"the query ran for more than {timeout:g} s") from None
        except BoltUnavailable:
            self._forget(server)
            raise
        except BoltQueryError as exc:
            # Neo4j names its limit (TransactionTimedOut); a server stopped by a limit set
            # in its own configuration fails without a name, at the limit.
            if "TransactionTimedOut" in exc.code or time.monotonic() - started >= timeout:
                raise CypherTimeout(f"the query ran for more than {timeout:g} s") from None
            if exc.code == "Neo.ClientError.Statement.AccessMode":  # the database's own read mode
                raise CypherRefused("the database refused to write: the Cypher endpoint only reads") from None
            raise
        return CypherResult(keys, [{k: to_json(r[k]) for k in keys} for r in records], more)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            if self._server is not None:
                self._server.close()
                self._server = None

    def _forget(self, server: BoltServer) -> None:
        with self._lock:
            if self._server is server:
                self._server = None
        server.close()


def to_json(v: Any) -> Any:
    """A value from the driver as plain JSON data: nodes and relationships as maps
    with their labels or type and properties, temporal values as ISO text.

    >>> to_json([1, {"a": neo4j.time.Date(2020, 1, 2)}])
    [1, {'a': '2020-01-02'}]
    """
    if isinstance(v, neo4j.graph.Node):
        return {"labels": sorted(v.labels), "properties": {k: to_json(x) for k, x in v.items()}}
    if isinstance(v, neo4j.graph.Relationship):
        return {"type": v.type, "start": _ref(v.start_node), "end": _ref(v.end_node),
                "properties": {k: to_json(x) for k, x in v.items()}}
    if isinstance(v, neo4j.graph.Path):
        return {"nodes": [to_json(n) for n in v.nodes], "relationships": [to_json(r) for r in v.relationships]}
    if isinstance(v, (neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time)):
        return v.iso_format()
    if isinstance(v, neo4j.time.Duration):
        return v.iso_format()
    if isinstance(v, neo4j.spatial.Point):
        return {"srid": v.srid, "coordinates": list(v)}
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode()
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, Mapping):
        return {str(k): to_json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_json(x) for x in v]
    return v


def _ref(node: neo4j.graph.Node | None) -> str | None:
    if node is None:
        return None
    return node.get("iri") or node.element_id
