"""What a SPARQL request asks for, read from its tokens before anything runs it.

The service must know a request's form (query or update), whether it names a remote
endpoint (``SERVICE``) or a document to fetch (``LOAD``), and which prefixes it
declares, without trusting substrings: a literal ``"SERVICE"``, a comment, a variable
``?service`` or a prefixed name ``ex:service`` are not the keyword. The text is read
the way a SPARQL parser reads it: codepoint escapes first (``\\u0053ERVICE`` is the
keyword), then tokens (strings, IRIs, comments, variables, prefixed names, words).

    >>> shape = inspect_sparql('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE <http://x>')
    >>> shape.form, shape.service
    ('SELECT', False)
    >>> inspect_sparql("select * { service <http://example.org/sparql> { ?s ?p ?o } }").service
    True
    >>> inspect_sparql("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }").is_update
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["SparqlShape", "inspect_sparql", "QUERY_FORMS", "UPDATE_OPERATIONS", "prologue_for"]

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_OPERATIONS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                               "WITH"})


@dataclass(frozen=True)
class SparqlShape:
    """The form of a request (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, an update
    operation, or None when the text does not say) and the features the service checks."""

    form: str | None
    service: bool = False
    load: bool = False
    prefixes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_OPERATIONS

    @property
    def is_query(self) -> bool:
        return self.form in QUERY_FORMS


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_TOKENS = re.compile(r"""
   (?P<ws>\s+)
 | (?P<comment>\#[^\n\r]*)
 | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
             | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             | '(?:[^'\\\n\r]|\\.)*'
             | "(?:[^"\\\n\r]|\\.)*")
 | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
 | (?P<var>[?$][^\s{}()\[\],;.<>"'=!&|+*/\\^\#@?$]+)
 | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
 | (?P<bnode>_:[^\s{}()\[\],;<>"'=!&|+*/\\^\#]+)
 | (?P<pname>(?:[^\W\d_][\w.\-]*)?:[^\s{}()\[\],;<>"'=!&|+*/^\#]*)
 | (?P<word>\w+)
 | (?P<other>.)
""", re.X | re.S)


def _unescape(text: str) -> str:
    # SPARQL applies codepoint escapes to the whole text before it is parsed.
    if "\\u" not in text and "\\U" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def inspect_sparql(text: str) -> SparqlShape:
    """The shape of a SPARQL query or update, from its tokens.

    Parameters
    ----------
    text : str
        The request as the client sent it.

    Returns
    -------
    SparqlShape
        ``form`` is the first keyword after the prologue (None for text that is not
        SPARQL); ``service`` and ``load`` say whether the keywords occur anywhere;
        ``prefixes`` are the prefixes the prologue declares.

    Examples
    --------
    >>> inspect_sparql("ASK { ?s ?p 'it says SERVICE' }").service
    False
    >>> inspect_sparql('SELECT * { \\\\u0053ERVICE <http://x/> { ?s ?p ?o } }').service
    True
    >>> inspect_sparql("PREFIX service: <http://e/> SELECT ?service { ?service service:x 1 }").service
    False
    >>> sorted(inspect_sparql("PREFIX a: <http://a/> prefix b: <http://b/> ASK {}").prefixes)
    ['a', 'b']
    >>> inspect_sparql("LOAD <http://example.org/data.ttl>").load
    True
    >>> inspect_sparql("SELECT * { ?s ?p trueSERVICE <http://x/> {} }").service
    True
    """
    text = _unescape(text)
    form = None
    service = load = False
    prefixes: set[str] = set()
    expect_prefix = False
    in_prologue = True
    for m in _TOKENS.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        token = m.group()
        if kind == "word":
            word = token.upper()
            # The parser splits `5SERVICE` or `trueSERVICE` into two tokens; so does this check.
            service = service or "SERVICE" in word
            load = load or "LOAD" in word
            if in_prologue:
                if word == "PREFIX":
                    expect_prefix = True
                    continue
                if word == "BASE":
                    continue
                in_prologue = False
                if word in QUERY_FORMS or word in UPDATE_OPERATIONS:
                    form = word
        elif kind == "pname" and expect_prefix:
            prefixes.add(token.split(":", 1)[0])
            expect_prefix = False
        elif kind in ("iri",) and in_prologue:
            continue
        elif in_prologue:
            in_prologue = False
    return SparqlShape(form, service, load, frozenset(prefixes))


def prologue_for(shape: SparqlShape, prefixes: dict[str, str]) -> str:
    """PREFIX lines for the given prefixes the request does not declare itself, for
    servers that cannot be handed default prefixes.

    >>> prologue_for(inspect_sparql("PREFIX a: <http://x/> ASK {}"), {"a": "http://a/", "b": "http://b/"})
    'PREFIX b: <http://b/>\\n'
    """
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes.items() if k not in shape.prefixes)
