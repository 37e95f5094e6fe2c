"""Organizations, their bodies and members; agreements and projects.

    >>> from graph.examples import example_store
    >>> [e.event.label for e in organization_detail(example_store(), "CN", kind="country").events]
    ['中国向俄罗斯提供援助']
"""

from __future__ import annotations

import pyoxigraph as ox

from ontology.vocab import CRD, ORG, SCHEMA, SKOS

from ..sparql import named as sparql
from . import nodes
from .events import event_roles
from .models import MembershipInfo, OrganizationDetail, WorkSummary

__all__ = ["organization_detail", "find_works"]

_WORK_CLASSES = {"agreement": (CRD.Agreement, CRD.party), "project": (CRD.Project, CRD.partner)}


def _membership(r, refs) -> MembershipInfo:
    role = r.get("role")
    return MembershipInfo(organization=refs[r["organization"].value], member=refs[r["member"].value],
                          role=refs[role.value].label if role is not None and role.value in refs else None,
                          start=r["start"].value if "start" in r else None,
                          end=r["end"].value if "end" in r else None)


def organization_detail(store, organization: str, *, kind: str = "organization") -> OrganizationDetail:
    """An organization (or a country, with ``kind="country"``): names, what it is a body
    of, its bodies, members and memberships with dates, offices in it, events it acts in.

    Raises
    ------
    UnknownId
        For an id the graph does not have (with close matches).

    Examples
    --------
    >>> from graph.examples import example_store
    >>> organization_detail(example_store(), "china")
    Traceback (most recent call last):
    ...
    graph.errors.UnknownId: no organization with id 'china'
    """
    node = nodes.resolve(store, kind, organization)
    f = nodes.facts(store, [node])[node.value]
    incoming = sparql.select(store, "incoming", node=node)
    bodies = [r["s"] for r in incoming if r["p"].value == str(ORG.subOrganizationOf)]
    offices = [r["s"] for r in incoming if r["p"].value == str(ORG.postIn)]
    members = sparql.select(store, "memberships", organization=node)
    memberships = sparql.select(store, "memberships", member=node)
    acts = sparql.select(store, "actor_events", actor=node)
    linked = set(bodies) | set(offices)
    linked.update(f.get(str(ORG.subOrganizationOf), ()))
    linked.update(t for t in f.get(str(SCHEMA.location), ()) if isinstance(t, ox.NamedNode))
    for r in (*members, *memberships):
        linked.update(r[k] for k in ("organization", "member", "role") if k in r)
    linked.update(r["event"] for r in acts)
    linked.update(r["via"] for r in acts if "via" in r)
    lf = nodes.facts(store, linked)
    refs = {iri: nodes.ref(iri, x) for iri, x in lf.items()}
    label, labels = nodes.label_of(f, organization)
    loc = [refs[t.value] for t in f.get(str(SCHEMA.location), ()) if t.value in refs]
    notation = f.get(str(SKOS.notation))

    def by_label(items):
        return sorted(items, key=lambda r: (r.label.casefold(), r.id))

    return OrganizationDetail(
        id=organization, iri=node.value, label=label, labels=labels,
        alt_labels=sorted({t.value for t in f.get(str(SKOS.altLabel), ())}), types=nodes.types_of(f),
        notation=notation[0].value if notation else None, location=loc[0] if loc else None,
        parent=by_label(refs[t.value] for t in f.get(str(ORG.subOrganizationOf), ()) if t.value in refs),
        bodies=by_label(refs[b.value] for b in bodies), offices=by_label(refs[o.value] for o in offices),
        members=sorted((_membership(r, refs) for r in members), key=lambda m: (m.member.label, m.start or "")),
        memberships=sorted((_membership(r, refs) for r in memberships),
                           key=lambda m: (m.organization.label, m.start or "")),
        events=event_roles(acts, lf, refs))


def find_works(store, kind: str) -> list[WorkSummary]:
    """Every agreement (``kind="agreement"``) or project (``kind="project"``), with its
    parties or partners and the events about it (in the order of their ids: by date),
    by label.

    Examples
    --------
    >>> from graph.examples import example_store
    >>> find_works(example_store(), "agreement")
    []
    """
    cls, party = _WORK_CLASSES[kind]
    works = [r["node"] for r in sparql.select(store, "instances", **{"class": ox.NamedNode(str(cls))})]
    wf = nodes.facts(store, works)
    about = sparql.select(store, "about_events", node=works)
    linked = {t for f in wf.values() for t in f.get(str(party), ()) if isinstance(t, ox.NamedNode)}
    linked.update(r["event"] for r in about)
    refs = nodes.refs(store, linked)
    events: dict[str, list] = {}
    for r in about:
        events.setdefault(r["node"].value, []).append(refs[r["event"].value])
    out = []
    for w in works:
        f = wf[w.value]
        r = nodes.ref(w.value, f)
        out.append(WorkSummary(id=r.id, iri=r.iri, label=r.label, labels=r.labels,
                               parties=[refs[t.value] for t in f.get(str(party), ()) if t.value in refs],
                               events=sorted(events.get(w.value, []), key=lambda e: e.id)))
    return sorted(out, key=lambda w: (w.label.casefold(), w.id))
