"""Curated reference data: people, offices and their holders, organizations,
frameworks, memberships, countries and places, read from ``ontology/data``.

The files are the knowledge; this module only reads and checks them. Several files
of one kind (``persons/*.jsonl``) are merged by ``id``.

    >>> ref = ReferenceData.load()
    >>> ref.countries["RU"].en
    'Russia'
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from . import DATA_DIR


class ReferenceDataError(ValueError):
    """A reference-data file is malformed or contradicts another; names file and line."""

    def __init__(self, where: str, message: str):
        self.where = where
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class PartialDate:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with the first and last day it can mean."""

    text: str

    @property
    def first(self) -> dt.date:
        parts = [int(p) for p in self.text.split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

    @property
    def last(self) -> dt.date:
        parts = [int(p) for p in self.text.split("-")]
        if len(parts) == 3:
            return dt.date(*parts)
        if len(parts) == 2:
            nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(parts[0], 12, 31)

    @property
    def exact(self) -> bool:
        return self.text.count("-") == 2

    @classmethod
    def parse(cls, text: str | None, where: str) -> PartialDate | None:
        text = (text or "").strip()
        if not text:
            return None
        pd = cls(text)
        try:
            pd.first, pd.last  # noqa: B018 - validates
        except (ValueError, IndexError):
            raise ReferenceDataError(where, f"bad date {text!r} (want YYYY, YYYY-MM or YYYY-MM-DD)") from None
        return pd


@dataclass(frozen=True, kw_only=True)
class Names:
    """Names in three languages, their other forms, and where they come from."""

    en: str
    zh: str
    ru: str = ""
    zh_aliases: tuple[str, ...] = ()
    en_aliases: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Named(Names):
    """What every curated entity has: a stable id and its names."""

    id: str
    note: str = ""


@dataclass(frozen=True)
class Person(Named):
    ambiguous_zh: tuple[str, ...] = ()
    country: str | None = None
    affiliation: str = ""


@dataclass(frozen=True)
class Organization(Named):
    ambiguous_zh: tuple[str, ...] = ()
    acronym: str = ""
    type: str = ""
    country: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class Office:
    id: str
    role: str
    en: str
    zh: str
    country: str | None = None
    org: str | None = None
    zh_aliases: tuple[str, ...] = ()
    portfolio: str = ""
    host: str | None = None
    leads_at_summits: bool = False  # a head of government who, not the head of state, attends summits
    plural: bool = False  # several people hold it at once (vice premiers, deputy ministers, spokespersons)
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class OfficeTerm:
    office: str
    person: str
    start: PartialDate | None
    end: PartialDate | None
    source: str

    def covers(self, day: dt.date) -> bool:
        """The term may cover ``day``: a date known to the month covers the whole month."""
        return (self.start is None or self.start.first <= day) and (self.end is None or day <= self.end.last)

    def surely_covers(self, day: dt.date) -> bool:
        """The term covers ``day`` whichever day of a month-only date is meant."""
        return (self.start is None or self.start.last <= day) and (self.end is None or day <= self.end.first)


@dataclass(frozen=True)
class Framework(Names):
    code: str
    id: str
    kind: str


@dataclass(frozen=True)
class Membership:
    org: str
    member: str
    role: str
    start: PartialDate | None
    end: PartialDate | None
    source: str


@dataclass(frozen=True)
class Country(Names):
    code: str


@dataclass(frozen=True)
class Place(Named):
    ambiguous_zh: tuple[str, ...] = ()
    country: str | None = None
    type: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class Agreement(Named):
    type: str = ""
    date: str = ""
    parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class Project(Named):
    type: str = ""
    partners: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    start: str = ""


@dataclass(frozen=True)
class SectionHeading:
    zh: str
    key: str
    en: str


@dataclass
class ReferenceData:
    persons: dict[str, Person] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    offices: dict[str, Office] = field(default_factory=dict)
    terms: list[OfficeTerm] = field(default_factory=list)
    office_words: dict[str, str] = field(default_factory=dict)  # zh role word -> role
    frameworks: dict[str, Framework] = field(default_factory=dict)  # by code
    memberships: list[Membership] = field(default_factory=list)
    countries: dict[str, Country] = field(default_factory=dict)  # by ISO code
    places: dict[str, Place] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    sections: list[SectionHeading] = field(default_factory=list)
    _by_office: tuple[int, dict[str, list[OfficeTerm]]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, directory: str | Path | None = None) -> ReferenceData:
        d = Path(directory) if directory else DATA_DIR
        ref = cls()
        ref.persons = _merge(_jsonl_kind(d, "persons", Person), "persons")
        ref.organizations = _merge(_jsonl_kind(d, "organizations", Organization), "organizations")
        ref.places = _merge(_jsonl_kind(d, "places", Place), "places")
        ref.offices = _merge(_jsonl_kind(d, "offices", Office), "offices")
        ref.agreements = _merge(_jsonl_kind(d, "agreements", Agreement), "agreements")
        ref.projects = _merge(_jsonl_kind(d, "projects", Project), "projects")
        for row, where in _tsv_kind(d, "office_holders"):
            ref.terms.append(OfficeTerm(row["office"], row["person"], PartialDate.parse(row.get("start"), where),
                                        PartialDate.parse(row.get("end"), where), row.get("source", "")))
        for row, _ in _tsv(d / "office_words.tsv"):
            ref.office_words[row["zh"]] = row["role"]
        for row, where in _tsv(d / "frameworks.tsv"):
            ref.frameworks[row["code"]] = Framework(row["code"], row["id"], row.get("kind", ""), **_names(row))
        for row, where in _tsv_kind(d, "memberships"):
            ref.memberships.append(Membership(row["org"], row["member"], row.get("role", "member"),
                                              PartialDate.parse(row.get("start"), where),
                                              PartialDate.parse(row.get("end"), where), row.get("source", "")))
        for row, _ in _tsv(d / "countries.tsv"):
            ref.countries[row["code"]] = Country(row["code"], **_names(row))
        for row, _ in _tsv(d / "chronicle_sections.tsv"):
            ref.sections.append(SectionHeading(row["zh"], row["key"], row.get("en", "")))
        ref.check()
        return ref

    # -- queries -------------------------------------------------------------------------

    def holders(self, office: str, day: dt.date) -> list[str]:
        """Ids of the persons holding ``office`` on ``day``.

        An office with one holder at a time changes hands on the day the successor
        starts; where the dates leave the handover open (both known to the month), the
        term that surely covers the day decides, and without one both are returned.
        """
        terms = [t for t in self._terms_by_office().get(office, ()) if t.covers(day)]
        off = self.offices.get(office)
        if len(terms) > 1 and off is not None and not off.plural:
            sure = [t for t in terms if t.surely_covers(day)]
            if len(sure) > 1:
                latest = max(t.start.first for t in sure if t.start)
                sure = [t for t in sure if t.start and t.start.first == latest]
            terms = sure or terms
        return sorted({t.person for t in terms})

    def _terms_by_office(self) -> dict[str, list[OfficeTerm]]:
        if self._by_office is None or self._by_office[0] != len(self.terms):
            index: dict[str, list[OfficeTerm]] = defaultdict(list)
            for t in self.terms:
                index[t.office].append(t)
            self._by_office = (len(self.terms), dict(index))
        return self._by_office[1]

    def offices_held(self, person: str) -> list[OfficeTerm]:
        return [t for t in self.terms if t.person == person]

    def framework_by_id(self, node_id: str) -> Framework | None:
        return next((f for f in self.frameworks.values() if f.id == node_id), None)

    def org_ancestors(self, org_id: str) -> list[str]:
        out, seen = [], {org_id}
        cur = self.organizations.get(org_id)
        while cur is not None and cur.parent and cur.parent not in seen:
            out.append(cur.parent)
            seen.add(cur.parent)
            cur = self.organizations.get(cur.parent)
        return out

    def check(self) -> None:
        """Cross-file consistency: references resolve, no surface form names two entities."""
        for t in self.terms:
            if t.office not in self.offices:
                raise ReferenceDataError("office_holders", f"unknown office {t.office!r}")
            if t.person not in self.persons:
                raise ReferenceDataError("office_holders", f"unknown person {t.person!r} (add it to persons/)")
        for o in self.organizations.values():
            if o.parent and o.parent not in self.organizations:
                raise ReferenceDataError("organizations/", f"{o.id}: unknown parent {o.parent!r}")
        for kind, table in (("person", self.persons), ("organization", self.organizations), ("place", self.places),
                            ("agreement", self.agreements), ("project", self.projects)):
            owner: dict[str, str] = {}
            for e in table.values():
                for form in {e.zh, *e.zh_aliases} - set(getattr(e, "ambiguous_zh", ())):
                    if form and owner.setdefault(form, e.id) != e.id:
                        raise ReferenceDataError(
                            f"{kind} data", f"the form {form!r} is listed for both {owner[form]!r} and {e.id!r}; "
                            "list it in ambiguous_zh of both if it really is shared")


def _names(row: dict[str, str]) -> dict:
    """The ``Names`` of a row of a TSV table (a ``zh`` column at least)."""
    return {"zh": row["zh"], "en": row.get("en", ""), "ru": row.get("ru", ""),
            "zh_aliases": _split(row.get("zh_aliases")), "en_aliases": _split(row.get("en_aliases")),
            "source": row.get("source", "")}


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (cell or "").split("|") if x.strip())


