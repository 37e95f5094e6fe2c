"""Records to RDF, following the public data contract (``CONTRACT.md`` terms).

Three kinds of named graph: the ontology, the reference data, and one per report.
Everything here is a pure function of its inputs, so two builds of the same input
give the same triples.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from loaders.records import ChronicleEntry, Mention, Passage, Report, ReportedMeeting
from ontology import ONTOLOGY_TTL
from ontology.reference import PartialDate, ReferenceData
from ontology.rules import MEETING_TYPES, Rules
from ontology.vocab import CRD, DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SCHEMA, SEM, SKOS

from . import iris

_ORG_CLASS = {
    "intergovernmental": CRD.IntergovernmentalOrganization, "body": CRD.OrganizationBody, "un_body": CRD.UNBody,
    "government": CRD.GovernmentBody, "legislature": CRD.Legislature, "party": CRD.PoliticalParty,
    "commission": CRD.JointCommission, "company": CRD.Company, "bank": CRD.Bank, "fund": CRD.Fund,
    "university": CRD.University, "academy": CRD.ResearchInstitute, "media": CRD.MediaOrganization,
    "ngo": CRD.NonGovernmentalOrganization, "military": CRD.MilitaryUnit, "local_government": CRD.LocalGovernment,
}
_RULES = Rules.load()
_FORM_CLASS = {f.key: CRD[f.cls] for f in _RULES.forms.values() if f.cls}
_NEW_NODE_CLASS = {"person": CRD.Person, "organization": CRD.Organization, "place": CRD.Place,
                   "agreement": CRD.Agreement, "project": CRD.Project}
_MINT = {"person": iris.person, "organization": iris.organization, "place": iris.place,
         "agreement": iris.agreement, "project": iris.project}
_ROLE_PROPERTY = {"participant": CRD.participant, "host": CRD.host, "speaker": CRD.speaker,
                  "signatory": CRD.signatory}


def _triples() -> Graph:
    """A graph to fill and read through once: rdflib's store without named-graph
    bookkeeping, which a build's ~100,000 additions do not need (a third faster)."""
    return Graph(store="SimpleMemory")


def ontology_graph() -> Graph:
    g = _triples()
    g.parse(ONTOLOGY_TTL, format="turtle")
    return g


@dataclass(frozen=True)
class StandardTerms:
    """The standard classes and properties each of the ontology's own terms stands for:
    every superclass and superproperty, at any depth, outside the project's namespace
    (``crd:Person`` → ``foaf:Person``; ``crd:host`` → ``sem:hasActor``).

    The contract promises consumers who know only the standard vocabularies the same
    answers without inference, so the mapping states these terms beside the project's
    own (``with_standard_terms``).

    >>> terms = StandardTerms.of(ontology_graph())
    >>> [str(t) for t in terms.classes[CRD.Person]]
    ['http://xmlns.com/foaf/0.1/Person']
    >>> [str(t) for t in terms.properties[CRD.host]]
    ['http://semanticweb.cs.vu.nl/2009/11/sem/hasActor']
    """

    classes: dict[URIRef, tuple[URIRef, ...]]
    properties: dict[URIRef, tuple[URIRef, ...]]

    @classmethod
    def of(cls, ontology: Graph) -> "StandardTerms":
        def closure(relation: URIRef) -> dict[URIRef, tuple[URIRef, ...]]:
            parents: dict[URIRef, set[URIRef]] = defaultdict(set)
            for sub, sup in ontology.subject_objects(relation):
                if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                    parents[sub].add(sup)
            out = {}
            for term in parents:
                if not str(term).startswith(str(CRD)):
                    continue
                seen, todo = set(), list(parents[term])
                while todo:
                    t = todo.pop()
                    if t not in seen:
                        seen.add(t)
                        todo.extend(parents.get(t, ()))
                standard = tuple(sorted(t for t in seen if not str(t).startswith(str(CRD))))
                if standard:
                    out[term] = standard
            return out

        return cls(closure(RDFS.subClassOf), closure(RDFS.subPropertyOf))


_STANDARD = StandardTerms.of(ontology_graph())


