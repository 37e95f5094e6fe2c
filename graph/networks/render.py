"""Networks as pages to look at: PyVis (vis-network) views that need nothing from the
internet.

``render`` turns a graph of ``graph.networks.graphs`` into one HTML page: laid out on the
server (``graph.networks.layout``: no physics, fitted to the window at once, labels that
do not overlap), colour and shape by node group (states by their role) with a legend,
size by centrality, tooltips with the names in Chinese and English, dates and the
evidence passage, the filters of a served view (kept in its URL) and its downloads.
vis-network comes from the copy inside the pyvis package, written into the page or
served beside it (``asset``).

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

import importlib.util
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup
import networkx as nx

from urllib.parse import urlencode

from .graphs import GROUPS
from .layout import Picture, lay_out

__all__ = ["render", "asset", "script_json", "ASSETS", "STYLES", "ROLE_COLOURS", "Controls", "style_of",
           "legend_entries", "FONT"]

#: How each node group is drawn: (vis-network shape, colour).
STYLES: dict[str, tuple[str, str]] = {
    "organization": ("hexagon", "#7b3fa0"),
    "body": ("square", "#b58bd1"),
    "country": ("diamond", "#8d8a3a"),
    "event": ("triangle", "#f0a030"),
    "person-CN": ("dot", "#d7263d"),
    "person-RU": ("dot", "#1b61c9"),
    "person": ("dot", "#6b7785"),
}

#: States drawn by the role they hold in the view's organization (member, observer …).
ROLE_COLOURS: dict[str, str] = {
    "member": "#0d5c3a",
    "observer": "#52b5a6",
    "dialogue_partner": "#b7d968",
    "partner": "#c9b458",
}
ROLE_WORDS: dict[str, str] = {
    "member": "Member state",
    "observer": "Observer state",
    "dialogue_partner": "Dialogue partner",
    "partner": "Partner state",
}
#: The labels' font: one with wide metrics first, so the layout's width estimates hold.
FONT = "DejaVu Sans, Verdana, Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif"

#: Files a page may load from the service instead of carrying them: name → (path in the pyvis package, media type).
ASSETS: dict[str, tuple[str, str]] = {
    "vis-network.min.js": ("lib/vis-9.1.2/vis-network.min.js", "text/javascript"),
}

#: The network page's template, and ``head.html``: the head every HTML page of the
#: product opens with (the service's pages include it too).
TEMPLATES = jinja2.PackageLoader("graph.networks", "templates")

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
    # found without importing pyvis, which brings IPython with it (a service starts faster)
    return (Path(importlib.util.find_spec("pyvis").origin).parent / path).read_bytes()


@dataclass
class Controls:
    """The filters a served view offers, kept in its URL (a GET form to ``action``).

    ``since``/``until`` are what the date boxes show; ``kinds``/``roles``/``framework``
    what is ticked or chosen; the ``*_choices`` what can be (empty: not offered);
    ``hidden`` other parameters the form carries along (``depth``, ``size``)."""

    action: str
    since: str | None = None
    until: str | None = None
    span: bool = True
    period: tuple[str, str] | None = None
    kinds: list[str] = field(default_factory=list)
    kind_choices: list[tuple[str, str]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    role_choices: list[tuple[str, str]] = field(default_factory=list)
    framework: str | None = None
    framework_choices: list[tuple[str, str]] = field(default_factory=list)
    hidden: list[tuple[str, str]] = field(default_factory=list)

    def href(self, **change) -> str:
        """The view's URL with these parameters, the others as they are."""
        params = [("from", self.since or ""), ("to", self.until or "")]
        params += [("show", k) for k in self.kinds] if self.kind_choices else []
        params += [("role", r) for r in self.roles] if self.role_choices else []
        params += [("framework", self.framework)] if self.framework else []
        params += list(self.hidden)
        for key, value in change.items():
            key = {"since": "from", "until": "to"}.get(key, key)
            params = [(k, v) for k, v in params if k != key] + [(key, value or "")]
        return self.action + "?" + urlencode(params)


