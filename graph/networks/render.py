"""Networks as pages to look at: PyVis (vis-network) views that need nothing from the
internet.

``render`` turns a graph of ``graph.networks.graphs`` into one HTML page: colour and shape by
node group with a legend, size by centrality, tooltips with the names in Chinese and
English, dates and the evidence passage, a date-range filter, and physics that settles
the layout and then stops. vis-network comes from the copy inside the pyvis package,
written into the page or served beside it (``asset``).

    >>> import networkx as nx
    >>> G = nx.Graph(title="Two ministers")
    >>> G.add_node("a", kind="person", label="Wang Yi", label_zh="王毅", group="person-CN", dates=[])
    >>> G.add_node("b", kind="person", label="Sergey Lavrov", label_zh="拉夫罗夫", group="person-RU", dates=[])
    >>> G.add_edge("a", "b", relation="met", dates=[("2020-04-14", "2020-04-14")])
    >>> page = render(G)
    >>> "<title>Two ministers</title>" in page, "https://" in page.split("<script>")[0], "Person (China)" in page
    (True, False, True)
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup
import networkx as nx
import pyvis
from pyvis.network import Network

from .graphs import GROUPS, date_range

__all__ = ["render", "asset", "script_json", "ASSETS", "STYLES"]

#: How each node group is drawn: (vis-network shape, colour).
STYLES: dict[str, tuple[str, str]] = {
    "organization": ("hexagon", "#7b3fa0"),
    "body": ("square", "#b58bd1"),
    "country": ("diamond", "#2e9d5b"),
    "event": ("triangle", "#f0a030"),
    "person-CN": ("dot", "#d7263d"),
    "person-RU": ("dot", "#1b61c9"),
    "person": ("dot", "#6b7785"),
}

#: Files a page may load from the service instead of carrying them: name → (path in the pyvis package, media type).
ASSETS: dict[str, tuple[str, str]] = {
    "vis-network.min.js": ("lib/vis-9.1.2/vis-network.min.js", "text/javascript"),
}

_SIZES = {"degree": nx.degree_centrality, "betweenness": nx.betweenness_centrality}
_LABEL_MAX = {"event": 14}
# Events outnumber everything else: their labels appear once the view is zoomed in.
_QUIET_KINDS = {"event"}
_QUIET = {"scaling": {"label": {"enabled": True, "min": 9, "max": 12, "maxVisible": 24, "drawThreshold": 10}}}
_EVIDENCE_MAX = 360
_MEETINGS_SHOWN = 4


def asset(name: str) -> bytes:
    """The bytes of one of ``ASSETS`` (``KeyError`` for any other name).

    >>> asset("vis-network.min.js")[:40].decode().split()[:2]
    ['/**', '*']
    """
    path, _ = ASSETS[name]
    return _pyvis_file(path)


@lru_cache(maxsize=None)
def _pyvis_file(path: str) -> bytes:
    return (Path(pyvis.__file__).parent / path).read_bytes()


def render(G: nx.Graph, *, title: str | None = None, legend: bool = True, date_filter: bool = True,
           assets: str = "inline", links: bool = False, size_by: str = "degree",
           since: str | None = None, until: str | None = None) -> str:
    """One HTML page showing ``G``, with everything it runs written into it (or loaded
    from this service).

    Parameters
    ----------
    G : networkx.Graph
        A graph with the node and edge attributes of ``graph.networks.graphs``.
    title : str, optional
        Default: ``G.graph["title"]``.
    legend : bool
        Show which colour and shape stands for which kind of node.
    date_filter : bool
        Show the date-range filter (when anything in ``G`` has dates).
    assets : str
        ``"inline"`` to write vis-network into the page, or the URL path under which
        the service serves ``ASSETS`` (``"/static"``).
    links : bool
        Double-clicking a node opens its page on this service (its network for persons
        and organizations).
    size_by : {"degree", "betweenness"}
        The centrality that sizes the nodes.
    since, until : str, optional
        ISO days the date filter starts with (default: every date in ``G``).

    Returns
    -------
    str
        A complete HTML document.

    Raises
    ------
    ValueError
        For another ``size_by``.

    Examples
    --------
    >>> G = nx.Graph(); G.add_node("x", kind="country", label="China", group="country", dates=[])
    >>> page = render(G, title="One", assets="/static", legend=False)
    >>> '<script src="/static/vis-network.min.js"></script>' in page, 'class="legend"' in page
    (True, False)

    Notes
    -----
    The date filter hides what ``graph.networks.graphs.restrict`` would leave out, by the
    same rule, in the page itself.
    """
    if size_by not in _SIZES:
        raise ValueError(f"size_by must be one of {', '.join(_SIZES)}, not {size_by!r}")
    title = title or G.graph.get("title") or "Network"
    centrality = _SIZES[size_by](G) if len(G) else {}
    top = max(centrality.values(), default=0) or 1

    net = Network(directed=False, cdn_resources="in_line", heading="")
    net.force_atlas_2based(gravity=-60, central_gravity=0.02, spring_length=90, spring_strength=0.06,
                           damping=0.5, overlap=0.6)
    net.toggle_stabilization(True)
    ids = {n: f"n{i}" for i, n in enumerate(G)}
    meta_nodes, meta_edges = {}, {}
    for n, d in G.nodes(data=True):
        group = d.get("group") if d.get("group") in STYLES else "organization"
        shape, colour = STYLES[group]
        extra = dict(_QUIET) if d.get("kind") in _QUIET_KINDS else {}
        if n == G.graph.get("center"):
            extra["borderWidth"] = 4
        net.add_node(ids[n], label=_short(d), title=_node_tooltip(d), shape=shape, **extra,
                     color={"background": colour, "border": _darker(colour),
                            "highlight": {"background": colour, "border": "#111111"},
                            "hover": {"background": colour, "border": "#111111"}},
                     value=round(1 + 99 * math.sqrt(centrality.get(n, 0) / top), 2))
        meta_nodes[ids[n]] = {"dates": [list(s) for s in d.get("dates") or ()], "pinned": bool(d.get("pinned")),
                              "href": _href(d) if links else None}
    for i, (u, v, d) in enumerate(G.edges(data=True)):
        eid = f"e{i}"
        net.add_edge(ids[u], ids[v], id=eid, title=_edge_tooltip(G, u, v, d), value=d.get("weight", 1))
        meta_edges[eid] = [list(s) for s in d.get("dates") or ()]
    vis_nodes, vis_edges, _, _, _, options = net.get_network_data()
    opts = json.loads(options)
    opts["physics"]["stabilization"].update(iterations=400, updateInterval=25, fit=True)
    opts["physics"]["minVelocity"] = 1.0
    opts.update(
        nodes={"font": {"size": 15, "face": "system-ui, sans-serif", "strokeWidth": 4, "strokeColor": "#ffffff"},
               "scaling": {"min": 8, "max": 36,
                           "label": {"enabled": True, "min": 14, "max": 30, "maxVisible": 30, "drawThreshold": 10}},
               "borderWidth": 1.5, "widthConstraint": {"maximum": 260}},
        edges={"smooth": False, "color": {"color": "#b7bfca", "highlight": "#3b4552", "hover": "#3b4552"},
               "scaling": {"min": 1, "max": 6}, "selectionWidth": 1.5},
        interaction={"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": False, "dragNodes": True},
        layout={"randomSeed": 7, "improvedLayout": len(G) <= 120},
    )
    span = date_range(G)
    data = {"nodes": vis_nodes, "edges": vis_edges, "options": opts, "nodeMeta": meta_nodes, "edgeMeta": meta_edges,
            "range": list(span) if span else None}
    present = {d.get("group") if d.get("group") in STYLES else "organization" for _, d in G.nodes(data=True)}
    entries = [{"label": words, "shape": STYLES[g][0], "colour": STYLES[g][1]} for g, words in GROUPS.items()
               if g in present]
    script = None if assets != "inline" else asset("vis-network.min.js").decode().replace("</script", "<\\/script")
    return _template().render(
        title=title, legend=entries if legend else None, date_filter=bool(date_filter and span), span=span,
        since=since or (span[0] if span else None), until=until or (span[1] if span else None),
        nodes=G.number_of_nodes(), edges=G.number_of_edges(), size_by=size_by, links=links,
        vis_script=script, vis_src=None if script else f"{assets.rstrip('/')}/vis-network.min.js",
        data=script_json(data))


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    text = resources.files("graph.networks").joinpath("templates", "network.html").read_text(encoding="utf-8")
    return env.from_string(text)


def script_json(value) -> Markup:
    """JSON that can sit inside a ``<script>`` element whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return Markup(text)


