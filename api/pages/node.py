"""A node of the graph as a small, self-contained HTML page (no scripts, no outside
styles or fonts): its labels, what it says, what points at it, each neighbour linked
to its own page under this service."""

from __future__ import annotations

from html import escape

from graph.analyses.models import NodeDescription, Ref, Statement
from graph.rdf import iris

__all__ = ["node_page"]

_API_PATHS = {"person": "/persons/{}", "event": "/events/{}", "organization": "/organizations/{}"}

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}
h1{font-size:1.6em;margin-bottom:.1em} .iri{color:#666;font-size:.9em;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:1em 0} td,th{border-top:1px solid #ddd;padding:.3em .5em;
vertical-align:top;text-align:left} th{width:14em;font-weight:600;color:#444} .lang,.dt{color:#888;font-size:.85em}
a{color:#0645ad;text-decoration:none} a:hover{text-decoration:underline} .note{color:#666}
"""


def _local(iri: str) -> str | None:
    ln = iris.local_name(iri)
    return f"/id/{ln[0]}/{ln[1]}" if ln else None


def _link(ref: Ref | None, iri: str) -> str:
    href = _local(iri) or iri
    text = ref.label if ref is not None else iri
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def _value(s: Statement) -> str:
    if s.kind == "literal":
        extra = ""
        if s.language:
            extra = f' <span class="lang">@{escape(s.language)}</span>'
        elif s.datatype:
            extra = f' <span class="dt">{escape(s.datatype.rsplit("#", 1)[-1])}</span>'
        text = escape(s.value).replace("\n", "<br>")
        return text + extra
    if s.kind == "bnode":
        return f"_:{escape(s.value)}"
    return _link(s.node, s.value)


def node_page(d: NodeDescription) -> str:
    """The HTML page for a node.

    >>> from graph.examples import example_store
    >>> from graph.analyses.resources import describe
    >>> page = node_page(describe(example_store(), "person", "wang-yi"))
    >>> "<script" in page, "<h1>Wang Yi</h1>" in page, 'href="/id/event/r-20200414-call"' in page
    (False, True, True)
    """
    ref = d.ref
    title = ref.label if ref else d.iri
    parts = [f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>",
             f"<meta name=\"viewport\" content=\"width=device-width\"><style>{_STYLE}</style></head><body>",
             f"<h1>{escape(title)}</h1>", f'<div class="iri">{escape(d.iri)}</div>']
    if ref and ref.labels:
        parts.append("<p>" + " · ".join(f'{escape(v)} <span class="lang">{escape(k)}</span>'
                                        for k, v in sorted(ref.labels.items())) + "</p>")
    links = []
    if ref and ref.kind in _API_PATHS:
        links.append(f'<a href="{escape(_API_PATHS[ref.kind].format(ref.id))}">JSON</a>')
    links += [f'<a href="{escape(_local(d.iri) or d.iri)}?format={f}">{name}</a>'
              for f, name in (("turtle", "Turtle"), ("nt", "N-Triples"), ("jsonld", "JSON-LD"))]
    parts.append('<p class="note">Also as ' + ", ".join(links) + "</p>")
    parts.append("<h2>Statements</h2><table>")
    for s in d.outgoing:
        parts.append(f'<tr><th><a href="{escape(s.predicate)}">{escape(s.predicate_label)}</a></th>'
                     f"<td>{_value(s)}</td></tr>")
    parts.append("</table>")
    if d.incoming:
        parts.append(f"<h2>Pointing here ({d.incoming_total})</h2><table>")
        for s in d.incoming:
            parts.append(f'<tr><th><a href="{escape(s.predicate)}">{escape(s.predicate_label)}</a></th>'
                         f"<td>{_value(s)}</td></tr>")
        parts.append("</table>")
        if d.incoming_total > len(d.incoming):
            parts.append(f'<p class="note">{d.incoming_total - len(d.incoming)} more not shown; '
                         f'ask <a href="/sparql">/sparql</a> for all of them.</p>')
    parts.append("</body></html>")
    return "".join(parts)
