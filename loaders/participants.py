"""Who took part in an entry and in what role, and who only appears in it.

A person named in the entry takes part unless the text only mentions them; the chair
(会议由…主持) is the host; the one whose words a statement reports is the speaker. An
entry whose title names offices and no persons (中俄外长通电话) gets the holders of those
offices on its date, marked as inferred. Organizations, places and countries act or are
only topics; states take part through their people and bodies.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ontology.reference import ReferenceData
from ontology.rules import Rules

from .mentions import MentionFinder
from .offices import OfficeReader
from .records import ChronicleEntry, Mention

__all__ = ["ParticipantStage", "is_historical", "clause_at"]

_CUES = Rules.load()
_TAKES_PART = _CUES.cue("takes_part")
_REPORTS_ON = _CUES.cue("reports_on")
_FORMER = _CUES.cue("former")
_ACTS = re.compile("|".join(_CUES.cue(c).pattern for c in ("takes_part", "speaks", "meets")))
_LEAD = re.compile(r"^\s*(?:\d{1,2}\s*月\s*)?(?:\d{1,2}\s*日)?(?:上午|下午|晚|当天|同日|随后)?[，,]?\s*")
_BOOK_TITLE = re.compile(r"《[^》]*》")


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


def clause_at(text: str, surface: str) -> str:
    """The sentence of ``text`` around the first occurrence of ``surface``."""
    i = text.find(surface)
    if i < 0:
        return ""
    start = max(text.rfind(ch, 0, i) for ch in "。；！？") + 1
    ends = [j for j in (text.find(ch, i) for ch in "。；！？") if j >= 0]
    return text[start:min(ends) if ends else len(text)]


def is_historical(clause: str, year: int) -> bool:
    """A clause about an earlier year (条约是江泽民和普京于2001年签署的) mentions, it does not report."""
    clause = _BOOK_TITLE.sub("", clause)
    years = [int(y) for y in _CUES.cue("historical_year").findall(clause)]
    return bool(years) and max(years) < year - 1


class ParticipantStage:
    """Persons' roles in an entry, and participants inferred from offices.

    A person named in the entry takes part unless the text only mentions them; the
    chair (会议由…主持) is the host; the one whose words a statement reports is the
    speaker. An entry whose title names offices and no persons (中俄外长通电话) gets
    the holders of those offices on its date, marked as inferred.
    """

    requires = ("entry.mentions", "entry.form", "entry.date_begin", "entry.title", "entry.paragraph")
    assigns = ("entry.mentions",)

    def __init__(self, ref: ReferenceData, finder: MentionFinder, offices: OfficeReader | None = None):
        self.ref = ref
        self.finder = finder
        self.offices = offices or OfficeReader(ref, finder)

    def __call__(self, entry: ChronicleEntry) -> ChronicleEntry:
        entry.mentions = [self._as_holder(m, entry) for m in entry.mentions]
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
            clause = clause_at(entry.paragraph, m.surface)
            reported = _REPORTS_ON.search(clause)
            if is_historical(clause, entry.date_begin.year):
                role = "mentioned"
            elif reported and clause.find(m.surface) > reported.start():
                role = "mentioned"  # 张汉晖在致辞中回顾…提到米舒斯京访华: the topic of his words
            elif title_people and (m.key or m.surface) not in title_people and not _TAKES_PART.search(clause):
                role = "mentioned"
            elif m.surface in hosts:
                role = "host"
            elif entry.form == "statement" and re.search(
                    rf"{re.escape(m.surface)}[^。]{{0,6}}{_CUES.cue('speaks').pattern}", text):
                role = "speaker"
            roles.append(replace(m, role=role))
        inferred = self._inferred(entry, {m.key for m in people if m.key})
        person_level = bool(title_people) or bool(self.offices.offices_named(entry.title))
        others = [self._other_role(m, entry, person_level) for m in entry.mentions if m.kind != "person"]
        others = self._organizations_as_actors(others)
        mentions = others + roles + inferred
        mentions += self._countries_of_actors(entry, mentions)
        entry.mentions = sorted(mentions, key=lambda m: (m.start, m.kind, m.key or ""))
        return entry

    def _as_holder(self, m: Mention, entry: ChronicleEntry) -> Mention:
        """A name the data does not know, right after an office with one holder at a
        time (巴西外长弗朗萨), is that office's holder on the day: one person, one node."""
        if m.kind != "person" or m.key:
            return m
        text = entry.title if m.start < entry.title_passage.end else entry.paragraph
        i = text.find(m.surface)
        if i <= 0 or _FORMER.search(text[max(i - 4, 0):i]):
            return m
        prefix = text[max(text.rfind(ch, 0, i) for ch in "，。；：、和与同及（(") + 1:i]
        office = self.offices.office_before(prefix)
        if office is None or self.ref.offices[office].plural:
            return m
        holders = self.offices.holders(office, entry.date_begin)
        return replace(m, key=holders[0]) if len(holders) == 1 else m

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
            clause = clause_at(text, m.surface)
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

    def _inferred(self, entry: ChronicleEntry, named: set[str]) -> list[Mention]:
        """Holders, on the entry's date, of the offices its title (or first sentence)
        names without naming the person: 中俄外长, 中国驻俄罗斯大使, 中国、俄罗斯、美国和巴基斯坦
        阿富汗问题特别代表; the member states' officials only when the title itself is
        their meeting."""
        tp = entry.title_passage
        first_sentence = re.split(r"[。；]", entry.paragraph, maxsplit=1)[0]
        # a member state whose delegate the text names as attending (伊朗第一副总统…出席) is
        # not also represented by the holder of the office the title names
        represented = {self.finder.country_of("person", m.key) for m in entry.mentions
                       if m.kind == "person" and m.key and m.role != "mentioned"
                       and _TAKES_PART.search(clause_at(entry.paragraph, m.surface))}
        out = self.offices.holders_named(entry.title, entry.date_begin, tp, members_day=entry.date_begin,
                                         exclude=named, represented=represented)
        out += self.offices.holders_named(first_sentence, entry.date_begin, tp,
                                          exclude=named | {m.key for m in out})
        # later sentences: an office as the subject of what it does (中国驻俄罗斯大使在论坛上表示)
        for sentence in re.split(r"[。；]", entry.paragraph)[1:]:
            sentence = _LEAD.sub("", sentence)
            subject = _ACTS.search(sentence)
            if subject is None or is_historical(sentence, entry.date_begin.year):
                continue
            prefix = sentence[:subject.start()]
            if any(f.kind == "person" for f in self.finder.find(prefix)):
                continue  # 江泽民总书记: a title after a name is that person's, not an unnamed office
            out += self.offices.holders_named(prefix, entry.date_begin, tp, exclude=named | {m.key for m in out})
        return out