def render(G: nx.Graph, *, title: str | None = None, legend: bool = True, assets: str = "inline",
           links: bool = False, size_by: str = "degree", controls: Controls | None = None,
           exports: dict[str, str] | None = None, picture: Picture | None = None, file: str = "network") -> str:
    """One HTML page showing ``G`` laid out (``graph.networks.layout``), with everything
    it runs written into it (or loaded from this service).

    Parameters
    ----------
    G : networkx.Graph
        A graph with the node and edge attributes of ``graph.networks.graphs``.
    title : str, optional
        Default: ``G.graph["title"]``.
    legend : bool
        Show which colour and shape stands for which kind of node.
    assets : str
        ``"inline"`` to write vis-network into the page, or the URL path under which
        the service serves ``ASSETS`` (``"/static"``).
    links : bool
        Double-clicking a node opens its page on this service.
    size_by : {"degree", "betweenness"}
        The centrality that sizes the nodes.
    controls : Controls, optional
        The filters to offer (a served view); none in a file.
    exports : dict, optional
        URL of each download (``png``, ``svg``, ``graphml``, ``gexf``); without them the
        page offers a PNG of its canvas.
    picture : Picture, optional
        The layout, when already computed (``lay_out(G, size_by=size_by)``).
    file : str
        Name (without extension) of the PNG the page itself writes.

    Returns
    -------
    str
        A complete HTML document. Its vis-network instance is the global ``network``.

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
    """
    title = title or G.graph.get("title") or "Network"
    picture = picture or lay_out(G, size_by=size_by)
    from pyvis.network import Network

    net = Network(directed=False, cdn_resources="in_line", heading="")
    net.toggle_physics(False)
    ids = {n: f"n{i}" for i, n in enumerate(G)}
    meta_nodes = {}
    for n, d in G.nodes(data=True):
        shape, colour = style_of(d)
        p = picture.nodes[n]
        net.add_node(ids[n], label=p.label, title=_node_tooltip(d), shape=shape, x=p.x, y=p.y, size=p.size,
                     font={"size": p.font}, borderWidth=4 if n == G.graph.get("center") else 1.5,
                     color={"background": colour, "border": _darker(colour),
                            "highlight": {"background": colour, "border": "#111111"},
                            "hover": {"background": colour, "border": "#111111"}})
        meta_nodes[ids[n]] = {"level": p.level, "label": p.label, "font": p.font, "href": _href(d) if links else None}
    for i, (u, v, d) in enumerate(G.edges(data=True)):
        net.add_edge(ids[u], ids[v], id=f"e{i}", title=_edge_tooltip(G, u, v, d), value=d.get("weight", 1))
    vis_nodes, vis_edges, _, _, _, options = net.get_network_data()
    opts = json.loads(options)
    opts.update(
        physics={"enabled": False},
        nodes={"font": {"face": FONT, "strokeWidth": 3, "strokeColor": "#ffffff", "color": "#1f2933"},
               "scaling": {"label": {"enabled": False, "drawThreshold": 1}}},
        edges={"smooth": False, "color": {"color": "#aab4c0", "highlight": "#3b4552", "hover": "#3b4552"},
               "scaling": {"min": 1, "max": 6}, "selectionWidth": 1.5},
        interaction={"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": False, "dragNodes": True,
                     "keyboard": {"enabled": True, "bindToWindow": False}, "navigationButtons": False},
        layout={"improvedLayout": False, "randomSeed": 7},
    )
    for node in vis_nodes:
        node["font"] = {**node.get("font", {}), "face": FONT}
    data = {"nodes": vis_nodes, "edges": vis_edges, "options": opts, "nodeMeta": meta_nodes,
            "bbox": list(picture.bbox), "file": file}
    entries = [{"label": words, "shape": shape, "colour": colour} for words, shape, colour in legend_entries(G)]
    script = None if assets != "inline" else asset("vis-network.min.js").decode().replace("</script", "<\\/script")
    header = 84 if controls or legend else 48
    return _template().render(
        title=title, legend=entries if legend else None, controls=_controls_view(controls),
        nodes=G.number_of_nodes(), edges=G.number_of_edges(), size_by=size_by, links=links, exports=exports,
        header_height=header, vis_script=script,
        vis_src=None if script else f"{assets.rstrip('/')}/vis-network.min.js", data=script_json(data))


def _controls_view(c: Controls | None):
    if c is None:
        return None
    return {**c.__dict__, "period_href": c.href(since=c.period[0], until=c.period[1]) if c.period else None,
            "all_href": c.href(since="", until="")}


def style_of(d: dict) -> tuple[str, str]:
    """(vis-network shape, colour) of a node: by its group, a state by the role it
    holds in the view's organization.

    >>> style_of({"group": "country", "role": "observer"})
    ('diamond', '#52b5a6')
    """
    group = d.get("group") if d.get("group") in STYLES else "organization"
    shape, colour = STYLES[group]
    if d.get("role") in ROLE_COLOURS:
        colour = ROLE_COLOURS[d["role"]]
    return shape, colour


def legend_entries(G: nx.Graph) -> list[tuple[str, str, str]]:
    """(words, shape, colour) for each kind of node ``G`` holds, in legend order."""
    out = []
    present = {(d.get("group") if d.get("group") in STYLES else "organization", d.get("role"))
               for _, d in G.nodes(data=True)}
    for g, words in GROUPS.items():
        for role, role_words in (*ROLE_WORDS.items(), (None, None)):
            if (g, role) in present:
                shape, colour = style_of({"group": g, "role": role})
                out.append((role_words if role else words, shape, colour))
    return out


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=TEMPLATES, autoescape=True, keep_trailing_newline=True)
    return env.get_template("network.html")


def script_json(value) -> Markup:
    """JSON that can sit inside a ``<script>`` element whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return Markup(text)


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
    what = [ROLE_WORDS.get(d.get("role")) or GROUPS.get(d.get("group"), d.get("kind") or "")]
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
    if kind in ("person", "organization", "event", "agreement"):
        return f"/{kind}/{key}"
    return f"/id/{kind}/{key}"


def _darker(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.7) for c in (r, g, b)))
