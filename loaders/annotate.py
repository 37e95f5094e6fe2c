"""Annotation stages over chronicle entries, each with one job:

- ``EventTyper``: PLOVER type and form from the rules in ``rules/event_types.tsv``;
- ``MentionStage``: entity mentions in title and paragraph (``MentionFinder``);
- ``ParticipantStage``: which persons took part and in what role, and the
  participants an entry names only by office (中俄外长通电话), inferred from who held
  the office on the day.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace

from ontology.reference import ReferenceData
from ontology.rules import RULES_DIR, Rules

from .mentions import MentionFinder, locate
from .records import ChronicleEntry, Mention

_CUES = Rules.load()
_ONLINE = _CUES.cue("online")


@dataclass(frozen=True)
class TypingRule:
    field: str
    pattern: re.Pattern
    plover: str
    form: str


class EventTyper:
    """PLOVER type and form of an entry, from reviewable rules.

    >>> typer = EventTyper.from_file()
    >>> typer.classify("中俄外长通电话", "")
    ('CONSULT', 'phone_call')
    """

    requires = ("entry.title", "entry.paragraph")
    assigns = ("entry.plover", "entry.form", "entry.online")

    def __init__(self, rules: list[TypingRule]):
        self.rules = rules

    @classmethod
    def from_file(cls, path=RULES_DIR / "event_types.tsv") -> EventTyper:
        rules = []
        with open(path, encoding="utf-8", newline="") as fh:
            rows = csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t")
            for n, row in enumerate(rows, start=2):
                try:
                    pat = re.compile(row["pattern"])
                except re.error as exc:
                    raise ValueError(f"{path.name}:{n}: bad pattern {row['pattern']!r}: {exc}") from None
                rules.append(TypingRule(row["field"], pat, row.get("plover") or "", row.get("form") or ""))
        return cls(rules)

    def classify(self, title: str, text: str) -> tuple[str, str]:
        plover = form = ""
        for r in self.rules:
            subject = title if r.field == "title" else text if r.field == "text" else title + "\n" + text
            if (not plover and r.plover) or (not form and r.form):
                if r.pattern.search(subject):
                    plover = plover or r.plover
                    form = form or r.form
            if plover and form:
                break
        return plover, form

    def __call__(self, entry: ChronicleEntry) -> ChronicleEntry:
        entry.plover, entry.form = self.classify(entry.title, entry.paragraph)
        entry.online = bool(_ONLINE.search(entry.title) or _ONLINE.search(entry.paragraph[:200]))
        if entry.form in ("meeting", "forum") and _ONLINE.search(entry.title + re.split("。", entry.paragraph)[0]):
            entry.form = "video_conference"  # 中俄印外长会晤 held as a 视频会晤
        return entry


class MentionStage:
    """Entity mentions of an entry's title and paragraph, with source offsets."""

    requires = ("report.text", "entry.title", "entry.paragraph", "entry.title_passage", "entry.passage")
    assigns = ("entry.mentions", "entry.title_mentions")

    def __init__(self, finder: MentionFinder):
        self.finder = finder

    def __call__(self, entry: ChronicleEntry, source: str) -> ChronicleEntry:
        tp = entry.title_passage
        title_found = self.finder.find(entry.title)
        mentions = locate(title_found, entry.title, source[tp.start:tp.end], tp.start, (tp.start, tp.end))
        para_start = tp.end
        para_found = self.finder.find(entry.paragraph)
        mentions += locate(para_found, entry.paragraph, source[para_start:entry.passage.end], para_start,
                           (entry.passage.start, entry.passage.end))
        titles = [(tp.start + a.start(), tp.start + a.end()) for a in _BOOK_TITLE.finditer(source[tp.start:tp.end])]
        titles += [(tp.end + a.start(), tp.end + a.end())
                   for a in _BOOK_TITLE.finditer(source[tp.end:entry.passage.end])]
        # names inside 《…》 belong to a document's title; they do not act in the event
        entry.mentions = [replace(m, role="mentioned")
                          if any(a <= m.start < b for a, b in titles) else m for m in mentions]
        entry.title_mentions = len(title_found)
        return entry


