"""Profile pages (a person, an organization, an event, an agreement) and the timeline
view: HTML composed of panels, each filled by one analysis of ``graph/analyses``. The
pages are self-contained (styles inside, no scripts but a network view in a frame,
nothing loaded from elsewhere) and readable with a keyboard and a screen reader.

    >>> from graph.examples import example_store
    >>> page = person_page(example_store(), "wang-yi")
    >>> "<h1>Wang Yi</h1>" in page, "Top counterparts" in page, "https://" in page
    (True, True, False)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from html import escape

from api.pages import render
from graph.analyses import events as graph_events
from graph.analyses import organizations, profiles
from graph.analyses.models import Ref, TimelineItem
from graph.analyses.nodes import per_generation, resolve
from graph.networks.graphs import report_period

__all__ = ["person_page", "organization_page", "event_page", "agreement_page", "timeline_page", "month_chart"]

# States drawn in the colours the network views give their people; others from a
# palette readable on white, most frequent first.
_FIXED = {"CN": "#d7263d", "RU": "#1b61c9"}
_PALETTE = ["#2e9d5b", "#f0a030", "#7b3fa0", "#17a2b8", "#8d8a3a", "#e377c2", "#6b4f2a", "#4f6d7a", "#b5651d"]
_NONE = "#9aa5b1"


@dataclass
class Chart:
    svg: str
    legend: list[tuple[str, str]]
    words: str


def month_chart(items: list[TimelineItem], key, *, months: list[str] | None = None) -> Chart:
    """Events per month as stacked bars (an inline SVG), each coloured by ``key(item)``
    (a ``Ref`` of a state, or None).

    >>> from graph.analyses.models import Ref
    >>> kz = Ref(id="KZ", iri="x", label="Kazakhstan", kind="country")
    >>> item = TimelineItem(event=Ref(id="e", iri="e", label="会谈", kind="event"), month="2020-05")
    >>> c = month_chart([item, item], lambda i: kz, months=["2020-04", "2020-05"])
    >>> c.legend, c.svg.count("<rect"), c.words
    ([('Kazakhstan', '#2e9d5b')], 1, 'Events per month, 2020-04 to 2020-05: 2 events')
    """
    dated = [i for i in items if i.month]
    if months is None:
        ms = sorted({i.month for i in dated})
        months = _months(ms[0], ms[-1]) if ms else []
    keys = Counter((k.id, k.label) if (k := key(i)) else (None, "no counterpart") for i in dated)
    colours, n = {}, 0
    for (kid, label), _ in keys.most_common():
        if kid in _FIXED:
            colours[(kid, label)] = _FIXED[kid]
        elif kid is None:
            colours[(kid, label)] = _NONE
        else:
            colours[(kid, label)] = _PALETTE[n % len(_PALETTE)]
            n += 1
    per = {m: Counter() for m in months}
    for i in dated:
        if i.month in per:
            k = key(i)
            per[i.month][(k.id, k.label) if k else (None, "no counterpart")] += 1
    top = max((sum(c.values()) for c in per.values()), default=0) or 1
    width, height, bar_h, left = 900, 200, 160, 28
    step = (width - left) / max(len(months), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'font-family="system-ui,sans-serif" font-size="11">']
    parts.append(f'<text x="0" y="12" fill="#3e4c59">{top}</text><text x="0" y="{bar_h + 4}" fill="#3e4c59">0</text>')
    parts.append(f'<line x1="{left}" y1="{bar_h}" x2="{width}" y2="{bar_h}" stroke="#9aa5b1"/>')
    for i, month in enumerate(months):
        x = left + i * step + step * 0.12
        y = bar_h
        for k, count in sorted(per[month].items(), key=lambda kv: -kv[1]):
            h = count / top * (bar_h - 10)
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.76:.1f}" height="{h:.1f}" '
                         f'fill="{colours[k]}"><title>{escape(month)}: {count} · {escape(k[1])}</title></rect>')
        if len(months) <= 24 or i % 2 == 0:
            parts.append(f'<text x="{left + i * step + step / 2:.1f}" y="{bar_h + 16}" text-anchor="middle" '
                         f'fill="#3e4c59">{escape(month[2:] if len(months) > 12 else month)}</text>')
    parts.append("</svg>")
    total = sum(sum(c.values()) for c in per.values())
    words = f"Events per month, {months[0]} to {months[-1]}: {total} events" if months else "No dated events"
    return Chart("".join(parts), [(k[1], c) for k, c in colours.items()], words)


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _period_months(store, items: list[TimelineItem]) -> list[str]:
    """The report's months, widened to every dated item."""
    ms = sorted({i.month for i in items if i.month})
    period = report_period(store)
    if period:
        ms = sorted(set(ms) | {period[0].isoformat()[:7], period[1].isoformat()[:7]})
    return _months(ms[0], ms[-1]) if ms else []


