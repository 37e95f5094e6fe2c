"""The curated reference data checks itself: what a row says must fit with the others."""

import datetime as dt
from collections import defaultdict

import pytest

from ontology.reference import ReferenceData


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return ReferenceData.load()


def test_every_row_names_its_source(ref):
    unsourced = [p.id for p in ref.persons.values() if not p.source]
    unsourced += [o.id for o in ref.offices.values() if not o.source]
    unsourced += [f"{t.office}/{t.person}" for t in ref.terms if not t.source]
    unsourced += [f"{m.org}/{m.member}" for m in ref.memberships if not m.source]
    assert unsourced == []


def test_terms_start_before_they_end(ref):
    bad = [(t.office, t.person) for t in ref.terms if t.start and t.end and t.start.first > t.end.last]
    assert bad == []


def test_single_holder_offices_have_one_holder_at_a_time(ref):
    """Two terms of an office that is not ``plural`` may meet within the month a partial
    date leaves open, never overlap for certain."""
    by_office = defaultdict(list)
    for t in ref.terms:
        if not ref.offices[t.office].plural:
            by_office[t.office].append(t)
    clashes = []
    for office, terms in by_office.items():
        for i, a in enumerate(terms):
            for b in terms[i + 1:]:
                a_lo, a_hi = (a.start.last if a.start else dt.date.min), (a.end.first if a.end else dt.date.max)
                b_lo, b_hi = (b.start.last if b.start else dt.date.min), (b.end.first if b.end else dt.date.max)
                if a.person != b.person and a_lo < b_hi and b_lo < a_hi:
                    clashes.append((office, a.person, b.person))
    assert clashes == []


def test_a_persons_terms_of_one_office_do_not_overlap(ref):
    seen = defaultdict(list)
    for t in ref.terms:
        seen[(t.office, t.person)].append(t)
    overlapping = []
    for key, terms in seen.items():
        terms = sorted(terms, key=lambda t: t.start.first if t.start else dt.date.min)
        for a, b in zip(terms, terms[1:]):
            if a.end is None or (b.start and a.end.first > b.start.last):
                overlapping.append(key)
    assert overlapping == []


def test_single_holder_office_has_a_unique_holder_on_every_day(ref):
    """Every day 2012–2026, an office with one holder at a time has at most one holder
    (where month-only dates leave a handover open, the month is the exception)."""
    bad = []
    day0 = dt.date(2012, 1, 1)
    for office in ref.offices.values():
        if office.plural:
            continue
        for i in range((dt.date(2026, 12, 31) - day0).days + 1):
            day = day0 + dt.timedelta(days=i)
            held = ref.holders(office.id, day)
            if len(held) > 1 and not _open_handover(ref, office.id, day):
                bad.append((office.id, day.isoformat(), held))
                break
    assert bad == []


def test_report_period_has_unique_holders(ref):
    """On every day of the bundled report's period (April 2020 – March 2021), the data
    fixes who held each single-holder office: inference needs that."""
    bad = []
    for office in ref.offices.values():
        if office.plural:
            continue
        for i in range(365):
            day = dt.date(2020, 4, 1) + dt.timedelta(days=i)
            if len(ref.holders(office.id, day)) > 1:
                bad.append((office.id, day.isoformat()))
                break
    assert bad == []


def _open_handover(ref, office, day):
    terms = [t for t in ref.terms if t.office == office and t.covers(day)]
    return not any(t.surely_covers(day) for t in terms)
