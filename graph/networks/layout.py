"""Where a view draws each node, how big, and which labels it shows, computed once on
the server: the page opens laid out (no physics to wait for), and the PNG and SVG
exports draw the same picture.

Positions come from networkx's spring layout (seeded, so the same graph is laid out
the same way), stretched to a canvas of ``WIDTH`` × ``HEIGHT`` units, the shape of the
view in a 1280×800 window. Node and font sizes grow with centrality. Labels are placed
below their nodes, the most central first; a label that would cover another label or
a node waits for zooming in: ``level`` is the zoom (relative to the opening one) from
which it shows, with labels kept at their opening size on screen as the view zooms in,
so each zoom step makes room for more. Level 1 labels are the opening view's, and no two
of them overlap. Label widths are estimated from the characters (wide for CJK), on the
wide side of common sans-serif fonts.

    >>> G = nx.Graph(center="a")
    >>> G.add_node("a", kind="organization", label="Shanghai Cooperation Organisation")
    >>> G.add_node("b", kind="country", label="China"); G.add_edge("a", "b")
    >>> p = lay_out(G)
    >>> sorted(p.nodes), p.nodes["a"].level, p.nodes["a"].size > p.nodes["b"].size - 1
    (['a', 'b'], 1.0, True)
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

import networkx as nx

__all__ = ["WIDTH", "HEIGHT", "LEVELS", "Placed", "Picture", "lay_out", "text_width", "short_label"]

#: The canvas the layout fills, in units that are pixels at the opening zoom of a
#: 1280×800 window (the view's network area less its margins).
WIDTH, HEIGHT = 1180.0, 600.0
#: Zooms (relative to the opening view) at which further labels may appear.
LEVELS: tuple[float, ...] = (1.0, 1.6, 2.5, 4.0, 6.4, 10.0)
#: Gap between a node and its label, and padding around a label, in canvas units (vis-network's own).
LABEL_GAP, LABEL_PAD = 3.0, 3.0
LINE_HEIGHT = 1.25
#: How far past the canvas an opening label may reach, in canvas units.
EDGE = 24.0
_LABEL_MAX = {"event": 14}
_LABEL_MAX_OTHER = 30
#: Kinds of node whose labels get room first, and how many of them.
_LANDMARKS, _CLEARED = ("organization", "country"), 12
_RANK = {"organization": 0, "country": 0, "person": 1, "event": 2}
_SIZES = {"degree": nx.degree_centrality, "betweenness": nx.betweenness_centrality}


@dataclass
class Placed:
    """One node as drawn: centre, radius, label text and font size (canvas units), and
    the zoom level from which its label shows (None: only on hover)."""

    x: float
    y: float
    size: float
    font: float
    label: str
    level: float | None
    centrality: float

    def label_box(self, zoom: float = 1.0) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the label at this zoom, in canvas units."""
        w = (text_width(self.label, self.font) + 2 * LABEL_PAD) / zoom
        h = (self.font * LINE_HEIGHT + LABEL_PAD) / zoom
        top = self.y + self.size + LABEL_GAP
        return self.x - w / 2, top, self.x + w / 2, top + h


@dataclass
class Picture:
    """A laid-out view: each node placed, and the box (nodes and opening labels) to fit."""

    nodes: dict = field(default_factory=dict)
    bbox: tuple[float, float, float, float] = (0.0, 0.0, WIDTH, HEIGHT)


def text_width(text: str, font: float) -> float:
    """Width of ``text`` at ``font`` units, on the wide side: CJK characters a full
    em, Latin letters a little more than DejaVu Sans gives them.

    >>> text_width("中国", 10), round(text_width("China", 10), 1)
    (20.0, 31.0)
    """
    w = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            w += 1.0
        elif ch in "mwMW@":
            w += 0.98
        elif ch in "iljtfI.,:;|!'’ ()[]":
            w += 0.42
        elif ch.isupper() or ch.isdigit():
            w += 0.76
        else:
            w += 0.64
    return w * font


def short_label(d: dict) -> str:
    """A node's label as drawn: its label (English, else Chinese), cut short for events
    and long names (the full names are in the tooltip).

    >>> short_label({"kind": "event", "label": "上海合作组织成员国外交部长理事会会议"})
    '上海合作组织成员国外交部长理…'
    """
    label = d.get("label") or d.get("id") or ""
    limit = _LABEL_MAX.get(d.get("kind"), _LABEL_MAX_OTHER) if not d.get("pinned") else 2 * _LABEL_MAX_OTHER
    return label if len(label) <= limit else label[:limit] + "…"


def lay_out(G: nx.Graph, *, size_by: str = "degree", seed: int = 7) -> Picture:
    """Positions, sizes and label levels for every node of ``G``.

    Raises
    ------
    ValueError
        For a ``size_by`` other than ``degree`` or ``betweenness``.
    """
    if size_by not in _SIZES:
        raise ValueError(f"size_by must be one of {', '.join(_SIZES)}, not {size_by!r}")
    if not len(G):
        return Picture()
    centrality = _SIZES[size_by](G) if len(G) > 1 else {n: 1.0 for n in G}
    top = max(centrality.values(), default=0) or 1
    rel = {n: math.sqrt(centrality.get(n, 0) / top) for n in G}
    center = G.graph.get("center")
    if center in rel:
        rel[center] = 1.0
    pos = _positions(G, seed)
    placed = {}
    for n, d in G.nodes(data=True):
        event = d.get("kind") == "event"
        size = (6 + 8 * rel[n]) if event else (8 + 20 * rel[n])
        font = 11.0 if event else round(12 + 6 * rel[n], 1)
        placed[n] = Placed(x=pos[n][0], y=pos[n][1], size=round(size, 1), font=font, label=short_label(d),
                           level=None, centrality=round(centrality.get(n, 0.0), 6))
    order = _priority(G, placed, center)
    _clear_label_space(G, placed, [n for n in order if G.nodes[n].get("kind") in _LANDMARKS][:_CLEARED])
    _place_labels(G, placed, order, center)
    boxes = [(p.x - p.size, p.y - p.size, p.x + p.size, p.y + p.size) for p in placed.values()]
    boxes += [p.label_box() for p in placed.values() if p.level == 1]
    bbox = tuple(round(f(b[i] for b in boxes), 1) for f, i in ((min, 0), (min, 1), (max, 2), (max, 3)))
    return Picture(nodes=placed, bbox=bbox)


