"""Networks to look at: an organization's (the SCO's, the BRICS's), a person's circle,
and who met whom, as networkx graphs built from the store.

Nodes are keyed by IRI and carry ``kind`` (person, organization, country, event,
framework), ``id`` (the local name), ``label``, ``label_zh``, ``label_en``, ``group``
(what a view colours them by, one of ``GROUPS``), ``dates`` (the ISO ``(begin, end)``
spans a node stands for; empty for one without dates of its own), ``evidence`` (the
report passage it was read from) and ``pinned`` (shown whatever the date range).
Edges carry ``relation`` and ``dates``; who-met-whom edges also ``weight`` (events)
and ``meetings``; membership edges ``roles`` (role label, start, end) and ``role_ids``.

``shape`` turns a built network into what a view shows: the days asked for (by default
the report's period, ``report_period``), the members by the role they held then
(``role`` on the member's node: ``member``, ``observer``, ``dialogue_partner`` …), the
kinds of node asked for; without events, each person or state is linked straight to
the bodies whose events they acted in.

    >>> from graph.examples import example_store
    >>> G = person_network(example_store(), "wang-yi")
    >>> sorted((G.nodes[n]["label"], G.nodes[n]["label_zh"]) for n in G)
    [('Sergey Lavrov', '拉夫罗夫'), ('Wang Yi', '王毅')]
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict

import networkx as nx
import pyoxigraph as ox

from ontology.vocab import ORG, PROV, SCHEMA, SEM

from ..analyses import agreements, dates, meetings, nodes
from ..errors import InvalidParameter
from ..rdf import iris
from ..sparql import named as sparql

__all__ = ["GROUPS", "KINDS", "organization_network", "framework_network", "sco_network", "brics_network",
           "person_network", "met_network", "restrict", "date_range", "shape", "roles_in_effect", "members",
           "report_period", "membership_roles"]

#: What views colour nodes by, in legend order, with the legend's words.
GROUPS: dict[str, str] = {
    "organization": "Organization",
    "body": "Body of the organization",
    "country": "Country",
    "event": "Event",
    "person-CN": "Person (China)",
    "person-RU": "Person (Russia)",
    "person": "Person (other)",
}

#: The kinds of node a view can show or leave out.
KINDS: tuple[str, ...] = ("organization", "country", "person", "event")

Span = tuple[str | None, str | None]


def organization_network(store, organization: str, *, since: dt.date | None = None,
                         until: dt.date | None = None) -> nx.Graph:
    """An organization's network: the bodies inside it, what it is part of, its
    members (with their roles and dates), the events it or its bodies hold or act in,
    and the persons and countries acting in those events.

    Parameters
    ----------
    store : GraphStore
    organization : str
        Id of an organization (``sco``, ``un``, ``cn-mfa`` …).
    since, until : datetime.date, optional
        Keep only what meets these days (both inclusive); see ``restrict``.

    Returns
    -------
    networkx.Graph
        ``G.graph["center"]`` is the organization's IRI, ``G.graph["title"]`` a title.

    Raises
    ------
    UnknownId
        For an id the graph does not have (with close matches).
    InvalidParameter
        For ``since`` after ``until``.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> organization_network(example_store(), "sco")
    Traceback (most recent call last):
    ...
    graph.errors.UnknownId: no organization with id 'sco'

    See Also
    --------
    framework_network : the same, named by a framework id or code.
    """
    dates.check_range(since, until)
    return restrict(_organization_graph(store, nodes.resolve(store, "organization", organization)), since, until)


def framework_network(store, framework: str, *, since: dt.date | None = None,
                      until: dt.date | None = None) -> nx.Graph:
    """The network of a framework named by id or code (``sco``, ``BRICS``, ``RIC``): as
    ``organization_network``, for a framework that is no organization too.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> framework_network(example_store(), "BRICS")
    Traceback (most recent call last):
    ...
    graph.errors.UnknownId: no framework with id 'BRICS'
    """
    dates.check_range(since, until)
    return restrict(_organization_graph(store, nodes.resolve_framework(store, framework)), since, until)


def sco_network(store, *, since: dt.date | None = None, until: dt.date | None = None) -> nx.Graph:
    """The SCO network: member states, bodies, the events under the SCO and the people
    who took part (``framework_network(store, "sco")``)."""
    return framework_network(store, "sco", since=since, until=until)


def brics_network(store, *, since: dt.date | None = None, until: dt.date | None = None) -> nx.Graph:
    """The BRICS network (``framework_network(store, "brics")``)."""
    return framework_network(store, "brics", since=since, until=until)


def met_network(store, *, since: dt.date | None = None, until: dt.date | None = None,
                framework: str | None = None) -> nx.Graph:
    """Who met whom (the contract's definition, ``meetings.who_met_whom``) as a graph of
    persons: one edge per pair, ``weight`` the number of events they met in.

    Parameters
    ----------
    store : GraphStore
    since, until : datetime.date, optional
        Only meetings in events that overlap these days (both inclusive).
    framework : str, optional
        Only meetings in events held in this framework (id or code: ``sco``, ``RIC``).

    Returns
    -------
    networkx.Graph
        Edge ``meetings``: one dict per event (``event``, ``label``, ``date``,
        ``end``, ``type``, ``form``, ``evidence``), by date.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> G = met_network(example_store())
    >>> [(d["weight"], d["dates"], d["meetings"][0]["label"]) for _, _, d in G.edges(data=True)]
    [(1, [('2020-04-14', '2020-04-14')], '中俄外长通电话')]
    >>> len(met_network(example_store(), since=dt.date(2021, 1, 1)))
    0
    """
    G = _met_graph(store, meetings.who_met_whom(store, since=since, until=until, framework=framework))
    G.graph["title"] = "Who met whom" + _framework_words(store, framework) + _range_words(since, until)
    return G


def person_network(store, person: str, *, depth: int = 1, since: dt.date | None = None,
                   until: dt.date | None = None, framework: str | None = None) -> nx.Graph:
    """A person's circle: whom they met (``depth=1``), and whom those met (``depth=2``),
    with every who-met-whom edge among them.

    Parameters
    ----------
    store : GraphStore
    person : str
        Id of a person (``wang-yi``).
    depth : {1, 2}
    since, until : datetime.date, optional
        Only meetings in events that overlap these days (both inclusive).
    framework : str, optional
        Only meetings in events held in this framework.

    Returns
    -------
    networkx.Graph
        The person is ``G.graph["center"]`` and ``pinned``; alone when they met no one.

    Raises
    ------
    UnknownId
        For a person the graph does not have (with close matches).
    InvalidParameter
        For a depth other than 1 or 2, or ``since`` after ``until``.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> G = person_network(example_store(), "sergey-lavrov", since=dt.date(2021, 1, 1))
    >>> [G.nodes[n]["label"] for n in G], G.graph["center"].rsplit("/", 1)[-1]
    (['Sergey Lavrov'], 'sergey-lavrov')
    >>> person_network(example_store(), "wang-yi", depth=3)
    Traceback (most recent call last):
    ...
    graph.errors.InvalidParameter: depth: 3 is not 1 or 2
    """
    if depth not in (1, 2):
        raise InvalidParameter("depth", f"{depth} is not 1 or 2", ["1", "2"])
    center = nodes.resolve(store, "person", person)
    full = _met_graph(store, meetings.who_met_whom(store, since=since, until=until, framework=framework))
    if center.value not in full:
        _add_entities(full, store, [center])
    G = nx.ego_graph(full, center.value, radius=depth).copy()
    G.nodes[center.value]["pinned"] = True
    G.graph.update(center=center.value,
                   title=f"{G.nodes[center.value]['label']}: who met whom"
                         + (", two steps" if depth == 2 else "") + _framework_words(store, framework)
                         + _range_words(since, until))
    return G


def restrict(G: nx.Graph, since: dt.date | str | None = None, until: dt.date | str | None = None) -> nx.Graph:
    """What of ``G`` meets the days ``since``–``until`` (both inclusive, either open).

    A node with dates is kept when one of its spans meets the range; a pinned node is
    always kept; any other node is kept when a kept edge with dates reaches it. An
    edge with dates is kept when one of its spans meets the range, an edge without
    when both its ends are kept on their own account. The views' date filter applies
    the same rule in the browser.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("org", pinned=True, dates=[])
    >>> G.add_node("event", pinned=False, dates=[("2020-09-10", "2020-09-10")])
    >>> G.add_node("person", pinned=False, dates=[])
    >>> G.add_edge("event", "org", dates=[("2020-09-10", "2020-09-10")])
    >>> G.add_edge("event", "person", dates=[("2020-09-10", "2020-09-10")])
    >>> sorted(restrict(G, "2020-09-01", "2020-09-30"))
    ['event', 'org', 'person']
    >>> sorted(restrict(G, dt.date(2020, 10, 1)))
    ['org']
    """
    lo = str(since) if since else None
    hi = str(until) if until else None
    if lo is None and hi is None:
        return G.copy()

    def own(n):
        d = G.nodes[n]
        if d.get("pinned"):
            return True
        if d.get("dates"):
            return _meets(d["dates"], lo, hi)
        return None

    owned = {n: own(n) for n in G}
    kept_edges, reached = set(), set()
    for u, v, d in G.edges(data=True):
        if owned[u] is False or owned[v] is False:
            continue
        if (_meets(d["dates"], lo, hi) if d.get("dates") else owned[u] and owned[v]):
            kept_edges.add(frozenset((u, v)))
            if d.get("dates"):
                reached.update((u, v))
    keep = {n for n, o in owned.items() if o or (o is None and n in reached)}
    H = G.subgraph(keep).copy()
    H.remove_edges_from([e for e in list(H.edges) if frozenset(e) not in kept_edges])
    return H


def date_range(G: nx.Graph) -> tuple[str, str] | None:
    """The first and last day any node or edge of ``G`` stands for, or None.

    >>> G = nx.Graph(); G.add_edge(1, 2, dates=[("2001-06-15", None), ("2020-04-14", "2020-04-15")])
    >>> date_range(G)
    ('2001-06-15', '2020-04-15')
    """
    days = [x for _, d in G.nodes(data=True) for span in d.get("dates", ()) for x in span if x]
    days += [x for _, _, d in G.edges(data=True) for span in d.get("dates", ()) for x in span if x]
    return (min(days), max(days)) if days else None


def report_period(store) -> tuple[dt.date, dt.date] | None:
    """The days the reports in the graph cover, first to last (``schema:temporalCoverage``
    of each report), or None for a graph without reports.

    >>> from graph.examples import example_store
    >>> report_period(example_store()) is None
    True
    """
    return _report_period(store)


@nodes.per_generation
def _report_period(store) -> tuple[dt.date, dt.date] | None:
    spans = agreements.report_periods(store)
    return (min(b for b, _ in spans), max(e for _, e in spans)) if spans else None


def membership_roles(store) -> dict[str, str]:
    """The roles memberships are held in: id → label (``{"member": "member",
    "dialogue_partner": "dialogue partner", …}``), from the reference data."""
    return _membership_roles(store)


@nodes.per_generation
def _membership_roles(store) -> dict[str, str]:
    out = {}
    for r in sparql.select(store, "roles"):
        out.setdefault(_local(r["role"].value), r["label"].value if "label" in r else _local(r["role"].value))
    return dict(sorted(out.items()))


def roles_in_effect(role_ids, since=None, until=None) -> list[str]:
    """The roles of a membership's ``role_ids`` (role, start, end) held at some day of
    ``since``–``until``, latest start first; with no range, the latest role only.

    >>> spans = [("observer", "2005-07-05", "2017-06-09"), ("member", "2017-06-09", None)]
    >>> roles_in_effect(spans, "2020-04-01", "2021-03-31"), roles_in_effect(spans, "2010-01-01", "2010-12-31")
    (['member'], ['observer'])
    >>> roles_in_effect(spans)
    ['member']
    >>> roles_in_effect([("dialogue_partner", "2022-09-16", None)], "2020-04-01", "2021-03-31")
    []
    """
    lo = str(since) if since else None
    hi = str(until) if until else None
    ordered = sorted(role_ids, key=lambda r: r[1] or "", reverse=True)
    if lo is None and hi is None:
        return [ordered[0][0]] if ordered else []
    return list(dict.fromkeys(r for r, b, e in ordered if _meets([(b, e)], lo, hi)))


def members(G: nx.Graph, organization: str | None = None) -> dict[str, str]:
    """The members of the network's centre (or of ``organization``, an IRI) with the
    role each holds in the graph's days (``G.graph["since"]``–``G.graph["until"]``):
    node → role id. A dialogue partner or an observer is no member.

    >>> G = nx.Graph(center="sco", since="2020-04-01", until="2021-03-31")
    >>> G.add_edge("IN", "sco", role_ids=[("observer", "2005-07-05", "2017-06-09"), ("member", "2017-06-09", None)])
    >>> G.add_edge("TR", "sco", role_ids=[("dialogue_partner", "2012-06-07", None)])
    >>> G.add_edge("EG", "sco", role_ids=[("dialogue_partner", "2021-09-17", None)])
    >>> members(G)
    {'IN': 'member', 'TR': 'dialogue_partner'}
    """
    org = organization or G.graph.get("center")
    out = {}
    if org not in G:
        return out
    for n in G[org]:
        spans = G.edges[org, n].get("role_ids")
        if spans:
            held = roles_in_effect(spans, G.graph.get("since"), G.graph.get("until"))
            if held:
                out[n] = held[0]
    return out


def shape(G: nx.Graph, *, since: dt.date | str | None = None, until: dt.date | str | None = None,
          roles: list[str] | None = None, kinds: list[str] | None = None) -> nx.Graph:
    """What a view shows of a built network: what meets the days ``since``–``until``
    (``restrict``), each member of the centre marked with the role it held then
    (``role`` on its node, ``"member"`` … ``"dialogue_partner"``), only the members in
    ``roles`` (default: every role), only the node kinds in ``kinds`` (default: all;
    see ``KINDS``).

    Without events, each person, state or body that acted in an event is linked straight
    to the units (the organization and its bodies) that held it or acted in it:
    ``relation`` "took part in events of", ``weight`` the events, ``dates`` theirs.

    Raises
    ------
    InvalidParameter
        For a kind outside ``KINDS``, or ``since`` after ``until``.

    Examples
    --------
    >>> G = nx.Graph(center="sco")
    >>> G.add_node("sco", kind="organization", pinned=True, dates=[])
    >>> G.add_node("e", kind="event", pinned=False, dates=[("2020-09-10", "2020-09-10")], label="会议")
    >>> G.add_node("lavrov", kind="person", pinned=False, dates=[])
    >>> G.add_edge("e", "sco", relation="held in", dates=[("2020-09-10", "2020-09-10")])
    >>> G.add_edge("e", "lavrov", relation="participant", dates=[("2020-09-10", "2020-09-10")])
    >>> H = shape(G, kinds=["organization", "person"])
    >>> sorted(H), H.edges["lavrov", "sco"]["relation"], H.edges["lavrov", "sco"]["weight"]
    (['lavrov', 'sco'], 'took part in events of', 1)
    """
    for k in kinds or ():
        if k not in KINDS:
            raise InvalidParameter("show", f"{k!r} is not a kind of node", list(KINDS))
    if since and until and str(since) > str(until):
        raise InvalidParameter("from", f"{since} is after to={until}")
    H = restrict(G, since, until)
    H.graph.update(since=str(since) if since else None, until=str(until) if until else None)
    held = members(H)
    for n, role in held.items():
        H.nodes[n]["role"] = role
    if roles is not None:
        wanted = set(roles)
        center = H.graph.get("center")
        for n in [n for n in list(H[center]) if H.edges[center, n].get("role_ids")] if center in H else []:
            if held.get(n) not in wanted:
                H.remove_edge(center, n)
                if not H.nodes[n].get("pinned"):
                    H.remove_node(n)
    if kinds is not None:
        keep = set(kinds)
        if "event" not in keep:
            _fold_events(H)
        center = H.graph.get("center")
        H.remove_nodes_from([n for n, d in list(H.nodes(data=True)) if d.get("kind") not in keep and n != center])
    return H


def _fold_events(G: nx.Graph) -> None:
    """Links each actor of an event straight to the units that held it, then drops the event."""
    units = {n for n, d in G.nodes(data=True) if d.get("kind") == "organization"}
    for e in [n for n, d in G.nodes(data=True) if d.get("kind") == "event"]:
        held_by = [u for u in G[e] if u in units]
        actors = [a for a in G[e] if a not in held_by]
        spans = G.nodes[e].get("dates") or []
        for a in actors:
            for u in held_by:
                if a == u:
                    continue
                if G.has_edge(a, u):
                    d = G.edges[a, u]
                    if d.get("relation") != "took part in events of":
                        continue
                else:
                    G.add_edge(a, u, relation="took part in events of", dates=[], weight=0, events=[])
                    d = G.edges[a, u]
                d["weight"] += 1
                d["events"].append(G.nodes[e].get("label") or "")
                d["dates"] = sorted(set(d["dates"]) | set(map(tuple, spans)))
        G.remove_node(e)


# --- building -----------------------------------------------------------------------------------------------------

def _organization_graph(store, org: ox.NamedNode) -> nx.Graph:
    units = sparql.select(store, "network_units", organization=org)
    unit_iris = {r["unit"].value for r in units}
    members = sparql.select(store, "memberships", organization=org)
    member_of = sparql.select(store, "memberships", member=org)
    held = sparql.select(store, "network_events", organization=org)
    event_nodes = list({r["event"].value: r["event"] for r in held}.values())
    acts = sparql.select(store, "network_event_actors", event=event_nodes)
    acts = [r for r in acts if r["actor"].value in unit_iris or _kind(r["actor"].value) in ("person", "country")]
    org_facts = nodes.facts(store, [org])[org.value]
    above = [t for t in org_facts.get(str(ORG.subOrganizationOf), ()) if isinstance(t, ox.NamedNode)]

    G = nx.Graph(center=org.value)
    _add_entities(G, store, [org, *(r["unit"] for r in units), *above], pinned=True)
    for r in units:
        if "parent" in r and r["unit"].value != org.value:
            G.nodes[r["unit"].value]["group"] = "body"
            G.add_edge(r["unit"].value, r["parent"].value, relation="body of", dates=[])
    for up in above:
        G.add_edge(org.value, up.value, relation="body of", dates=[])
    G.graph["title"] = f"{G.nodes[org.value]['label']} network"

    _add_memberships(G, store, members, "member")
    _add_memberships(G, store, member_of, "organization", pinned=True)
    _add_events(G, store, event_nodes)
    spans = {e.value: G.nodes[e.value]["dates"] for e in event_nodes}
    _add_entities(G, store, [r["actor"] for r in acts if r["actor"].value not in G])
    for r in sorted(acts, key=lambda r: r["property"].value == str(SEM.hasActor)):  # the specific role first
        e, a = r["event"].value, r["actor"].value
        if not G.has_edge(e, a):
            G.add_edge(e, a, relation=_local(r["property"].value), dates=spans[e])
    for r in held:
        e, u = r["event"].value, r["unit"].value
        if r["how"].value == "framework" and not G.has_edge(e, u):
            G.add_edge(e, u, relation="held in", dates=spans[e])
    return G


def _add_memberships(G: nx.Graph, store, rows, other: str, *, pinned: bool = False) -> None:
    by_pair: dict[tuple[str, str], list] = defaultdict(list)
    for r in rows:
        by_pair[(r["organization"].value, r["member"].value)].append(r)
    roles = nodes.refs(store, list({r["role"].value: r["role"] for r in rows if "role" in r}.values()))
    _add_entities(G, store, [r[other] for r in rows if r[other].value not in G], pinned=pinned)
    for (organization, member), rs in by_pair.items():
        rs.sort(key=lambda r: r["start"].value if "start" in r else "")
        spans = [_span(r["start"].value if "start" in r else None, r["end"].value if "end" in r else None)
                 for r in rs]
        words = [roles[r["role"].value].label if "role" in r and r["role"].value in roles else "member" for r in rs]
        ids = [_local(r["role"].value) if "role" in r else "member" for r in rs]
        G.add_edge(member, organization, relation=", ".join(dict.fromkeys(words)), dates=spans,
                   roles=[(w, *s) for w, s in zip(words, spans)], role_ids=[(i, *s) for i, s in zip(ids, spans)])


def _add_events(G: nx.Graph, store, events: list[ox.NamedNode]) -> None:
    facts = nodes.facts(store, events)
    passages = nodes.facts(store, [p for f in facts.values() for p in f.get(str(PROV.wasDerivedFrom), ())])
    for e in events:
        f = facts[e.value]
        label, labels = nodes.label_of(f, _local(e.value))
        begin, end = _first(f, SEM.hasBeginTimeStamp), _first(f, SEM.hasEndTimeStamp)
        types = [ln[1] for t in f.get(str(SEM.eventType), ()) if (ln := iris.local_name(t.value)) and ln[0] == "plover"]
        evidence = "\n".join(passages[p.value][str(PROV.value)][0].value for p in f.get(str(PROV.wasDerivedFrom), ())
                             if passages.get(p.value, {}).get(str(PROV.value)))
        G.add_node(e.value, kind="event", id=_local(e.value), label=label, label_zh=labels.get("zh", label),
                   label_en=labels.get("en"), group="event", type=types[0] if types else None,
                   dates=[_span(begin, end)] if begin or end else [], evidence=evidence or None, pinned=False)


def _add_entities(G: nx.Graph, store, terms, *, pinned: bool = False) -> None:
    """Persons, organizations, countries: labels, and a person's nationality as group."""
    terms = [t for t in dict.fromkeys(terms) if t.value not in G]
    if not terms:
        return
    facts = nodes.facts(store, terms)
    for t in terms:
        f = facts[t.value]
        kind = _kind(t.value) or "organization"
        label, labels = nodes.label_of(f, _local(t.value))
        group = kind if kind in GROUPS else "organization"
        if kind == "person":
            nat = [_local(c.value) for c in f.get(str(SCHEMA.nationality), ())]
            group = next((f"person-{c}" for c in nat if f"person-{c}" in GROUPS), "person")
        G.add_node(t.value, kind=kind, id=_local(t.value), label=label, label_zh=labels.get("zh"),
                   label_en=labels.get("en"), group=group, dates=[], evidence=None, pinned=pinned)


def _met_graph(store, meetings) -> nx.Graph:
    G = nx.Graph()
    persons = {}
    for m in meetings:
        persons.setdefault(m.person.iri, ox.NamedNode(m.person.iri))
        persons.setdefault(m.counterpart.iri, ox.NamedNode(m.counterpart.iri))
    _add_entities(G, store, list(persons.values()))
    for m in meetings:
        a, b = m.person.iri, m.counterpart.iri
        if not G.has_edge(a, b):
            G.add_edge(a, b, relation="met", dates=[], meetings=[], weight=0)
        d = G.edges[a, b]
        if any(x["event"] == m.event.id for x in d["meetings"]):
            continue
        date = str(m.date) if m.date else None
        end = str(m.end_date) if m.end_date else date
        d["meetings"].append({"event": m.event.id, "label": m.event.label, "date": date, "end": end, "type": m.type,
                              "form": m.form, "evidence": "\n".join(e.text for e in m.evidence) or None})
        if date:
            d["dates"].append((date, end))
        d["weight"] = len(d["meetings"])
    for _, _, d in G.edges(data=True):
        d["meetings"].sort(key=lambda x: (x["date"] or "", x["event"]))
        d["dates"] = sorted(set(d["dates"]))
    return G


# --- helpers ------------------------------------------------------------------------------------------------------

def _meets(spans, lo: str | None, hi: str | None) -> bool:
    return any((hi is None or b is None or b <= hi) and (lo is None or e is None or e >= lo) for b, e in spans)


def _span(begin: str | None, end: str | None) -> Span:
    """ISO days; a month or year alone stands for its first day as a beginning and its
    last day as an end.

    >>> _span("2024-07", "2021")
    ('2024-07-01', '2021-12-31')
    """
    return _day(begin, last=False), _day(end, last=True)


def _day(value: str | None, *, last: bool) -> str | None:
    if not value:
        return None
    parts = value[:10].split("-")
    if len(parts) == 1:
        return f"{parts[0]}-12-31" if last else f"{parts[0]}-01-01"
    if len(parts) == 2:
        y, m = int(parts[0]), int(parts[1])
        return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1] if last else 1:02d}"
    return value[:10]


def _first(f: dict, prop) -> str | None:
    v = f.get(str(prop))
    return v[0].value if v else None


def _kind(iri: str) -> str | None:
    ln = iris.local_name(iri)
    return ln[0] if ln else None


def _local(iri: str) -> str:
    ln = iris.local_name(iri)
    return ln[1] if ln else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _framework_words(store, framework: str | None) -> str:
    if not framework:
        return ""
    f = nodes.resolve_framework(store, framework)
    label, _ = nodes.label_of(nodes.facts(store, [f])[f.value], framework)
    return f", {label}"


def _range_words(since, until) -> str:
    if since and until:
        return f", {since} to {until}"
    if since:
        return f", from {since}"
    if until:
        return f", until {until}"
    return ""