def _short(d: dict) -> str:
    label = d.get("label") or d.get("id") or ""
    limit = _LABEL_MAX.get(d.get("kind"))
    return label if limit is None or len(label) <= limit else label[:limit] + "…"


def _names(d: dict) -> str:
    names = [x for x in (d.get("label_zh"), d.get("label_en")) if x]
    names = list(dict.fromkeys(names)) or [d.get("label") or d.get("id") or ""]
    return " · ".join(names)


def _days(span) -> str:
    begin, end = span
    if begin and end:
        return begin if begin == end else f"{begin} – {end}"
    if begin:
        return f"since {begin}"
    return f"until {end}" if end else ""


def _clip(text: str, limit: int = _EVIDENCE_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _node_tooltip(d: dict) -> str:
    lines = [_names(d)]
    what = [GROUPS.get(d.get("group"), d.get("kind") or "")]
    if d.get("type"):
        what.append(d["type"])
    what += [_days(s) for s in d.get("dates") or ()]
    lines.append(" · ".join(w for w in what if w))
    if d.get("evidence"):
        lines.append("“" + _clip(d["evidence"]) + "”")
    return "\n".join(lines)


def _edge_tooltip(G: nx.Graph, u, v, d: dict) -> str:
    a, b = G.nodes[u].get("label") or u, G.nodes[v].get("label") or v
    if d.get("meetings"):
        ms = d["meetings"]
        lines = [f"{a} – {b}: met in {len(ms)} event{'s' if len(ms) != 1 else ''}"]
        for m in ms[:_MEETINGS_SHOWN]:
            lines.append(f"{_days((m['date'], m['end']))} · {m['label']}")
            if m.get("evidence"):
                lines.append("  “" + _clip(m["evidence"], 140) + "”")
        if len(ms) > _MEETINGS_SHOWN:
            lines.append(f"… and {len(ms) - _MEETINGS_SHOWN} more")
        return "\n".join(lines)
    if d.get("roles"):
        return "\n".join([f"{a} – {b}"] + [f"{role}: {_days((s, e))}" for role, s, e in d["roles"]])
    words = [d.get("relation") or ""] + [_days(s) for s in d.get("dates") or ()][:3]
    return f"{a} – {b}\n" + " · ".join(w for w in words if w)


def _href(d: dict) -> str | None:
    kind, key = d.get("kind"), d.get("id")
    if not kind or not key:
        return None
    if kind == "person":
        return f"/viz/person/{key}"
    if kind == "organization":
        return f"/viz/organization/{key}"
    return f"/id/{kind}/{key}"


def _darker(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.7) for c in (r, g, b)))