def with_standard_terms(g: Graph, terms: StandardTerms = _STANDARD) -> Graph:
    """``g`` with every node also typed with the standard classes of its own classes, and
    every statement also made with the standard properties of its own property.

    >>> g = Graph()
    >>> _ = g.add((iris.person("wang-yi"), RDF.type, CRD.Person))
    >>> _ = g.add((URIRef("urn:x:call"), CRD.inferredParticipant, iris.person("wang-yi")))
    >>> sorted(str(o) for o in with_standard_terms(g).objects(iris.person("wang-yi"), RDF.type))
    ['http://xmlns.com/foaf/0.1/Person', 'https://w3id.org/china-russia-dialogue/ontology#Person']
    >>> [str(s) for s in g.subjects(SEM.hasActor, iris.person("wang-yi"))]
    ['urn:x:call']
    """
    added = []
    for s, p, o in g:
        if p == RDF.type:
            added += [(s, RDF.type, c) for c in terms.classes.get(o, ())]
        else:
            added += [(s, q, o) for q in terms.properties.get(p, ())]
    for t in added:
        g.add(t)
    return g


def _labels(g: Graph, node: URIRef, zh: str, en: str = "", ru: str = "", zh_alt: Iterable[str] = (),
            en_alt: Iterable[str] = ()) -> None:
    g.add((node, SKOS.prefLabel, Literal(zh, lang="zh")))
    g.add((node, RDFS.label, Literal(zh, lang="zh")))
    if en:
        g.add((node, SKOS.prefLabel, Literal(en, lang="en")))
        g.add((node, RDFS.label, Literal(en, lang="en")))
    if ru:
        g.add((node, SKOS.prefLabel, Literal(ru, lang="ru")))
    for a in zh_alt:
        if a and a != zh:
            g.add((node, SKOS.altLabel, Literal(a, lang="zh")))
    for a in en_alt:
        if a and a != en:
            g.add((node, SKOS.altLabel, Literal(a, lang="en")))


def _date(d: PartialDate | dt.date | None) -> Literal | None:
    if d is None:
        return None
    if isinstance(d, dt.date):
        return Literal(d.isoformat(), datatype=XSD.date)
    if d.exact:
        return Literal(d.text, datatype=XSD.date)
    return Literal(d.text, datatype=XSD.gYearMonth if d.text.count("-") == 1 else XSD.gYear)


def _dated(g: Graph, node: URIRef, start: PartialDate | None, end: PartialDate | None) -> None:
    """Start and end as the data has them (a day, a month or a year), and the first and
    last day they may cover as ``xsd:date``, which SPARQL compares with event dates."""
    if start is not None:
        g.add((node, SCHEMA.startDate, _date(start)))
        g.add((node, CRD.firstDay, Literal(start.first.isoformat(), datatype=XSD.date)))
    if end is not None:
        g.add((node, SCHEMA.endDate, _date(end)))
        g.add((node, CRD.lastDay, Literal(end.last.isoformat(), datatype=XSD.date)))


