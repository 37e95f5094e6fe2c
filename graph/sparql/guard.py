"""What a SPARQL request may do, decided on a real parse of it before the engine runs it.

The service refuses what would make it fetch a URL a request names (``SERVICE`` in a
query or an update, ``LOAD``) and reads the dataset a query names (``FROM``,
``FROM NAMED``). Both are decided on the parse tree of a SPARQL 1.1 parser (rdflib's),
never on words or tokens: a keyword in a string, an IRI, a comment, a variable or an
escaped prefixed name is not the keyword, and a keyword spelled with codepoint
escapes (``\\u0053ERVICE``) or in any case is.

Parsing costs milliseconds per kilobyte, so a query whose text cannot name a guarded
keyword is not parsed here: a keyword is written with its letters, so a text that has
none of the letter sequences ``service`` and ``from`` in any case, before or after
its codepoint escapes, names no service and no dataset, and the engine's own parser
reads it. Every other query is parsed.

Before any parser sees the text, a linear pass measures how deep its brackets
(``{`` ``(`` ``[``) and prefix operators (``!`` ``^``) nest; past ``MAX_DEPTH`` the
request is refused, since parsers and the engine recurse on nesting. A parser that
still runs out of stack refuses the query the same way.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }").parsed
    False
    >>> check_query("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }").default_graphs
    ('urn:g',)
    >>> check_query('SELECT * { ?s ?p "x" # { }\\n SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }')
    Traceback (most recent call last):
    ...
    graph.sparql.errors.QueryRefused: SERVICE (federated query) is not allowed: this service does not fetch URLs that a query names

rdflib's parser reads some texts the engine reads differently (after an escaped
``\\#`` in a prefixed name, say); those are refused as malformed. Behind the parse,
the workers have no network at all (``sandbox``), so a difference between the two
parsers can cost a refusal, never a fetch.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from ontology.vocab import PREFIXES

from .errors import MalformedQuery, QueryRefused, QueryTooDeep

__all__ = ["CheckedRequest", "check_query", "check_update", "nesting_depth", "reads_as_update", "MAX_DEPTH"]

#: Deepest nesting of brackets or prefix operators a request may have.
MAX_DEPTH = 64

SERVICE_REFUSED = "SERVICE (federated query) is not allowed: this service does not fetch URLs that {what} names"
LOAD_REFUSED = "LOAD is not allowed: this service does not fetch URLs that an update names"

_QUERY_WORDS = ("service", "from")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NESTING = re.compile(r"[{(\[]|[})\]]|[!^](?:\s*[!^])*")
_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class CheckedRequest:
    """A request that passed the checks: its form where it was parsed (None when the
    engine's parser is left to read it), and the dataset a query names."""

    form: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    parsed: bool = False

    @property
    def names_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def nesting_depth(text: str) -> int:
    """How deep brackets and runs of prefix operators nest, in one pass that needs no
    stack (brackets in strings and comments count too: it only over-counts).

    >>> nesting_depth("SELECT * WHERE { { ?s ?p ?o FILTER(!!(?o)) } }")
    5
    >>> nesting_depth("ASK {" * 3000)
    3000
    """
    depth = deepest = 0
    for m in _NESTING.finditer(text):
        token = m.group()
        if token in "{([":
            depth += 1
        elif token in "})]":
            depth = max(depth - 1, 0)
            continue
        else:
            run = sum(1 for c in token if c in "!^")
            deepest = max(deepest, depth + run)
            continue
        deepest = max(deepest, depth)
    return deepest


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text) if "\\" in text else text


def _may_name(text: str, words: tuple[str, ...]) -> bool:
    """Whether the text could spell one of the keywords, in any case or escape."""
    forms = {text.casefold(), _unescape(text).casefold(), unicodedata.normalize("NFKC", _unescape(text)).casefold()}
    return any(w in f for f in forms for w in words)


def _check_depth(text: str, limit: int) -> None:
    depth = nesting_depth(text)
    if depth > limit:
        raise QueryTooDeep(depth, limit)


def _parse(parse, text: str):
    from pyparsing import ParseException

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        return parse(text)
    except ParseException as exc:
        raise MalformedQuery(f"error at {exc.lineno}:{exc.col}: {exc.msg}") from None
    except RecursionError:
        raise QueryTooDeep(None, MAX_DEPTH) from None
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise MalformedQuery(str(exc) or type(exc).__name__) from None
    finally:
        sys.setrecursionlimit(limit)