def _positions(G: nx.Graph, seed: int) -> dict:
    """Spring layout stretched to the canvas, nodes pushed apart where they touch."""
    import numpy as np

    n = len(G)
    if n == 1:
        return {next(iter(G)): (WIDTH / 2, HEIGHT / 2)}
    # The same graph is laid out the same way whatever order its rows came in.
    nodes = sorted(G)
    H = nx.Graph()
    H.add_nodes_from(nodes)
    H.add_weighted_edges_from(sorted((*sorted((a, b)), d.get("weight", 1)) for a, b, d in G.edges(data=True)))
    raw = nx.spring_layout(H, k=1.6 / math.sqrt(n), iterations=120, seed=seed)
    xy = np.array([raw[m] for m in nodes], dtype=float)
    # Isolated nodes fly to the edge: bring everything within a few spreads of the median.
    med = np.median(xy, axis=0)
    spread = np.percentile(np.abs(xy - med), 90, axis=0) + 1e-9
    xy = med + np.clip(xy - med, -1.6 * spread, 1.6 * spread)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.where(hi - lo > 1e-9, hi - lo, 1.0)
    xy = (xy - lo) / span * np.array([WIDTH, HEIGHT])
    xy = _separate(xy, min_gap=22.0)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.where(hi - lo > 1e-9, hi - lo, 1.0)
    xy = (xy - lo) / span * np.array([WIDTH, HEIGHT])
    return {m: (round(float(x), 1), round(float(y), 1)) for m, (x, y) in zip(nodes, xy)}


def _separate(xy, *, min_gap: float, rounds: int = 30):
    """Pushes apart nodes closer than ``min_gap`` (a few rounds; vectorized)."""
    import numpy as np

    for _ in range(rounds):
        d = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((d ** 2).sum(-1)) + np.eye(len(xy)) * 1e9
        close = dist < min_gap
        if not close.any():
            break
        push = np.where(close, (min_gap - dist) / np.maximum(dist, 1e-6) / 2, 0.0)
        xy = xy + (d * push[:, :, None]).sum(axis=1)
    return xy


def _priority(G: nx.Graph, placed: dict, center) -> list:
    """The order labels are placed in: the centre, then organizations and states, then
    people, then events, each the most central first."""
    return sorted(G, key=lambda n: (n != center, _RANK.get(G.nodes[n].get("kind"), 1), -placed[n].centrality,
                                    placed[n].label))


def _clear_label_space(G: nx.Graph, placed: dict, landmarks: list) -> None:
    """Moves aside, to the nearer side, any node sitting where a landmark's label goes,
    so that the organizations and states a view is about are named as it opens."""
    for n in landmarks:
        left, top, right, bottom = placed[n].label_box()
        for m, q in placed.items():
            if m == n or m in landmarks[:landmarks.index(n)]:
                continue
            if q.x + q.size > left and q.x - q.size < right and q.y + q.size > top and q.y - q.size < bottom:
                q.x = round(left - q.size - 1 if q.x < placed[n].x else right + q.size + 1, 1)


def _place_labels(G: nx.Graph, placed: dict, order: list, center) -> None:
    """Greedy, in ``order``: each label at the lowest level where it covers no label
    placed before it and no other node."""
    import numpy as np

    nodes = list(G)
    cx = np.array([placed[n].x for n in nodes])
    cy = np.array([placed[n].y for n in nodes])
    cr = np.array([placed[n].size for n in nodes])
    index = {n: i for i, n in enumerate(nodes)}
    boxes: list[tuple[float, float, float, float, float, float, float]] = []  # x, top, w, h, level
    for n in order:
        p = placed[n]
        if not p.label:
            continue
        w = text_width(p.label, p.font) + 2 * LABEL_PAD
        h = p.font * LINE_HEIGHT + LABEL_PAD
        top = p.y + p.size + LABEL_GAP
        others = np.ones(len(nodes), dtype=bool)
        others[index[n]] = False
        arr = np.array(boxes) if boxes else np.zeros((0, 5))
        for level in LEVELS:
            bw, bh = w / level, h / level
            left, right, bottom = p.x - bw / 2, p.x + bw / 2, top + bh
            # Other nodes: the box and each node's circle (as its square) must not meet.
            # The centre's label always shows: it names the view.
            hit = n != center and (others & (cx + cr > left) & (cx - cr < right) & (cy + cr > top)
                                   & (cy - cr < bottom)).any()
            # An opening label past the canvas would shrink the fitted view and every label with it.
            hit = hit or (n != center and level == 1.0 and (left < -EDGE or right > WIDTH + EDGE
                                                            or bottom > HEIGHT + EDGE))
            if not hit and len(arr):
                shown = arr[:, 4] <= level
                ow, oh = arr[:, 2] / level, arr[:, 3] / level
                ol, ot = arr[:, 0] - ow / 2, arr[:, 1]
                hit = (shown & (ol < right) & (ol + ow > left) & (ot < bottom) & (ot + oh > top)).any()
            if not hit:
                p.level = level
                boxes.append((p.x, top, w, h, level))
                break