def reference_graph(ref: ReferenceData) -> Graph:
    """Persons, organizations, countries, places, offices and who held them, frameworks,
    memberships, and the concept schemes (PLOVER types, forms, chronicle sections)."""
    g = _triples()
    for c in ref.countries.values():
        n = iris.country(c.code)
        g.add((n, RDF.type, CRD.Country))
        g.add((n, SCHEMA.identifier, Literal(c.code)))
        _labels(g, n, c.zh, c.en, c.ru, c.zh_aliases, c.en_aliases)
        _source(g, n, c.source)
    for p in ref.persons.values():
        n = iris.person(p.id)
        g.add((n, RDF.type, CRD.Person))
        _labels(g, n, p.zh, p.en, p.ru, (*p.zh_aliases, *p.ambiguous_zh), p.en_aliases)
        g.add((n, FOAF.name, Literal(p.en, lang="en")))
        if p.country:
            g.add((n, SCHEMA.nationality, iris.country(p.country)))
        if p.affiliation and p.affiliation in ref.organizations:
            g.add((n, SCHEMA.affiliation, iris.organization(p.affiliation)))
        if p.note:
            g.add((n, SKOS.note, Literal(p.note, lang="en")))
        _source(g, n, p.source)
    for o in ref.organizations.values():
        n = iris.organization(o.id)
        g.add((n, RDF.type, _ORG_CLASS.get(o.type, CRD.Organization)))
        _labels(g, n, o.zh, o.en, o.ru, (*o.zh_aliases, *o.ambiguous_zh), (*o.en_aliases, o.acronym))
        if o.parent:
            g.add((n, ORG.subOrganizationOf, iris.organization(o.parent)))
        if o.country:
            g.add((n, SCHEMA.location, iris.country(o.country)))
        _source(g, n, o.source)
    for pl in ref.places.values():
        n = iris.place(pl.id)
        g.add((n, RDF.type, CRD.Place))
        _labels(g, n, pl.zh, pl.en, pl.ru, (*pl.zh_aliases, *pl.ambiguous_zh), pl.en_aliases)
        if pl.country:
            g.add((n, SCHEMA.containedInPlace, iris.country(pl.country)))
        if pl.parent:
            g.add((n, SCHEMA.containedInPlace, iris.place(pl.parent)))
        if pl.type:
            g.add((n, SCHEMA.additionalType, Literal(pl.type)))
        _source(g, n, pl.source)
    for f in ref.frameworks.values():
        n = framework_node(ref, f.code)
        if f.kind != "organization" or f.id not in ref.organizations:
            g.add((n, RDF.type, CRD.Framework))
            _labels(g, n, f.zh, f.en, "", f.zh_aliases, f.en_aliases)
            _source(g, n, f.source)
        g.add((n, SKOS.notation, Literal(f.code)))
    for off in ref.offices.values():
        n = iris.office(off.id)
        g.add((n, RDF.type, CRD.Office))
        _labels(g, n, off.zh, off.en, "", off.zh_aliases)
        g.add((n, CRD.role, iris.concept("role", off.role)))
        if off.org and off.org in ref.organizations:
            g.add((n, ORG.postIn, iris.organization(off.org)))
        if off.country:
            g.add((n, SCHEMA.location, iris.country(off.country)))
        _source(g, n, off.source)
    for role in sorted({o.role for o in ref.offices.values()}):
        n = iris.concept("role", role)
        g.add((n, RDF.type, ORG.Role))
        g.add((n, SKOS.prefLabel, Literal(role.replace("_", " "), lang="en")))
    for t in ref.terms:
        n = iris.derived("tenure", t.office, t.person, t.start.text if t.start else "")
        g.add((n, RDF.type, CRD.Tenure))
        g.add((n, CRD.office, iris.office(t.office)))
        g.add((n, CRD.holder, iris.person(t.person)))
        g.add((iris.person(t.person), ORG.holds, iris.office(t.office)))
        _dated(g, n, t.start, t.end)
        _source(g, n, t.source)
    for m in ref.memberships:
        n = iris.derived("membership", m.org, m.member, m.role)
        g.add((n, RDF.type, ORG.Membership))
        member = iris.country(m.member) if m.member.upper() in ref.countries else iris.organization(m.member)
        g.add((n, ORG.member, member))
        g.add((n, ORG.organization, iris.organization(m.org)))
        g.add((n, ORG.role, iris.concept("role", m.role)))
        g.add((iris.concept("role", m.role), RDF.type, ORG.Role))
        g.add((iris.concept("role", m.role), SKOS.prefLabel, Literal(m.role.replace("_", " "), lang="en")))
        if m.role == "member" and m.end is None:
            g.add((iris.organization(m.org), ORG.hasMember, member))
        _dated(g, n, m.start, m.end)
        _source(g, n, m.source)
    for a in ref.agreements.values():
        _work(g, ref, iris.agreement(a.id), CRD.Agreement, a, (SCHEMA.dateCreated, a.date), CRD.party, a.parties)
    for pr in ref.projects.values():
        n = iris.project(pr.id)
        _work(g, ref, n, CRD.Project, pr, (SCHEMA.startDate, pr.start), CRD.partner, pr.partners)
        for pl in pr.places:
            g.add((n, SCHEMA.location, iris.place(pl)))
    _schemes(g, ref)
    return with_standard_terms(g)