def _nodes(tree):
    """Every node of a parse tree, without recursion (trees can be deep)."""
    from pyparsing import ParseResults

    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Mapping):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)


def _names(tree) -> set[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    return {n.name for n in _nodes(tree) if isinstance(n, CompValue)}


def check_query(text: str, *, prefixes: Mapping[str, str] = PREFIXES, max_depth: int = MAX_DEPTH) -> CheckedRequest:
    """Check a query before it runs: refuse ``SERVICE`` and nesting past ``max_depth``;
    read the dataset it names (``FROM``, ``FROM NAMED``, resolved with ``prefixes``
    and the query's own).

    Raises
    ------
    QueryRefused
        The query names a remote service.
    QueryTooDeep
        Nesting past the limit, or past what the parser can follow.
    MalformedQuery
        The parser cannot read it (with the line and column).

    Examples
    --------
    >>> check_query("select * { ?s ?p 'SERVICE' } # SERVICE <http://x/>").form
    'SELECT'
    >>> check_query("ASK FROM NAMED crd:g { }").named_graphs
    ('https://w3id.org/china-russia-dialogue/ontology#g',)
    >>> check_query("SELECT * { \\\\u0053ERVICE <http://x/> { } }")
    Traceback (most recent call last):
    ...
    graph.sparql.errors.QueryRefused: SERVICE (federated query) is not allowed: this service does not fetch URLs that a query names
    """
    _check_depth(text, max_depth)
    if not _may_name(text, _QUERY_WORDS):
        return CheckedRequest(None)
    from rdflib.plugins.sparql import parser

    parsed = _parse(parser.parseQuery, text)
    prologue, query = parsed[0], parsed[1]
    if "ServiceGraphPattern" in _names(query):
        raise QueryRefused(SERVICE_REFUSED.format(what="a query"))
    default, named = [], []
    # CompValue.get answers a missing key with the key itself: ask with ``in``.
    clauses = query["datasetClause"] if "datasetClause" in query else []
    if clauses:
        from rdflib.plugins.sparql.algebra import translatePrologue

        try:
            resolve = translatePrologue(prologue, None, initNs=dict(prefixes)).absolutize
            for clause in clauses:
                if "default" in clause:
                    default.append(str(resolve(clause["default"])))
                else:
                    named.append(str(resolve(clause["named"])))
        except Exception as exc:  # an undeclared prefix, an IRI rdflib cannot resolve
            raise MalformedQuery(f"in FROM: {exc}") from None
    return CheckedRequest(_FORMS.get(query.name), tuple(default), tuple(named), parsed=True)


def check_update(text: str, *, max_depth: int = MAX_DEPTH) -> CheckedRequest:
    """Check an update: refuse ``LOAD`` and ``SERVICE`` anywhere in it, and nesting past
    ``max_depth``.

    >>> check_update("INSERT DATA { <urn:a> <urn:b> <urn:c> }").form
    'UPDATE'
    >>> check_update("load <http://example.org/x.ttl>")
    Traceback (most recent call last):
    ...
    graph.sparql.errors.QueryRefused: LOAD is not allowed: this service does not fetch URLs that an update names
    """
    _check_depth(text, max_depth)
    from rdflib.plugins.sparql import parser

    names = _names(_parse(parser.parseUpdate, text))
    if "Load" in names:
        raise QueryRefused(LOAD_REFUSED)
    if "ServiceGraphPattern" in names:
        raise QueryRefused(SERVICE_REFUSED.format(what="an update"))
    return CheckedRequest("UPDATE", parsed=True)


def reads_as_update(text: str) -> bool:
    """True when the text parses as a SPARQL update (asked of text the query parser
    refused, to tell the client it sent an update).

    >>> reads_as_update("CLEAR ALL"), reads_as_update("SELECT * {}")
    (True, False)
    """
    if nesting_depth(text) > MAX_DEPTH:
        return False
    from rdflib.plugins.sparql import parser

    try:
        _parse(parser.parseUpdate, text)
    except (MalformedQuery, QueryTooDeep):
        return False
    return True
