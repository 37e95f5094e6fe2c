"""SPARQL answers written out in the formats clients ask for, and the choice of format.

Solutions (``SELECT``) and booleans (``ASK``) go out as SPARQL Query Results in JSON,
XML, CSV or TSV; graphs (``CONSTRUCT``, ``DESCRIBE``) as Turtle, N-Triples, JSON-LD,
RDF/XML or N3. The writers take rows already read from the store, so the caller can
stop reading at the result-size limit.

    >>> import pyoxigraph as ox
    >>> rows = [(ox.NamedNode("http://example.org/a"), ox.Literal("王毅", language="zh"))]
    >>> write_solutions(["s", "name"], rows, "text/csv").decode().splitlines()
    ['s,name', 'http://example.org/a,王毅']
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ontology.vocab import PREFIXES

__all__ = ["SOLUTION_TYPES", "GRAPH_TYPES", "negotiate", "write_solutions", "write_boolean", "write_graph",
           "media_type_for_format"]

# ``id:`` would turn every node into an escaped name (id:person\/wang-yi); full IRIs read better.
_TURTLE_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# Media types a client may name, in the service's order of preference, with the type answered.
SOLUTION_TYPES: dict[str, str] = {
    "application/sparql-results+json": "application/sparql-results+json",
    "application/json": "application/sparql-results+json",
    "application/sparql-results+xml": "application/sparql-results+xml",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/csv": "text/csv",
    "text/tab-separated-values": "text/tab-separated-values",
}
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "text/turtle",
    "application/x-turtle": "text/turtle",
    "application/n-triples": "application/n-triples",
    "text/plain": "application/n-triples",
    "application/ld+json": "application/ld+json",
    "application/json": "application/ld+json",
    "application/rdf+xml": "application/rdf+xml",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "text/n3": "text/n3",
    "text/rdf+n3": "text/n3",
}
_RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/n3": ox.RdfFormat.N3,
}
# Short names used in ``format=`` / ``output=`` parameters (SPARQLWrapper sends them).
_FORMAT_NAMES = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "n3": (None, "text/n3"),
    "nt": (None, "application/n-triples"),
    "ntriples": (None, "application/n-triples"),
    "n-triples": (None, "application/n-triples"),
    "json-ld": (None, "application/ld+json"),
    "jsonld": (None, "application/ld+json"),
    "rdf+xml": (None, "application/rdf+xml"),
}


def _ranges(accept: str) -> list[tuple[str, str, float]]:
    out = []
    for part in accept.split(","):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(b[2:])))
                except ValueError:
                    q = 0.0
        major, _, minor = media.partition("/")
        out.append((major, minor, q))
    return out


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the ``Accept`` header prefers; the first offered one when
    the client says nothing; None when it accepts none of them.

    The most specific range that matches a type gives its quality; between equal
    qualities the order of ``offered`` decides.

    Parameters
    ----------
    accept : str or None
        The header's value.
    offered : sequence of str
        Media types the answer can take, most preferred first.

    Returns
    -------
    str or None

    Examples
    --------
    >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8", ["text/turtle", "text/html"])
    'text/html'
    >>> negotiate("*/*", ["text/turtle", "text/html"])
    'text/turtle'
    >>> negotiate("text/*;q=0.5, text/csv", ["application/sparql-results+json", "text/csv"])
    'text/csv'
    >>> negotiate("image/png", ["text/turtle"]) is None
    True
    """
    if not accept or not accept.strip():
        return offered[0] if offered else None
    ranges = _ranges(accept)
    if not ranges:
        return offered[0] if offered else None
    best, best_q = None, 0.0
    for media in offered:
        major, _, minor = media.partition("/")
        q, specificity = None, -1
        for rmajor, rminor, rq in ranges:
            if rmajor == major and rminor == minor:
                s = 2
            elif rmajor == major and rminor == "*":
                s = 1
            elif rmajor == "*" and rminor == "*":
                s = 0
            else:
                continue
            if s > specificity:
                q, specificity = rq, s
        if q is not None and q > best_q:
            best, best_q = media, q
    return best


def media_type_for_format(names: Iterable[str], *, graph: bool) -> str | None:
    """The media type a ``format``/``output`` parameter names, for solutions or for a graph.

    >>> media_type_for_format(["json"], graph=True)
    'application/ld+json'
    >>> media_type_for_format(["text/csv"], graph=False)
    'text/csv'
    """
    table = GRAPH_TYPES if graph else SOLUTION_TYPES
    for name in names:
        name = name.strip().lower()
        if name in table:
            return table[name]
        pair = _FORMAT_NAMES.get(name)
        if pair and pair[1 if graph else 0]:
            return pair[1 if graph else 0]
    return None


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != _XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                        "object": _json_term(t.object)}}


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
            f"<object>{_xml_term(t.object)}</object></triple>")


def _csv_value(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def write_solutions(variables: Sequence[str], rows: Iterable[Sequence], media_type: str) -> bytes:
    """Solutions (rows of terms, None where unbound) in one of the SPARQL results formats.

    >>> import pyoxigraph as ox
    >>> write_solutions(["n"], [(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),)],
    ...                 "text/tab-separated-values")
    b'?n\\n3\\n'
    """
    if media_type == "application/sparql-results+json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                          ensure_ascii=False, separators=(",", ":")).encode()
    if media_type == "application/sparql-results+xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                      for v, t in zip(variables, row) if t is not None]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode()
    if media_type == "text/csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in rows:
            w.writerow([_csv_value(t) for t in row])
        return buf.getvalue().encode()
    if media_type == "text/tab-separated-values":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if t is None else _tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"no writer for solutions as {media_type}")


_NUMERIC = {"http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#decimal",
            "http://www.w3.org/2001/XMLSchema#double", "http://www.w3.org/2001/XMLSchema#boolean"}


def _tsv_term(t) -> str:
    # Turtle syntax; integers, decimals, doubles and booleans may stand bare (SPARQL 1.1 TSV).
    if isinstance(t, ox.Literal) and not t.language and t.datatype.value in _NUMERIC:
        try:
            if t.datatype.value.endswith("boolean"):
                if t.value in ("true", "false"):
                    return t.value
            elif t.datatype.value.endswith("integer"):
                int(t.value)
                return t.value
        except ValueError:
            pass
    return str(t)


def write_boolean(value: bool, media_type: str) -> bytes:
    """An ``ASK`` answer.

    >>> write_boolean(True, "application/sparql-results+json")
    b'{"head":{},"boolean":true}'
    """
    text = "true" if value else "false"
    if media_type == "application/sparql-results+json":
        return b'{"head":{},"boolean":' + text.encode() + b"}"
    if media_type == "application/sparql-results+xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{text}</boolean></sparql>\n").encode()
    if media_type in ("text/csv", "text/tab-separated-values"):
        return text.encode()
    raise ValueError(f"no writer for a boolean as {media_type}")


def write_graph(triples: Sequence[ox.Triple], media_type: str) -> bytes:
    """Triples in an RDF format; Turtle and N3 use the project's prefixes.

    >>> import pyoxigraph as ox
    >>> t = ox.Triple(ox.NamedNode("http://example.org/wang-yi"), ox.NamedNode("http://example.org/name"),
    ...               ox.Literal("Wang Yi", language="en"))
    >>> write_graph([t], "application/n-triples").decode()
    '<http://example.org/wang-yi> <http://example.org/name> "Wang Yi"@en .\\n'
    """
    fmt = _RDF_FORMATS[media_type]
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N3):
        return ox.serialize(triples, None, fmt, prefixes=_TURTLE_PREFIXES)
    return ox.serialize(triples, None, fmt)