def _work(g: Graph, ref: ReferenceData, n: URIRef, cls: URIRef, w, dated: tuple[URIRef, str], role: URIRef,
          agents: Iterable[str]) -> None:
    """An agreement or a project: its class, names, type, date, parties or partners, source."""
    g.add((n, RDF.type, cls))
    _labels(g, n, w.zh, w.en, w.ru, w.zh_aliases, w.en_aliases)
    if w.type:
        g.add((n, SCHEMA.additionalType, Literal(w.type)))
    if dated[1]:
        g.add((n, dated[0], _date(PartialDate(dated[1]))))
    for key in agents:
        g.add((n, role, _agent(ref, key)))
    _source(g, n, w.source)


def _actor_keys(entry: ChronicleEntry) -> set[tuple[str, str]]:
    """The persons and organizations an entry has acting, by their keys."""
    return {(m.kind, m.key) for m in entry.mentions
            if m.kind in ("person", "organization") and m.key and m.role not in ("mentioned", "series")}


def _agent(ref: ReferenceData, key: str) -> URIRef:
    return iris.country(key) if key.upper() in ref.countries and len(key) == 2 else iris.organization(key)


def framework_node(ref: ReferenceData, code: str) -> URIRef:
    f = ref.frameworks[code]
    if f.kind == "organization" and f.id in ref.organizations:
        return iris.organization(f.id)
    return iris.framework(code)


def _schemes(g: Graph, ref: ReferenceData) -> None:
    for scheme, items in (("plover", {t.code: (t.code, t.en) for t in _RULES.plover.values()}),
                          ("form", {f.key: (f.zh, f.en) for f in _RULES.forms.values()})):
        s = iris.concept(scheme, "scheme")
        g.add((s, RDF.type, SKOS.ConceptScheme))
        g.add((s, SKOS.prefLabel, Literal("PLOVER event types" if scheme == "plover" else "Event forms", lang="en")))
        for key, (a, b) in items.items():
            n = iris.concept(scheme, key)
            g.add((n, RDF.type, SKOS.Concept))
            g.add((n, SKOS.inScheme, s))
            g.add((n, SKOS.notation, Literal(key)))
            if scheme == "plover":
                g.add((n, SKOS.prefLabel, Literal(b, lang="en")))
            else:
                g.add((n, SKOS.prefLabel, Literal(a, lang="zh")))
                g.add((n, SKOS.prefLabel, Literal(b, lang="en")))
    s = iris.concept("measure", "scheme")
    g.add((s, RDF.type, SKOS.ConceptScheme))
    g.add((s, SKOS.prefLabel, Literal("What figures measure", lang="en")))
    keys = {m.key for m in _RULES.measures}
    groups = [(g_, "", g_) for g_ in dict.fromkeys(m.group for m in _RULES.measures) if g_ not in keys]
    for key, zh, en in [(m.key, m.zh, m.en) for m in _RULES.measures] + groups:
        n = iris.concept("measure", key)
        g.add((n, RDF.type, SKOS.Concept))
        g.add((n, SKOS.inScheme, s))
        g.add((n, SKOS.notation, Literal(key)))
        g.add((n, SKOS.prefLabel, Literal(en, lang="en")))
        if zh:
            g.add((n, SKOS.prefLabel, Literal(zh, lang="zh")))
    for m in _RULES.measures:
        if m.group != m.key:
            g.add((iris.concept("measure", m.key), SKOS.broader, iris.concept("measure", m.group)))
    s = iris.concept("section", "scheme")
    g.add((s, RDF.type, SKOS.ConceptScheme))
    for sec in ref.sections:
        n = iris.concept("section", sec.key)
        g.add((n, RDF.type, SKOS.Concept))
        g.add((n, SKOS.inScheme, s))
        if sec.en:
            g.add((n, SKOS.prefLabel, Literal(sec.en, lang="en")))


def _source(g: Graph, node: URIRef, source: str) -> None:
    if source:
        g.add((node, DCTERMS.source, Literal(source)))