_TAKES_PART = _CUES.cue("takes_part")
_BOOK_TITLE = re.compile(r"《[^》]*》")
_OFFICIALS_OF = _CUES.cue("officials_of")
_REFERS_TO = _CUES.cue("refers_to")
_BY_REFERENCE = _CUES.cue("by_reference")


def _hosts(text: str, people: list[Mention]) -> set[str]:
    """Who chaired: the persons after 由 in 会议由X主持, or the subjects of X与Y共同主持."""
    out: set[str] = set()
    for m in _CUES.cue("chairs").finditer(text):
        start = max(text.rfind(ch, 0, m.start()) for ch in "。；，") + 1
        segment = text[start:m.start()]
        if "由" in segment:
            segment = segment[segment.rindex("由"):]
        elif _CUES.cue("not_chair_clause").search(segment):
            continue  # 在X主持的会议上 names the chair, handled above only with 由
        out.update(p.surface for p in people if p.surface in segment)
    for m in _CUES.cue("chaired_meeting").finditer(text):
        out.update(p.surface for p in people if p.surface in m["seg"])
    return out


def _clause_at(text: str, surface: str) -> str:
    """The sentence of ``text`` around the first occurrence of ``surface``."""
    i = text.find(surface)
    if i < 0:
        return ""
    start = max(text.rfind(ch, 0, i) for ch in "。；！？") + 1
    ends = [j for j in (text.find(ch, i) for ch in "。；！？") if j >= 0]
    return text[start:min(ends) if ends else len(text)]


class ChapterMentionStage:
    """Persons, organizations and countries the analytical chapters name, paragraph by paragraph."""

    KINDS = ("person", "organization", "country")
    requires = ("report.chapters",)
    assigns = ("report.chapter_mentions",)

    def __init__(self, finder: MentionFinder):
        self.finder = finder

    def __call__(self, report):
        out = []
        for chapter in report.chapters:
            for para in list(chapter.paragraphs) + [p for s in chapter.sections for p in s.paragraphs]:
                found = [f for f in self.finder.find(para.text) if f.kind in self.KINDS]
                for m in locate(found, para.text, para.passage.text, para.passage.start,
                                (para.passage.start, para.passage.end)):
                    out.append((replace(m, role="mentioned"), para.passage))
        report.chapter_mentions = out
        return report