def _tsv(path: Path) -> Iterator[tuple[dict[str, str], str]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t")
        for n, row in enumerate(reader, start=2):
            yield {k.strip(): (v or "").strip() for k, v in row.items() if k}, f"{_where(path)}:{n}"


def _where(path: Path) -> str:
    return f"{path.parent.name}/{path.name}" if path.parent.name != "data" else path.name


def _jsonl(path: Path, cls: type) -> Iterator[tuple[object, str]]:
    if not path.exists():
        return
    names = {f.name for f in fields(cls)}
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            where = f"{_where(path)}:{n}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReferenceDataError(where, f"not JSON: {exc.msg}") from None
            if not raw.get("id") or not raw.get("zh"):
                raise ReferenceDataError(where, "every entry needs an id and a zh name")
            kw = {}
            for k, v in raw.items():
                if k not in names:
                    continue
                if isinstance(v, list):
                    v = tuple(str(x).replace(" ", "") if k.endswith("_zh") or k == "zh_aliases" else str(x)
                              for x in v if x)
                elif k == "zh" and isinstance(v, str):
                    v = v.replace(" ", "")
                kw[k] = v
            yield cls(**kw), where


def _kind_files(d: Path, kind: str, ext: str) -> list[Path]:
    """A kind's data lives in ``KIND.ext``, in ``KIND/*.ext`` (one file per area), or both."""
    folder = d / kind
    return [d / f"{kind}.{ext}", *(sorted(folder.glob(f"*.{ext}")) if folder.is_dir() else ())]


def _jsonl_kind(d: Path, kind: str, cls: type) -> Iterable[tuple[object, str]]:
    for path in _kind_files(d, kind, "jsonl"):
        yield from _jsonl(path, cls)


def _tsv_kind(d: Path, kind: str) -> Iterable[tuple[dict[str, str], str]]:
    for path in _kind_files(d, kind, "tsv"):
        yield from _tsv(path)


def _merge(items: Iterable[tuple[object, str]], what: str) -> dict:
    """Merge entries by id: alias lists are united; differing names or countries are an error."""
    out: dict = {}
    for item, where in items:
        prev = out.get(item.id)
        if prev is None:
            out[item.id] = item
            continue
        for key in ("en", "country"):
            a, b = getattr(prev, key, None), getattr(item, key, None)
            if a and b and a != b:
                raise ReferenceDataError(where, f"{item.id}: {key} {b!r} contradicts {a!r} given earlier in {what}")
        merged = {}
        for f in fields(prev):
            a, b = getattr(prev, f.name), getattr(item, f.name)
            if isinstance(a, tuple):
                extra = tuple(x for x in (*b, getattr(item, "zh", None) if f.name == "zh_aliases" else None)
                              if x and x not in a and x != getattr(prev, "zh", None))
                merged[f.name] = a + extra
            else:
                merged[f.name] = a or b
        out[item.id] = replace(prev, **merged)
    return out


def by_surface(ref: ReferenceData) -> dict[str, list[tuple[str, str]]]:
    """Every Chinese surface form → [(kind, id)], for the dictionary and the linker."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def add(form: str, kind: str, key: str) -> None:
        if form and (kind, key) not in out[form]:
            out[form].append((kind, key))

    for p in ref.persons.values():
        for form in (p.zh, *p.zh_aliases, *p.ambiguous_zh):
            add(form, "person", p.id)
    for o in ref.organizations.values():
        for form in (o.zh, *o.zh_aliases, *o.ambiguous_zh):
            add(form, "organization", o.id)
    for c in ref.countries.values():
        for form in (c.zh, *c.zh_aliases):
            if len(form) > 1:
                add(form, "country", c.code)
    for pl in ref.places.values():
        for form in (pl.zh, *pl.zh_aliases, *pl.ambiguous_zh):
            add(form, "place", pl.id)
    for f in ref.frameworks.values():
        if f.kind != "organization":
            for form in (f.zh, *f.zh_aliases):
                add(form, "framework", f.code)
    for off in ref.offices.values():
        for form in (off.zh, *off.zh_aliases):
            add(form, "office", off.id)
    return dict(out)