class ReportGraphBuilder:
    """One report's records to triples: report, chapters, authors, chronicle events,
    participations, who met whom, and the passages it all was read from."""

    def __init__(self, ref: ReferenceData):
        self.ref = ref
        self._tables = {"person": ref.persons, "organization": ref.organizations, "place": ref.places,
                        "agreement": ref.agreements, "project": ref.projects}

    def build(self, report: Report) -> Graph:
        """All of one report's triples in one graph (small reports, tests)."""
        g = _triples()
        for part in self.parts(report):
            g += part
        return g

    def parts(self, report: Report) -> Iterator[Graph]:
        """The report's triples as a stream of small graphs, one per chronicle entry after
        the report's own: memory stays flat however long the chronicle is."""
        g = _triples()
        rid = report.info.id
        r = iris.report(rid)
        info = report.info
        g.add((r, RDF.type, CRD.Report))
        _labels(g, r, info.title)
        g.add((r, DCTERMS.language, Literal(info.language)))
        g.add((r, SCHEMA.sha256, Literal(info.sha256)))
        if info.year:
            g.add((r, SCHEMA.datePublished, Literal(str(info.year), datatype=XSD.gYear)))
        if info.period_begin and info.period_end:
            g.add((r, SCHEMA.temporalCoverage,
                   Literal(f"{info.period_begin.isoformat()}/{info.period_end.isoformat()}")))
        self._authors(g, report, r)
        for n, ch in enumerate(report.chapters, start=1):
            c = iris.concept("chapter", f"{rid}-{n}")
            g.add((c, RDF.type, CRD.Chapter))
            _labels(g, c, (ch.number + " " + ch.title).strip())
            g.add((c, DCTERMS.isPartOf, r))
            g.add((c, PROV.wasDerivedFrom, self._passage(g, report, ch.passage)))
        for m, p in report.chapter_mentions:
            node = self._mention_node(g, m)
            if node is not None:
                g.add((self._passage(g, report, p), CRD.mentions, node))
        for m, p in report.documents:
            node = self._mention_node(g, m)
            g.add((node, PROV.wasDerivedFrom, self._passage(g, report, p)))
        for n, f in enumerate(report.tables):
            self._figure(g, report, iris.derived("figure", rid, "table", str(n)), f)
        yield with_standard_terms(g)
        seen: dict[URIRef, int] = defaultdict(int)
        for entry in report.chronicle:
            e = iris.event(rid, entry.date_begin, entry.title)
            seen[e] += 1
            if seen[e] > 1:
                e = iris.event(rid, entry.date_begin, entry.title, seen[e])
            g = _triples()
            self._event(g, report, r, e, entry)
            yield with_standard_terms(g)
        yield from self._chapter_events(report, r)

    def _chapter_events(self, report: Report, r: URIRef) -> Iterator[Graph]:
        """The chapters' dated happenings: an event of its own, or, where the chronicle
        records the same happening (same day, an actor in common), a second passage of
        the chronicle's event."""
        rid = report.info.id
        by_day: dict[dt.date, list[tuple[ChronicleEntry, set]]] = defaultdict(list)
        for entry in report.chronicle:
            by_day[entry.date_begin].append((entry, _actor_keys(entry)))
        for entry in report.chapter_events:
            g = _triples()
            keys = _actor_keys(entry)
            same = [c for c, ck in by_day.get(entry.date_begin, ()) if keys & ck]
            if same:
                e = iris.event(rid, same[0].date_begin, same[0].title)
                g.add((e, PROV.wasDerivedFrom, self._passage(g, report, entry.passage)))
            else:
                self._event(g, report, r, iris.event(rid, entry.date_begin, entry.title), entry)
            yield with_standard_terms(g)

    def _authors(self, g: Graph, report: Report, r: URIRef) -> None:
        for a in report.authors:
            p = self.person_node(g, a.name)
            cred = iris.derived("credit", report.info.id, a.name, a.role)
            g.add((cred, RDF.type, CRD.Author))
            g.add((cred, CRD.agent, p))
            g.add((cred, CRD.role, iris.concept("role", ("author-" if a.team else "") + a.role)))
            if a.team:
                g.add((cred, SCHEMA.nationality, iris.country(a.team.upper())))
            for aff in a.affiliations:
                g.add((cred, SCHEMA.description, Literal(aff, lang="zh")))
            g.add((r, DCTERMS.creator if a.role in ("lead", "member") else DCTERMS.contributor, p))
            g.add((cred, PROV.wasDerivedFrom, self._passage(g, report, a.passage)))

    def person_node(self, g: Graph, name: str) -> URIRef:
        key = self._person_key(name)
        if key:
            return iris.person(key)
        n = iris.person(iris.slug_for(name))
        g.add((n, RDF.type, CRD.Person))
        _labels(g, n, name)
        return n

    def _person_key(self, name: str) -> str | None:
        for p in self.ref.persons.values():
            if name == p.zh or name in p.zh_aliases:
                return p.id
        return None

    def _passage(self, g: Graph, report: Report, p: Passage) -> URIRef:
        n = iris.passage(report.info.id, p.start, p.end)
        g.add((n, RDF.type, CRD.Passage))
        g.add((n, PROV.value, Literal(p.text, lang=report.info.language)))
        g.add((n, CRD.startOffset, Literal(p.start)))
        g.add((n, CRD.endOffset, Literal(p.end)))
        g.add((n, DCTERMS.isPartOf, iris.report(report.info.id)))
        return n

    def _event(self, g: Graph, report: Report, r: URIRef, e: URIRef, entry: ChronicleEntry) -> None:
        g.add((e, RDF.type, CRD.ChronicleEvent if entry.kind == "chronicle" else CRD.ChapterEvent))
        if entry.form in _FORM_CLASS:
            g.add((e, RDF.type, _FORM_CLASS[entry.form]))
        g.add((e, RDFS.label, Literal(entry.title, lang="zh")))
        g.add((e, SKOS.prefLabel, Literal(entry.title, lang="zh")))
        if entry.paragraph:
            g.add((e, SCHEMA.description, Literal(entry.paragraph, lang="zh")))
        g.add((e, SEM.hasBeginTimeStamp, Literal(entry.date_begin.isoformat(), datatype=XSD.date)))
        g.add((e, SEM.hasEndTimeStamp, Literal(entry.date_end.isoformat(), datatype=XSD.date)))
        g.add((e, DCTERMS.isPartOf, r))
        if entry.kind == "chronicle":
            g.add((e, CRD.chronicleIndex, Literal(entry.index)))
            g.add((e, CRD.chronicleSection, iris.concept("section", entry.section.key)))
        else:
            g.add((e, DCTERMS.isPartOf, iris.concept("chapter", f"{report.info.id}-{entry.section.key.split('-')[-1]}")))
        if entry.plover:
            g.add((e, SEM.eventType, iris.concept("plover", entry.plover)))
        if entry.form:
            g.add((e, CRD.form, iris.concept("form", entry.form)))
        g.add((e, CRD.online, Literal(entry.online)))
        src = self._passage(g, report, entry.passage)
        g.add((src, CRD.line, Literal(entry.line)))
        g.add((e, PROV.wasDerivedFrom, src))
        actors: dict[URIRef, str] = {}
        persons: list[URIRef] = []
        for m in entry.mentions:
            node = self._mention_node(g, m)
            if node is None:
                continue
            if m.kind == "place":
                g.add((e, SEM.hasPlace, node))
            elif m.kind == "framework":
                g.add((e, CRD.mentions if m.role == "mentioned" else CRD.inFramework, node))
            elif m.kind in ("person", "organization", "country"):
                prop = CRD.inferredParticipant if m.inferred else _ROLE_PROPERTY.get(m.role, CRD.participant)
                if m.role == "mentioned":
                    prop = CRD.mentions
                elif m.role == "series":
                    g.add((e, CRD.inSeries, node))
                    continue
                g.add((e, prop, node))
                if prop != CRD.mentions:
                    actors.setdefault(node, m.role)
                    if m.kind == "person" and node not in persons:
                        persons.append(node)
                    part = iris.derived("participation", str(e), str(node))
                    g.add((part, RDF.type, CRD.Participation))
                    g.add((part, CRD.inEvent, e))
                    g.add((part, CRD.agent, node))
                    g.add((part, CRD.role, iris.concept("role", m.role or "participant")))
                    if m.inferred and m.via:
                        g.add((part, CRD.inferredFrom, iris.office(m.via)))
                    else:
                        g.add((part, PROV.wasDerivedFrom, src))
            if m.kind == "organization" and m.role not in ("mentioned", "series"):
                for fw in self._frameworks_of(m.key):
                    g.add((e, CRD.inFramework, fw))
        for m in entry.mentions:
            if m.kind not in ("agreement", "project"):
                continue
            node = self._mention_node(g, m)
            g.add((e, CRD.concludes if m.role == "concludes" else CRD.about, node))
            g.add((node, PROV.wasDerivedFrom, src))
            curated = self.ref.agreements.get(m.key) if m.key else None
            if m.role == "concludes" and not (curated and curated.date):
                g.add((node, SCHEMA.dateCreated, Literal(entry.date_begin.isoformat(), datatype=XSD.date)))
            if m.role == "concludes" and not (curated and curated.parties):
                parties = [a for a in actors if "/organization/" in str(a)] or \
                    [a for a in actors if "/country/" in str(a)]
                for a in parties:
                    g.add((node, CRD.party, a))
        for n, f in enumerate(entry.figures):
            fig = iris.derived("figure", str(e), str(n))
            self._figure(g, report, fig, f, src)
            g.add((e, CRD.reports, fig))
        if entry.meetings:
            places = [(m, self._mention_node(g, m)) for m in entry.mentions
                      if m.kind == "place" and m.role != "mentioned"]
            for n, m in enumerate(entry.meetings, start=1):
                here = [node for p, node in places if m.passage.start <= p.start < m.passage.end]
                self._meeting(g, report, e, entry, n, m, here or [node for _, node in places])
        elif entry.plover in MEETING_TYPES:
            self._encounters(g, e, persons, entry.date_begin)

    def _meeting(self, g: Graph, report: Report, e: URIRef, entry: ChronicleEntry, n: int, m: ReportedMeeting,
                 places: list) -> None:
        """One of the meetings an entry reports, as a sub-event with its own persons,
        day, type and sentence; who met whom is read from it."""
        sub = iris.event(report.info.id, m.date_begin, f"{entry.title}#{n}")
        g.add((e, SEM.hasSubEvent, sub))
        g.add((sub, RDF.type, _FORM_CLASS.get(m.form, CRD.Meeting)))
        acting: dict[URIRef, Mention] = {}
        for p in m.persons:
            node = self._mention_node(g, p)
            if node is not None:
                acting.setdefault(node, p)
        names = "、".join(dict.fromkeys(p.surface for p in m.persons))
        label = Literal(f"{entry.title}（{names}）", lang="zh")
        g.add((sub, RDFS.label, label))
        g.add((sub, SKOS.prefLabel, label))
        g.add((sub, SEM.hasBeginTimeStamp, Literal(m.date_begin.isoformat(), datatype=XSD.date)))
        g.add((sub, SEM.hasEndTimeStamp, Literal(m.date_end.isoformat(), datatype=XSD.date)))
        g.add((sub, SEM.eventType, iris.concept("plover", m.plover)))
        g.add((sub, CRD.form, iris.concept("form", m.form)))
        g.add((sub, PROV.wasDerivedFrom, self._passage(g, report, m.passage)))
        for place in places:
            g.add((sub, SEM.hasPlace, place))
        for node, p in acting.items():
            g.add((sub, CRD.inferredParticipant if p.inferred else CRD.participant, node))
        self._encounters(g, sub, list(acting), m.date_begin)

    @staticmethod
    def _encounters(g: Graph, e: URIRef, persons: list[URIRef], day: dt.date) -> None:
        for a, b in combinations(sorted(set(persons)), 2):
            g.add((a, CRD.metWith, b))
            g.add((b, CRD.metWith, a))
            enc = iris.derived("encounter", str(e), str(a), str(b))
            g.add((enc, RDF.type, CRD.Encounter))
            g.add((enc, CRD.person, a))
            g.add((enc, CRD.person, b))
            g.add((enc, CRD.inEvent, e))
            g.add((enc, SCHEMA.startDate, Literal(day.isoformat(), datatype=XSD.date)))

    def _figure(self, g: Graph, report: Report, node: URIRef, f, src: URIRef | None = None) -> None:
        g.add((node, RDF.type, CRD.Figure))
        g.add((node, CRD.measure, Literal(f.measure, lang="zh")))
        g.add((node, SCHEMA.value, Literal(f.value)))
        g.add((node, SCHEMA.unitText, Literal(f.printed_unit, lang="zh")))
        if f.unit:
            g.add((node, SCHEMA.unitCode, Literal(f.unit)))
            amount = (Decimal(repr(f.value)) * Decimal(repr(f.scale))).normalize()
            g.add((node, CRD.amount, Literal(format(amount, "f"), datatype=XSD.decimal)))
        g.add((node, CRD.isChange, Literal(f.change)))
        g.add((node, CRD.measureKind, iris.concept("measure", f.topic)))
        if f.period:
            g.add((node, CRD.period, Literal(f.period, lang="zh")))
        if f.period_begin:
            g.add((node, SCHEMA.startDate, Literal(f.period_begin.isoformat(), datatype=XSD.date)))
            g.add((node, SCHEMA.endDate, Literal(f.period_end.isoformat(), datatype=XSD.date)))
        if f.category:
            g.add((node, CRD.category, Literal(f.category, lang="zh")))
        if f.table:
            g.add((node, CRD.table, Literal(f.table, lang="zh")))
        if f.flow:
            g.add((node, CRD.flowFrom, iris.country(f.flow[0])))
            g.add((node, CRD.flowTo, iris.country(f.flow[1])))
        g.add((node, PROV.wasDerivedFrom, src if src is not None else self._passage(g, report, f.passage)))

    def _frameworks_of(self, org_id: str | None) -> list[URIRef]:
        if not org_id:
            return []
        out = []
        for oid in (org_id, *self.ref.org_ancestors(org_id)):
            f = self.ref.framework_by_id(oid)
            if f is not None:
                out.append(framework_node(self.ref, f.code))
        return out

    def _mention_node(self, g: Graph, m: Mention) -> URIRef | None:
        """The node a mention names: the curated entity, or a new one named after the surface form."""
        if m.kind == "country":
            return iris.country(m.key) if m.key else None
        if m.kind == "framework":
            return framework_node(self.ref, m.key) if m.key else None
        if m.kind not in _NEW_NODE_CLASS:
            return None
        mint = _MINT[m.kind]
        if m.key:
            n = mint(m.key)
            known = self._tables[m.kind].get(m.key)
            if not m.inferred and len(m.surface) > 1 and (known is None or m.surface != known.zh):
                g.add((n, SKOS.altLabel, Literal(m.surface, lang="zh")))  # the form this passage used
            return n
        n = mint(iris.slug_for(m.surface))
        g.add((n, RDF.type, _NEW_NODE_CLASS[m.kind]))
        _labels(g, n, m.surface, m.en)
        return n


