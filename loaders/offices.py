"""Offices as the text names them, and who held them on the day.

An office is named by its own form (中国驻俄罗斯大使) or by countries before a role word
(中俄外长, 两国元首, 中国、俄罗斯、美国和巴基斯坦阿富汗问题特别代表), or as the member
states' officials of an organization (上海合作组织成员国外长). Its holder on a date comes
from the reference data.
"""

from __future__ import annotations

import datetime as dt
import re

from ontology.reference import ReferenceData
from ontology.rules import Rules

from .mentions import MentionFinder
from .records import Mention, Passage

__all__ = ["OfficeReader"]

_CUES = Rules.load()
_OFFICIALS_OF = _CUES.cue("officials_of")
_REFERS_TO = _CUES.cue("refers_to")
_BY_REFERENCE = _CUES.cue("by_reference")
_PAIR = re.compile(r"(两国|双方)$")


class OfficeReader:
    """Reads offices in a phrase and names their holders on a day.

    >>> from ontology.reference import ReferenceData
    >>> ref = ReferenceData.load()
    >>> reader = OfficeReader(ref, MentionFinder(ref))
    >>> sorted(reader.offices_named("中俄外长通电话"))
    ['cn-foreign-minister', 'ru-foreign-minister']
    >>> [m.key for m in reader.holders_named("中俄外长通电话", dt.date(2020, 4, 14), Passage(0, 7, ""))]
    ['wang-yi', 'sergey-lavrov']
    """

    def __init__(self, ref: ReferenceData, finder: MentionFinder):
        self.ref = ref
        self.finder = finder
        self.role_words = sorted(ref.office_words.items(), key=lambda kv: -len(kv[0]))
        chars = "".join(sorted(finder.country_chars))
        self._abbrev_run = re.compile(rf"(?:^|[^\u4e00-\u9fff]|(?<=[的与和同]))([{chars}]{{1,4}})(?:两国|三国|四国|双方)?$")

    def holders_named(self, text: str, day: dt.date, where: Passage, *, members_day: dt.date | None = None,
                      exclude: set[str] = frozenset(), represented: set[str] = frozenset()) -> list[Mention]:
        """The holders on ``day`` of the offices ``text`` names, as inferred person
        mentions at ``where``; the member states' officials only with ``members_day``, and
        not for states ``represented`` by someone the text names."""
        out, seen = [], set(exclude)
        of_members: set[str] = set()
        for office_id in self.offices_named(text, members_day, of_members=of_members):
            if office_id in of_members and self.ref.offices[office_id].country in represented:
                continue
            holders = self.holders(office_id, day)
            if len(holders) != 1 or holders[0] in seen:
                continue
            seen.add(holders[0])
            out.append(Mention("person", holders[0], self.ref.offices[office_id].zh, where.start, where.end,
                               "participant", True, office_id))
        return out

    def office_before(self, prefix: str) -> str | None:
        """The one office a phrase names at its very end (巴西外长 in …、巴西外长), or None."""
        offices = self.offices_named(prefix)
        if len(offices) != 1:
            return None
        off = self.ref.offices[offices[0]]
        words = [w for w, role in self.ref.office_words.items() if role == off.role]
        return off.id if any(prefix.endswith(f) for f in (off.zh, *off.zh_aliases, *words)) else None

    def holders(self, office_id: str, day) -> list[str]:
        """Holders on ``day``; for an office named without its portfolio (俄罗斯副外长),
        everyone holding any office of that role and state, since the text does not say which."""
        off = self.ref.offices[office_id]
        if off.portfolio:
            return self.ref.holders(office_id, day)
        same = [o.id for o in self.ref.offices.values() if o.role == off.role and o.country == off.country
                and o.host == off.host]
        return sorted({h for o in same for h in self.ref.holders(o, day)})

    def offices_named(self, text: str, day=None, *, of_members: set[str] | None = None) -> list[str]:
        """Offices a phrase names: an office's own form, or countries followed by a role
        word, or (with ``day``) the member states' officials of an organization; those last
        are also put in ``of_members`` when given."""
        found = self.finder.find(text)
        out: list[str] = []
        for f in found:
            # 中国驻俄罗斯大使馆 is the embassy, not the ambassador
            if f.kind == "office" and f.key not in out and not text[f.end:f.end + 1] in ("馆", "处", "级", "驻"):
                out.append(f.key)
        persons = [f for f in found if f.kind == "person"]
        names = [f for f in found if f.kind in ("organization", "framework", "place")]
        taken: list[tuple[int, int]] = []
        for word, role in self.role_words:
            for m in re.finditer(re.escape(word), text):
                p = m.start()
                if any(a < m.end() and p < b for a, b in taken):
                    continue  # 外长 inside 副外长, already read as the longer word
                taken.append(m.span())
                inside = [f for f in names if f.start <= p < f.end]
                prefix = inside[0].surface[:p - inside[0].start] if inside else ""
                if inside and role in self._MEMBER_ROLES and day is not None and \
                        _CUES.cue("member_states").search(prefix) and not _OFFICIALS_OF.search(prefix) and \
                        re.search(re.escape(word) + _CUES.cue("council_of").pattern, inside[0].surface):
                    # 上海合作组织成员国外长理事会: a council of the member states' ministers
                    for code in self._members_of_body(inside[0].key, day):
                        office_id = self._office_for(role, code, "")
                        if office_id and office_id not in out:
                            out.append(office_id)
                            if of_members is not None:
                                of_members.add(office_id)
                    continue
                if inside or text[m.end():m.end() + 1] in ("馆", "处", "级"):
                    continue  # 中俄总理定期会晤委员会 names a commission, not the premiers
                clause_start = max(text.rfind(ch, 0, p) for ch in "，。；：,") + 1
                member_codes: set[str] = set()
                run = self._abbrev_run.search(text[clause_start:p])
                if run:  # 中俄外长, 中俄两国元首: one-character country names right before the role
                    codes = [self.finder.country_chars[ch] for ch in run.group(1)]
                    last_end = p
                else:
                    if any(f.start <= p < f.end and f.kind == "office" for f in found):
                        continue
                    # a country named as the office's subject (阿富汗问题特别代表) is no holder's country
                    states = [f for f in found if f.kind == "country" and clause_start <= f.start and f.end <= p
                              and not _CUES.cue("country_topic_after").match(text[f.end:p])]
                    codes = [f.key for f in states]
                    if codes:
                        last_end = max(f.end for f in states)
                    elif _PAIR.search(text[clause_start:p]):  # 两国总理: the series' two countries
                        codes, last_end = list(_CUES.pair_states), p
                    else:  # 金砖国家领导人, 上海合作组织成员国外长: the member states' officials
                        codes, last_end = self._member_states(found, text, p, day)
                        if not codes:
                            continue
                        member_codes = set(codes)
                topic = text[last_end:p]
                if len(topic) > 12 or any(last_end <= f.start < p + len(word) for f in persons):
                    continue
                # 外交部司级领导人 are officials of a ministry, not the leaders; 根据两国领导人协议
                # and 两国元首达成的共识 refer to the leaders without their taking part
                if _OFFICIALS_OF.search(topic) or _REFERS_TO.match(text[m.end():]) or \
                        _BY_REFERENCE.search(text[clause_start:p]):
                    continue
                if text[p + len(word):p + len(word) + 1] and re.match(r"[\u4e00-\u9fff]", text[p + len(word)]) \
                        and text[p:p + len(word) + 2] in self.ref.office_words:
                    continue
                if not run and topic == "" and len(codes) > 2 and role not in self._MEMBER_ROLES:
                    continue
                for code in dict.fromkeys(codes):
                    office_id = self._office_for(role, code, topic)
                    if office_id and office_id not in out:
                        out.append(office_id)
                        if of_members is not None and code in member_codes:
                            of_members.add(office_id)
        return out

    _MEMBER_ROLES = frozenset({"head_of_state", "head_of_government", "foreign_minister", "defence_minister"})

    def _member_states(self, found, text: str, p: int, day) -> tuple[list[str], int]:
        """Member states of the organization named right before a role word, on ``day``."""
        orgs = [f for f in found if f.kind == "organization" and f.end <= p and p - f.end <= 4
                and _CUES.cue("org_of_members").fullmatch(text[f.end:p])]
        if not orgs or day is None:
            return [], p
        org = orgs[-1].key
        if not any(m.org == org for m in self.ref.memberships):
            return [], p  # 金砖国家统计部门领导人: heads of statistics offices, not the leaders
        return self._members_of_body(org, day), p

    def _members_of_body(self, org_id: str, day) -> list[str]:
        for oid in (org_id, *self.ref.org_ancestors(org_id)):
            members = [m.member for m in self.ref.memberships if m.org == oid and m.role == "member"
                       and (m.start is None or m.start.first <= day) and (m.end is None or day <= m.end.last)
                       and m.member.upper() in self.ref.countries]
            if members:
                return members
        return []

    def _office_for(self, role: str, country: str, topic: str) -> str | None:
        if role == "head_of_state":  # the leader who attends summits (India's prime minister)
            leader = [o for o in self.ref.offices.values() if o.country == country and o.leads_at_summits]
            if leader:
                return leader[0].id
        cands = [o for o in self.ref.offices.values() if o.role == role and o.country == country]
        words = [w for w in _CUES.cue("topic_split").split(topic.strip("两国双方的")) if len(w) >= 2]
        if len(cands) > 1 and words:
            narrowed = [o for o in cands if any(w in o.zh or any(w in a for a in o.zh_aliases) for w in words)]
            cands = narrowed or cands
        if len(cands) > 1:
            generic = [o for o in cands if not o.portfolio]
            cands = generic if len(generic) == 1 else cands
        return cands[0].id if len(cands) == 1 else None