class ParticipantStage:
    """Persons' roles in an entry, and participants inferred from offices.

    A person named in the entry takes part unless the text only mentions them; the
    chair (会议由…主持) is the host; the one whose words a statement reports is the
    speaker. An entry whose title names offices and no persons (中俄外长通电话) gets
    the holders of those offices on its date, marked as inferred.
    """

    requires = ("entry.mentions", "entry.form", "entry.date_begin", "entry.title", "entry.paragraph")
    assigns = ("entry.mentions",)

    def __init__(self, ref: ReferenceData, finder: MentionFinder):
        self.ref = ref
        self.finder = finder
        self.role_words = sorted(ref.office_words.items(), key=lambda kv: -len(kv[0]))
        chars = "".join(sorted(finder.country_chars))
        self._abbrev_run = re.compile(rf"(?:^|[^\u4e00-\u9fff]|(?<=[的与和同]))([{chars}]{{1,4}})(?:两国|三国|四国|双方)?$")

    def __call__(self, entry: ChronicleEntry) -> ChronicleEntry:
        people = [m for m in entry.mentions if m.kind == "person"]
        text = entry.paragraph
        roles: list[Mention] = []
        title_people = {m.key or m.surface for m in people if m.start < entry.title_passage.end}
        hosts = _hosts(text, people)
        for m in people:
            if m.role == "mentioned":
                roles.append(m)
                continue
            role = "participant"
            clause = _clause_at(entry.paragraph, m.surface)
            if self._historical(clause, entry):
                role = "mentioned"
            elif title_people and (m.key or m.surface) not in title_people and not _TAKES_PART.search(clause):
                role = "mentioned"
            elif m.surface in hosts:
                role = "host"
            elif entry.form == "statement" and re.search(
                    rf"{re.escape(m.surface)}[^。]{{0,6}}{_CUES.cue('speaks').pattern}", text):
                role = "speaker"
            roles.append(replace(m, role=role))
        inferred = self._inferred(entry, {m.key for m in people if m.key})
        person_level = bool(title_people) or bool(self.offices_named(entry.title))
        others = [self._other_role(m, entry, person_level) for m in entry.mentions if m.kind != "person"]
        others = self._organizations_as_actors(others)
        mentions = others + roles + inferred
        mentions += self._countries_of_actors(entry, mentions)
        entry.mentions = sorted(mentions, key=lambda m: (m.start, m.kind, m.key or ""))
        return entry

    def _other_role(self, m: Mention, entry: ChronicleEntry, person_level: bool) -> Mention:
        """Organizations, places and countries: acting, or only mentioned.

        An organization is a topic, not an actor, when the clause is about it
        (联合国改革, 在上合组织框架内) or when officials meet and the paragraph names it
        only as a subject of their talks; a place is where the event happened when the
        title names it or the text says so (在莫斯科举行)."""
        if m.role == "mentioned" or m.kind in ("office", "framework"):
            return m
        in_title = m.start < entry.title_passage.end
        offset = m.start - entry.title_passage.end
        text = entry.paragraph
        i = text.find(m.surface, max(offset - 40, 0)) if not in_title else -1
        after = text[i + len(m.surface):i + len(m.surface) + 4] if i >= 0 else ""
        before = text[max(i - 10, 0):i] if i >= 0 else ""
        role = m.role or "participant"
        if m.kind == "place":
            if not in_title and not (_CUES.cue("held_at_before").search(before)
                                     or _CUES.cue("held_at_after").match(after)):
                role = "mentioned"
        elif m.kind == "organization" and not in_title:
            clause = _clause_at(text, m.surface)
            if _CUES.cue("org_topic_after").match(after) or _CUES.cue("org_topic_before").search(before):
                role = "mentioned"
            elif person_level and not _CUES.cue("official_after").match(after) \
                    and not _TAKES_PART.search(clause):
                role = "mentioned"
        elif m.kind == "country" and not in_title:
            if _CUES.cue("country_topic_after").match(after) and not _CUES.cue("joined_before").search(before):
                role = "mentioned"
        return replace(m, role=role)

    def _organizations_as_actors(self, mentions: list[Mention]) -> list[Mention]:
        """What an organization mention stands for.

        - 上合组织成员国卫生部长会议 is a meeting series: the event is part of it, and the
          organization holding it (the SCO) takes part;
        - a body of an intergovernmental organization or a party acts with its parent
          (上海合作组织青年理事会 → SCO too; 统一党总委员会 → United Russia too);
        - 中国政府, 俄罗斯联邦政府 stand for the state: the country takes part.
        """
        out: list[Mention] = []
        for m in mentions:
            org = self.ref.organizations.get(m.key) if m.kind == "organization" and m.key else None
            if org is None or m.role == "mentioned":
                out.append(m)
                continue
            if re.fullmatch(r"[a-z]{2}-government", org.id) and org.country:
                out.append(Mention("country", org.country, m.surface, m.start, m.end, m.role, m.inferred,
                                   f"organization:{org.id}"))
                continue
            ancestors = self.ref.org_ancestors(org.id)
            if ancestors and _CUES.cue("series").search(m.surface):
                out.append(replace(m, role="series"))
            else:
                out.append(m)
            for anc in ancestors[-1:]:
                top = self.ref.organizations[anc]
                if top.type in ("intergovernmental", "party") or out[-1].role == "series":
                    out.append(Mention("organization", anc, m.surface, m.start, m.end, "participant", False,
                                       f"organization:{org.id}"))
        return out

    def _countries_of_actors(self, entry: ChronicleEntry, mentions: list[Mention]) -> list[Mention]:
        """The states that take part through their people, bodies and offices."""
        have = {m.key for m in mentions if m.kind == "country" and m.role != "mentioned"}
        out = []
        for m in mentions:
            if m.role in ("mentioned", "series") or m.kind not in ("person", "organization", "office"):
                continue
            codes = [self.finder.country_of(m.kind, m.key)]
            if m.kind == "person" and m.inferred and m.via:
                codes = [self.ref.offices[m.via].country]
            if m.kind == "office":
                codes.append(self.ref.offices[m.key].host)
            for code in codes:
                if code and code in self.ref.countries and code not in have:
                    have.add(code)
                    out.append(Mention("country", code, m.surface, m.start, m.end, "participant", False,
                                       f"{m.kind}:{m.key}"))
        return out

    @staticmethod
    def _historical(clause: str, entry: ChronicleEntry) -> bool:
        """A clause about an earlier year (条约是江泽民和普京于2001年签署的) mentions, it does not report."""
        clause = _BOOK_TITLE.sub("", clause)
        years = [int(y) for y in _CUES.cue("historical_year").findall(clause)]
        return bool(years) and max(years) < entry.date_begin.year - 1

    def _inferred(self, entry: ChronicleEntry, named: set[str]) -> list[Mention]:
        """Holders, on the entry's date, of the offices its title (or first sentence)
        names without naming the person: 中俄外长, 中国驻俄罗斯大使, 中国、俄罗斯、美国和巴基斯坦
        阿富汗问题特别代表."""
        tp = entry.title_passage
        first_sentence = re.split(r"[。；]", entry.paragraph, maxsplit=1)[0]
        offices: list[str] = []
        # the member states' officials only when the title itself is their meeting
        for text, day in ((entry.title, entry.date_begin), (first_sentence, None)):
            for office_id in self.offices_named(text, day):
                if office_id not in offices:
                    offices.append(office_id)
        out, seen = [], set(named)
        for office_id in offices:
            holders = self._holders(office_id, entry.date_begin)
            if len(holders) != 1 or holders[0] in seen:
                continue
            seen.add(holders[0])
            out.append(Mention("person", holders[0], self.ref.offices[office_id].zh, tp.start, tp.end,
                               "participant", True, office_id))
        return out

    def _holders(self, office_id: str, day) -> list[str]:
        """Holders on ``day``; for an office named without its portfolio (俄罗斯副外长),
        everyone holding any office of that role and state, since the text does not say which."""
        off = self.ref.offices[office_id]
        if off.portfolio:
            return self.ref.holders(office_id, day)
        same = [o.id for o in self.ref.offices.values() if o.role == off.role and o.country == off.country
                and o.host == off.host]
        return sorted({h for o in same for h in self.ref.holders(o, day)})

    def offices_named(self, text: str, day=None) -> list[str]:
        """Offices a phrase names: an office's own form, or countries followed by a role word.

        >>> from ontology.reference import ReferenceData
        >>> ref = ReferenceData.load()
        >>> stage = ParticipantStage(ref, MentionFinder(ref))
        >>> sorted(stage.offices_named("中俄外长通电话"))
        ['cn-foreign-minister', 'ru-foreign-minister']
        """
        found = self.finder.find(text)
        out: list[str] = []
        for f in found:
            # 中国驻俄罗斯大使馆 is the embassy, not the ambassador
            if f.kind == "office" and f.key not in out and not text[f.end:f.end + 1] in ("馆", "处", "级"):
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
                    continue
                if inside or text[m.end():m.end() + 1] in ("馆", "处", "级"):
                    continue  # 中俄总理定期会晤委员会 names a commission, not the premiers
                clause_start = max(text.rfind(ch, 0, p) for ch in "，。；：,") + 1
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
                    else:  # 金砖国家领导人, 上海合作组织成员国外长: the member states' officials
                        codes, last_end = self._member_states(found, text, p, day)
                        if not codes:
                            continue
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