@per_generation(maxsize=256)
def person_page(store, person: str) -> str:
    """A person's page: names in zh/en/ru, offices with dates, top counterparts, a
    timeline by month coloured by the counterpart's state, events by type, the person's
    network, and every event with the report's words and where they stand."""
    p = profiles.person_profile(store, person)
    chart = month_chart(p.timeline, lambda i: i.countries[0] if i.countries else None,
                        months=_period_months(store, p.timeline))
    return render("person.html", title=f"{p.person.label} · profile", profile=p, chart=chart)


@per_generation(maxsize=256)
def organization_page(store, organization: str) -> str:
    """An organization's page: names, members by role and date, bodies and offices, its
    events by month."""
    o = organizations.organization_detail(store, organization)
    items = [TimelineItem(event=e.event, date=e.date, month=e.date.isoformat()[:7] if e.date else None,
                          type=e.type) for e in o.events]
    chart = month_chart(items, lambda i: None, months=_period_months(store, items))
    return render("organization.html", title=f"{o.label} · profile", o=o, chart=chart)


@per_generation(maxsize=512)
def event_page(store, event: str) -> str:
    """An event's page: dates, type and form, who acted and how, places, frameworks, what
    it is about, and the passages it was read from."""
    e = graph_events.event_detail(store, event)
    return render("event.html", title=e.label, e=e)


@per_generation(maxsize=256)
def agreement_page(store, agreement: str) -> str:
    """An agreement's page: names, parties, the events that concluded or cited it with
    their passages."""
    node = resolve(store, "agreement", agreement)
    a = next(w for w in organizations.find_works(store, "agreement") if w.iri == node.value)
    details = [graph_events.event_detail(store, r.id) for r in a.events]
    items = sorted((TimelineItem(event=Ref(**d.model_dump(include={"id", "iri", "label"}), kind="event"),
                                 date=d.date, type=d.type, evidence=d.evidence) for d in details),
                   key=lambda t: (t.date or dt.date.min, t.event.id))
    return render("agreement.html", title=a.label, a=a, events=items)


def timeline_page(store, *, person: str | None = None, country: str | None = None, framework: str | None = None,
                  type: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                  frameworks: tuple[tuple[str, str], ...] = (), types: tuple[str, ...] = ()) -> str:
    """Who met whom over time, filtered by person, state, framework, type and period:
    meetings per month coloured by the counterparts' state, then each meeting with who
    met in it (kept per store generation, the last 256 asked)."""
    return _timeline_page(store, person, country, framework, type, since, until, tuple(frameworks), tuple(types))


@per_generation(maxsize=256)
def _timeline_page(store, person, country, framework, type, since, until, frameworks, types) -> str:
    items = profiles.timeline(store, person=person, country=country, framework=framework, type=type,
                              since=since, until=until)
    own = profiles.nationalities(store, [profiles.nodes.iri_of("person", person)]) if person else {}
    mine = next(iter(own.values()), None)

    def key(i: TimelineItem):
        others = [c for c in i.countries if mine is None or c.iri != mine.iri]
        if country:
            others = [c for c in others if c.id != country] or others
        return others[0] if others else (i.countries[0] if i.countries else None)

    months = _months(str(since)[:7], str(until)[:7]) if since and until else None
    chart = month_chart(items, key, months=months)
    title = "Who met whom, month by month"
    f = {"person": person, "country": country, "framework": framework, "type": type, "since": since, "until": until}
    return render("timeline.html", title=title, items=items, chart=chart, f=f, frameworks=frameworks, types=types)