__all__ = ["ontology_graph", "reference_graph", "ReportGraphBuilder", "framework_node", "dataset", "shared_graphs",
           "report_graphs", "StandardTerms", "with_standard_terms"]


def shared_graphs(ref: ReferenceData) -> Iterator[tuple[URIRef, Graph]]:
    """The named graphs every build holds, whatever its reports: ontology and reference data."""
    yield iris.ONTOLOGY_GRAPH, ontology_graph()
    yield iris.REFERENCE_GRAPH, reference_graph(ref)


def report_graphs(reports: Sequence[Report], ref: ReferenceData) -> Iterator[tuple[URIRef, Graph]]:
    """One named graph per report, streamed in parts.

    Raises
    ------
    ValueError
        Two of ``reports`` are the same report (checked before anything is mapped).
    """
    ids = [rep.info.id for rep in reports]
    for rid in ids:
        if ids.count(rid) > 1:
            raise ValueError(f"two sources are the same report {rid!r}")
    return _report_parts(reports, ReportGraphBuilder(ref))


def _report_parts(reports: Sequence[Report], builder: ReportGraphBuilder) -> Iterator[tuple[URIRef, Graph]]:
    for rep in reports:
        name = iris.report_graph(rep.info.id)
        for part in builder.parts(rep):
            yield name, part


def dataset(reports: Sequence[Report], ref: ReferenceData) -> Iterator[tuple[URIRef, Graph]]:
    """The named graphs of a build: ontology, reference data, one per report (streamed in parts)."""
    parts = report_graphs(reports, ref)
    yield from shared_graphs(ref)
    yield from parts
