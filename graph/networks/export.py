"""A view as a file for Gephi or a slide: GraphML and GEXF (every node and edge of the
view, with names, kinds, roles, dates and the layout's positions), SVG and PNG (the
view's picture drawn from the server's layout, no browser needed).

    >>> G = nx.Graph(title="Two ministers")
    >>> G.add_node("a", kind="person", id="wang-yi", label="Wang Yi", label_zh="王毅", group="person-CN", dates=[])
    >>> G.add_node("b", kind="person", id="sergey-lavrov", label="Sergey Lavrov", group="person-RU", dates=[])
    >>> G.add_edge("a", "b", relation="met", dates=[("2020-04-14", "2020-04-14")], weight=1)
    >>> H = nx.read_graphml(io.BytesIO(write(G, "graphml")))
    >>> (len(H), H.number_of_edges(), H.nodes["a"]["label_zh"], H.edges["a", "b"]["dates"])
    (2, 1, '王毅', '2020-04-14/2020-04-14')
    >>> write(G, "svg").startswith(b"<?xml")
    True
"""

from __future__ import annotations

import io
import json
from functools import lru_cache

import networkx as nx

from .layout import HEIGHT, WIDTH, Picture, lay_out
from .render import FONT, _darker, legend_entries, style_of

__all__ = ["FORMATS", "MEDIA_TYPES", "write", "extension_format"]

#: What ``write`` makes, with the file extension each one takes.
FORMATS: dict[str, str] = {"html": ".html", "png": ".png", "svg": ".svg", "graphml": ".graphml", "gexf": ".gexf"}
MEDIA_TYPES: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml", "graphml": "application/graphml+xml",
                               "gexf": "application/gexf+xml", "html": "text/html; charset=utf-8"}
_MARKERS = {"dot": "o", "square": "s", "diamond": "D", "triangle": "^", "hexagon": "h"}


def extension_format(name: str) -> str | None:
    """The format a file name's extension stands for, or None.

    >>> extension_format("sco.PNG"), extension_format("sco.graphml"), extension_format("sco.txt")
    ('png', 'graphml', None)
    """
    lowered = name.lower()
    return next((f for f, ext in FORMATS.items() if lowered.endswith(ext)), None)


def write(G: nx.Graph, fmt: str, *, picture: Picture | None = None, size_by: str = "degree",
          title: str | None = None) -> bytes:
    """The view ``G`` as ``fmt`` (``graphml``, ``gexf``, ``svg`` or ``png``).

    Raises
    ------
    ValueError
        For another format.
    """
    if fmt in ("graphml", "gexf"):
        picture = picture or lay_out(G, size_by=size_by)
        H = _flat(G, picture, gexf=fmt == "gexf")
        buf = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(H, buf)
        return buf.getvalue()
    if fmt in ("svg", "png"):
        return _draw(G, picture or lay_out(G, size_by=size_by), fmt, title or G.graph.get("title") or "Network")
    raise ValueError(f"format must be one of graphml, gexf, svg, png, not {fmt!r}")


