"""Connections to a Bolt server: log in, find the server's dialect (``dialects``), run
statements in managed transactions (the driver retries one that meets a transient
error, for up to ``retry_seconds``), and name what went wrong.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import neo4j
from neo4j import GraphDatabase
from neo4j import exceptions as nx

from .dialects import DIALECTS, Dialect, DialectError, Neo4jDialect

__all__ = ["BoltError", "BoltUnavailable", "BoltAuthError", "BoltQueryError", "BoltServer", "connect"]

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


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

    Every statement runs in a managed transaction of its own, whose statements carry
    no metadata a server could misread (see ``dialects``).
    """

    driver: neo4j.Driver
    uri: str
    user: str = ""
    database: str = ""
    dialect: Dialect = Neo4jDialect()

    @property
    def name(self) -> str:
        return self.dialect.name

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
        return self.write_many([(query, params)])

    def write_many(self, statements: list[tuple[str, Mapping[str, Any] | None]], *,
                   timeout: float | None = None) -> dict[str, int]:
        """Run the statements in one transaction, which the server stops after
        ``timeout`` seconds; the counters they report, added up."""
        prepared = [(q, self.prepare(q, p)) for q, p in statements]

        @neo4j.unit_of_work(timeout=timeout)
        def work(tx):
            total: dict[str, int] = {}
            for q, p in prepared:
                for k, v in vars(tx.run(q, p).consume().counters).items():
                    if isinstance(v, int) and not isinstance(v, bool) and v:
                        total[k] = total.get(k, 0) + v
            return total

        with self._translate():
            with self._session() as s:
                return s.execute_write(work)

    def prepare(self, query: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """The parameters as this server must receive them (see ``dialects``)."""
        try:
            return self.dialect.prepare(query, params or {})
        except DialectError as exc:
            raise BoltQueryError(str(exc)) from None

    def close(self) -> None:
        self.driver.close()
        self.dialect.after_close(self.uri)

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
        except UnicodeDecodeError:
            # A server that cuts its error message inside a character (one of the
            # dialects does, on some statements) leaves the driver unable to read the answer.
            raise BoltQueryError(f"{self.name} at {self.uri} refused a statement with a message that is not "
                                 "valid UTF-8") from None


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
        ``uri`` is not a Bolt URI, or the server speaks no dialect known here.
    """
    scheme = urlsplit(uri).scheme if "://" in uri else ""
    if scheme not in SCHEMES:
        raise BoltError(f"not a Bolt URI: {uri!r}; use bolt://HOST:7687 or neo4j://HOST:7687")
    auth = (user, password) if password else None
    try:
        # Notifications (a label not created yet, say) would be logged as warnings.
        driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=connect_timeout,
                                      notifications_min_severity="OFF",
                                      max_transaction_retry_time=retry_seconds, connection_acquisition_timeout=
                                      connect_timeout + retry_seconds)
    except (ValueError, nx.ConfigurationError) as exc:
        raise BoltError(f"not a Bolt URI: {uri!r} ({exc})") from None
    server = BoltServer(driver, uri, user, database)
    detected = False
    try:
        _login(server, auth is not None)
        server.dialect = _detect_dialect(server)
        detected = True
        server.dialect.check_database(uri, database)
    except BoltUnavailable:
        server.driver.close()
        raise
    except DialectError as exc:
        server.close()
        raise BoltError(str(exc)) from None
    except BaseException:
        server.close()
        if not detected:  # a refused login closes with GOODBYE too: clean up for every dialect
            for d in DIALECTS:
                d.after_close(uri)
        raise
    return server


def _login(server: BoltServer, with_auth: bool) -> None:
    try:
        try:
            server.driver.verify_connectivity()
        except nx.ServiceUnavailable as exc:
            if "handshake" not in str(exc):
                raise
            # A server may have left this socket number unserved (see ``dialects``): once more.
            server.driver.verify_connectivity()
    except nx.AuthError as exc:
        raise BoltAuthError(f"the server at {server.uri} refused the login for user {server.user!r}"
                            f"{'' if with_auth else ' (no password given)'}: {_reason(exc)}") from None
    except (nx.ServiceUnavailable, nx.SessionExpired, OSError) as exc:
        raise BoltUnavailable(f"cannot reach a Bolt server at {server.uri}: {_reason(exc)}") from None
    except nx.Neo4jError as exc:
        # Some servers answer a refused login with a failure that has no code the driver knows.
        if with_auth:
            raise BoltAuthError(f"the server at {server.uri} refused the login for user {server.user!r}: "
                                f"{_reason(exc)}") from None
        raise BoltError(f"the server at {server.uri} refused the connection: {_reason(exc)}") from None
    except nx.DriverError as exc:
        raise BoltError(f"cannot use the server at {server.uri}: {_reason(exc)}") from None


def _detect_dialect(server: BoltServer) -> Dialect:
    # The agent string cannot tell: some servers call themselves Neo4j.
    for dialect in DIALECTS:
        try:
            names = [r["name"] for r in server.read(dialect.detect_query)]
        except BoltQueryError:
            continue
        if dialect.recognizes(names):
            return dialect
    raise BoltError(f"the server at {server.uri} speaks none of the dialects the mirror knows "
                    f"({', '.join(d.name for d in DIALECTS)})")


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    # Codes that are not Neo4j's ("SyntaxError"): the driver then keeps only the code.
    code = (getattr(exc, "metadata", None) or {}).get("code")
    if code and not str(code).startswith("Neo."):
        text = f"{code} ({text})"
    return " ".join(str(text).split())[:300]
