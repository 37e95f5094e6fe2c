"""What differs between the servers that speak Bolt, one object per server.

Neo4j 5 is the target and ``Neo4jDialect`` says what the mirror and the Cypher runner
rely on there: a uniqueness constraint on ``iri`` for every label of the mirror,
native ``date`` values, parameters sent as values, real transactions (the mirror
writes many statements in one), read transactions the server enforces and a
server-side transaction time limit. ``FalkorDBDialect`` holds every workaround for
FalkorDB's Bolt port (a second target; the test suite runs both). FalkorDB answers the
official driver too, and even introduces itself as ``Neo4j/5.13.0``; it is told apart by the
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
  mirror keeps dates as ISO strings there (``encode``), and read-only Cypher refuses
  those functions.
- ``CREATE CONSTRAINT`` is not Cypher there: ``iri`` is an index of every label, and
  uniqueness rests on the mirror's MERGE by IRI.
- It keeps six decimals of a float.
- After a client says GOODBYE, the server ignores the next connection it accepts (the
  closed socket's number stays registered, and is reused): ``after_close`` opens and
  drops a few bare connections to take those numbers.
- Its errors carry no message, and it accepts the login ``falkordb`` with the Redis
  password, or no credentials at all when Redis has no password.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
from collections.abc import Iterable, Mapping
from typing import Any

import neo4j.time
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
    #: BEGIN … COMMIT makes several statements one atomic unit.
    transactional = True
    #: Dates are stored as ``date`` values (else as ISO text).
    native_dates = True
    list_keys_statement = ("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties WHERE type = 'UNIQUENESS' "
                           "RETURN labelsOrTypes AS labels, properties")
    #: Nodes per label and relationships per type from the count store, in one call
    #: (None: one count query per label and type).
    graph_counts_statement: str | None = ("CALL db.stats.retrieve('GRAPH COUNTS') YIELD data "
                                          "RETURN data.nodes AS nodes, data.relationships AS rels")

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

    def encode(self, value: Any) -> Any:
        """A value of the mirror's projection as this server stores it."""
        if isinstance(value, list):
            return [self.encode(v) for v in value]
        return value

    def decode(self, value: Any) -> Any:
        """A value read back from the server, comparable with ``encode``'s."""
        if isinstance(value, neo4j.time.Date):
            return value.to_native()
        if isinstance(value, (list, tuple)):
            return [self.decode(v) for v in value]
        return value

    def date(self, iso: str) -> Any:
        """A date (``YYYY-MM-DD``) as the mirror stores it: what a query's date
        parameter must be to compare with the mirror's dates.

        >>> Neo4jDialect().date("2020-05-01"), FalkorDBDialect().date("2020-05-01")
        (datetime.date(2020, 5, 1), '2020-05-01')
        """
        return self.encode(dt.date.fromisoformat(iso))

    def key_statements(self, labels: Iterable[str]) -> list[str]:
        """Statements that make ``iri`` the unique key of each label (idempotent)."""
        return [f"CREATE CONSTRAINT crd_{label.lower()}_iri IF NOT EXISTS FOR (n:{label}) REQUIRE n.iri IS UNIQUE"
                for label in labels]

    def ensure_keys(self, labels: Iterable[str], read, write) -> None:
        """Make ``iri`` the key of every label, with the connection's ``read`` and ``write``."""
        labels = list(labels)
        have = {tuple(r["labels"] or ()) for r in read(self.list_keys_statement)
                if list(r["properties"] or ()) == ["iri"]}
        for label, statement in zip(labels, self.key_statements(labels)):
            if (label,) not in have:
                write(statement)

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
    transactional = False
    native_dates = False
    graph_counts_statement = None
    list_indexes_statement = "CALL db.indexes() YIELD label, properties RETURN label, properties"
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

    def encode(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        return super().encode(value)

    def key_statements(self, labels: Iterable[str]) -> list[str]:
        return [f"CREATE INDEX FOR (n:{label}) ON (n.iri)" for label in labels]

    def ensure_keys(self, labels: Iterable[str], read, write) -> None:
        # An index, not a constraint; and creating one that exists is an error here.
        have = {r["label"] for r in read(self.list_indexes_statement) if "iri" in (r["properties"] or [])}
        for label, statement in zip(labels, self.key_statements(labels)):
            if label not in have:
                write(statement)

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
