"""Figures as answers: the trade, transport and investment statistics of the report, each
with what it measures in words an English reader understands, the period as printed and
as days, the unit, and the passage it was read from.

    >>> from graph.examples import example_store
    >>> find_figures(example_store())
    []
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ontology.rules import Rules

from ..errors import InvalidParameter
from ..sparql import named as sparql
from ..rdf import iris
from . import nodes
from .models import FigureRecord
from .nodes import per_generation

__all__ = ["find_figures", "measure_kinds", "parse_period"]

_RULES = Rules.load()
_KINDS = {m.key: m for m in _RULES.measures}


def measure_kinds() -> tuple[str, ...]:
    """What ``measure=`` accepts: every kind of measure and every group of kinds.

    >>> measure_kinds()[:4]
    ('exports', 'finance', 'freight', 'imports')
    """
    return tuple(sorted({m.key for m in _RULES.measures} | {m.group for m in _RULES.measures}))


_PERIOD = re.compile(r"^(?P<y>\d{4})(?:-(?:(?P<m>\d{2})|Q(?P<q>[1-4])|H(?P<h>[12])))?$")


def _bounds(text: str) -> tuple[dt.date, dt.date]:
    m = _PERIOD.match(text)
    if m:
        y = int(m["y"])
        a, b = (int(m["m"]),) * 2 if m["m"] else (3 * int(m["q"]) - 2, 3 * int(m["q"])) if m["q"] else \
            ((1, 6) if m["h"] == "1" else (7, 12)) if m["h"] else (1, 12)
        if not 1 <= a <= b <= 12:
            raise ValueError(text)
        return dt.date(y, a, 1), dt.date(y + (b == 12), b % 12 + 1, 1) - dt.timedelta(days=1)
    day = dt.date.fromisoformat(text)
    return day, day


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period written ``2020``, ``2020-06``, ``2020-Q3``,
    ``2020-H1``, ``2020-06-30`` or ``START/END`` (each any of those).

    >>> parse_period("2020-Q3")
    (datetime.date(2020, 7, 1), datetime.date(2020, 9, 30))
    >>> parse_period("2020-01/2020-09")
    (datetime.date(2020, 1, 1), datetime.date(2020, 9, 30))
    >>> parse_period("autumn")
    Traceback (most recent call last):
    ...
    graph.errors.InvalidParameter: period: 'autumn' is not a period (2020, 2020-06, 2020-Q3, 2020-H1, 2020-01-01/2020-09-30)
    """
    try:
        if "/" in text:
            a, _, b = text.partition("/")
            first, last = _bounds(a.strip())[0], _bounds(b.strip())[1]
        else:
            first, last = _bounds(text.strip())
    except ValueError:
        raise InvalidParameter("period", f"{text!r} is not a period (2020, 2020-06, 2020-Q3, 2020-H1, "
                                         "2020-01-01/2020-09-30)") from None
    if first > last:
        raise InvalidParameter("period", f"{text!r} ends before it begins")
    return first, last


def _label(kind: str, measure: str, flow, change: bool) -> str:
    m = _KINDS.get(kind)
    words = measure if m is None or m.key == "other" else m.en
    if flow:
        words += f", {flow[0].label} to {flow[1].label}"
    if change:
        words += " (change)"
    return words[:1].upper() + words[1:]


@per_generation
def _figures(store) -> tuple[FigureRecord, ...]:
    rows = sparql.select(store, "figures")
    linked = {r[k] for r in rows for k in ("from", "to", "passage", "event") if k in r}
    lf = nodes.facts(store, linked)
    refs = {iri: nodes.ref(iri, f) for iri, f in lf.items()}
    out: dict[str, FigureRecord] = {}
    for r in rows:
        iri = r["figure"].value
        if iri in out:
            continue
        kind = r["kind"].value if "kind" in r else "other"
        flow = (refs.get(r["from"].value), refs.get(r["to"].value)) if "from" in r and "to" in r else None
        change = sparql.py(r.get("change")) is True
        amount = r.get("amount")
        passage = r["passage"].value
        ln = iris.local_name(iri)
        out[iri] = FigureRecord(
            id=ln[1] if ln else iri, iri=iri, measure_label=_label(kind, r["measure"].value, flow, change),
            measure=r["measure"].value, kind=kind, group=_KINDS[kind].group if kind in _KINDS else "other",
            category=sparql.py(r.get("category")) or None, value=float(r["value"].value),
            unit_printed=sparql.py(r.get("unit_text")) or "", unit=sparql.py(r.get("unit")),
            amount=float(amount.value) if amount is not None else None, change=change,
            period=sparql.py(r.get("period")) or None, period_begin=sparql.py(r.get("begin")),
            period_end=sparql.py(r.get("end")), flow_from=flow[0] if flow else None,
            flow_to=flow[1] if flow else None, table=sparql.py(r.get("table")),
            event=refs.get(r["event"].value) if "event" in r else None,
            evidence=nodes.evidence(passage, lf[passage]) if passage in lf else None)
    return tuple(sorted(out.values(), key=lambda f: (f.period_begin is None, f.period_begin or dt.date.min,
                                                     f.period_end or dt.date.min, f.evidence.start if f.evidence
                                                     and f.evidence.start is not None else 0, f.id)))


def find_figures(store, *, measure: Sequence[str] = (), period: str | None = None,
                 change: bool | None = None) -> list[FigureRecord]:
    """The report's figures that meet every condition, by period.

    Parameters
    ----------
    store : GraphStore
    measure : sequence of str
        Kinds (``exports``, ``freight``, ``investment`` …) or groups of kinds (``trade``
        is trade turnover, exports and imports; ``transport``): any of them.
    period : str, optional
        Only figures whose period lies inside this one (``2020``, ``2020-06``,
        ``2020-Q3``, ``2020-H1``, ``START/END``); figures without dates are then left out.
    change : bool, optional
        True: growth rates only; False: levels only.

    Raises
    ------
    InvalidParameter
        For an unknown measure or a period that is not one.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> find_figures(example_store(), measure=["weather"])
    Traceback (most recent call last):
    ...
    graph.errors.InvalidParameter: measure: 'weather' is not a kind of measure
    """
    allowed = measure_kinds()
    for m in measure:
        if m not in allowed:
            raise InvalidParameter("measure", f"{m!r} is not a kind of measure", list(allowed))
    bounds = parse_period(period) if period else None
    out = []
    for f in _figures(store):
        if measure and f.kind not in measure and f.group not in measure:
            continue
        if change is not None and f.change != change:
            continue
        if bounds and not (f.period_begin and f.period_end and bounds[0] <= f.period_begin
                           and f.period_end <= bounds[1]):
            continue
        out.append(f)
    return out