def _scalar(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, (list, tuple)) and len(v) in (2, 3) for v in value) \
            and all(all(x is None or isinstance(x, str) for x in v) for v in value):
        # Spans (and role spans): "begin/end" (with the role first), several separated by "; ".
        return "; ".join("/".join(x or "" for x in v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _flat(G: nx.Graph, picture: Picture, *, gexf: bool) -> nx.Graph:
    """A copy of ``G`` whose attributes are strings and numbers (what GraphML and GEXF
    hold), with each node's position, size and colour."""
    H = nx.Graph()
    H.graph.update({k: _scalar(v) for k, v in G.graph.items() if _scalar(v) is not None})
    for n, d in G.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in d.items()}
        attrs = {k: v for k, v in attrs.items() if v is not None and v != ""}
        # GEXF takes an "id" attribute for the node's own id: the IRI stays the id, the local name is "key".
        if "id" in attrs:
            attrs["key"] = attrs.pop("id")
        p = picture.nodes[n]
        shape, colour = style_of(d)
        attrs.update(x=p.x, y=p.y, size=p.size, colour=colour)
        if gexf:
            r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
            attrs["viz"] = {"position": {"x": p.x, "y": -p.y, "z": 0.0}, "size": p.size,
                            "color": {"r": r, "g": g, "b": b, "a": 1.0}}
        H.add_node(n, **attrs)
    for u, v, d in G.edges(data=True):
        attrs = {k: _scalar(v) for k, v in d.items()}
        H.add_edge(u, v, **{k: v for k, v in attrs.items() if v is not None and v != ""})
    return H


@lru_cache(maxsize=1)
def _fonts() -> list[str]:
    """The font families to draw with: the view's own where installed, CJK ones after
    Latin ones so Chinese names draw too."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    wanted = [f.strip() for f in FONT.split(",")]
    return [f for f in wanted if f in installed] + ["sans-serif"]


def _draw(G: nx.Graph, picture: Picture, fmt: str, title: str) -> bytes:
    """The picture with matplotlib (its Agg and SVG backends, no display): edges, nodes
    by shape and colour, the opening labels, a title and a legend."""
    import logging

    import matplotlib

    # A CJK font installed in one weight only is a fine fallback: no need to say so per label.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    pad = 30.0
    if picture.nodes:
        x0, y0, x1, y1 = picture.bbox
    else:
        x0, y0, x1, y1 = 0.0, 0.0, WIDTH, HEIGHT
    w, h = x1 - x0 + 2 * pad, y1 - y0 + 2 * pad + 40
    dpi = 100
    fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi, facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y1 + pad, y0 - pad - 40)  # canvas y grows downwards, as in the page
    ax.set_axis_off()
    fonts = _fonts()
    pt = 72 / dpi  # canvas units are pixels at this dpi
    for u, v, d in G.edges(data=True):
        a, b = picture.nodes[u], picture.nodes[v]
        ax.add_line(Line2D([a.x, b.x], [a.y, b.y], color="#aab4c0", zorder=1,
                           linewidth=min(0.8 + 0.6 * (d.get("weight") or 1) ** 0.5, 4) * pt))
    by_marker: dict[tuple[str, str], list] = {}
    for n, d in G.nodes(data=True):
        shape, colour = style_of(d)
        by_marker.setdefault((_MARKERS.get(shape, "o"), colour), []).append(picture.nodes[n])
    for (marker, colour), ps in by_marker.items():
        # scatter sizes are areas in points²; a node's size is its radius in canvas units.
        ax.scatter([p.x for p in ps], [p.y for p in ps], s=[(2 * p.size * pt) ** 2 for p in ps], marker=marker,
                   c=colour, edgecolors=_darker(colour), linewidths=1.2 * pt, zorder=2)
    for n, p in picture.nodes.items():
        if p.level == 1 and p.label:
            ax.text(p.x, p.y + p.size + 3, p.label, ha="center", va="top", fontsize=p.font * pt, family=fonts,
                    color="#1f2933", zorder=3, bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none",
                                                     "alpha": 0.75})
    ax.text(x0 - pad + 10, y0 - pad - 30, title, ha="left", va="top", fontsize=16 * pt, family=fonts,
            weight="bold", color="#1f2933")
    handles = [Line2D([], [], linestyle="none", marker=_MARKERS.get(shape, "o"), markersize=9 * pt * 1.4,
                      markerfacecolor=colour, markeredgecolor=_darker(colour), label=words)
               for words, shape, colour in legend_entries(G)]
    if handles:
        ax.legend(handles=handles, loc="lower left", frameon=True, fontsize=11 * pt * 1.2,
                  prop={"family": fonts, "size": 12 * pt})
    buf = io.BytesIO()
    # SVG keeps its text as text (searchable, editable on a slide, and quick to write).
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "kg"}):
        fig.savefig(buf, format=fmt, dpi=dpi, facecolor="white", metadata=_metadata(fmt, title))
    return buf.getvalue()


def _metadata(fmt: str, title: str) -> dict:
    # No dates in the files, so the same view writes the same bytes.
    return {"Title": title, "Date": None} if fmt == "svg" else {"Title": title, "Software": None}

