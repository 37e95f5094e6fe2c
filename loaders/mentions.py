"""Finding entities in chronicle text: the curated forms, plus patterns for new names.

Known surface forms (persons, organizations, countries, places, frameworks, offices)
go into a jieba user dictionary, so the segmenter keeps them whole. People the data
does not know yet are found by the report's own phrasing: an office or title followed
by a name (外交部发言人赵立坚), and "X与Y…通电话" / "X和Y举行…".
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

import jieba

from ontology.rules import RULES_DIR
from ontology.reference import ReferenceData, by_surface

from .records import ChronicleEntry, Mention

logging.getLogger("jieba").setLevel(logging.WARNING)

_CJK = re.compile(r"[\u4e00-\u9fff]")
_JIEBA_SPLITS = re.compile(r"[^\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")


@dataclass(frozen=True)
class Found:
    """A mention in a piece of text, offsets relative to that text."""

    kind: str
    key: str | None
    surface: str
    start: int
    end: int
    en: str = ""


class NamePatterns:
    """Cue words and character sets for names the reference data does not know."""

    def __init__(self, path=RULES_DIR / "name_patterns.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        translit = "".join(sorted(set(data["translit_chars"])))
        surnames = "".join(sorted(set(data["surnames"])))
        titles = sorted(set(data["titles"]), key=len, reverse=True)
        after = sorted(set(data["after"]), key=len, reverse=True)
        self.pair_verbs = tuple(data["pair_verbs"])
        self.titles = tuple(titles)
        foreign = rf"[{translit}]{{2,7}}(?:·[{translit}]{{2,8}})?"
        initial = rf"[\u4e00-\u9fff]·[{translit}]{{2,8}}"
        chinese = rf"[{surnames}][\u4e00-\u9fff]{{1,2}}"
        stop = "|".join(map(re.escape, after))
        self.after_title = re.compile(
            rf"(?:{'|'.join(map(re.escape, titles))})(?P<name>{initial}|{foreign}|{chinese})(?=(?:{stop})|$)"
        )
        self.name = re.compile(rf"^(?:{initial}|{foreign}|{chinese})$")
        self.chinese_name = re.compile(rf"^{chinese}$")
        self.surnames = surnames

    def english(self, name: str) -> str:
        """The standard English form of a Chinese name: pinyin, family name first.

        Characters with several readings may come out wrong (朝 in 马朝旭 is zhāo, not
        cháo): the reference data, not this guess, is the authority for known people.

        >>> NamePatterns().english("汪文斌")
        'Wang Wenbin'
        """
        if not self.chinese_name.match(name) or "·" in name:
            return ""
        from pypinyin import lazy_pinyin

        syllables = lazy_pinyin(name)
        return " ".join([syllables[0].capitalize(), "".join(syllables[1:]).capitalize()])


class MentionFinder:
    """Find mentions of reference entities (and new persons) in Chinese text.

    >>> from ontology.reference import ReferenceData
    >>> finder = MentionFinder(ReferenceData.load())
    >>> [(f.kind, f.key) for f in finder.find("中俄外长通电话") if f.kind == "country"]
    [('country', 'CN'), ('country', 'RU')]
    """

    def __init__(self, ref: ReferenceData, patterns: NamePatterns | None = None):
        self.ref = ref
        self.patterns = patterns or NamePatterns()
        self.forms = by_surface(ref)
        self.country_chars = {a: c.code for c in ref.countries.values() for a in c.zh_aliases if len(a) == 1}
        self.compounds = self._compounds()
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        for form in self.forms:
            if len(form) > 1:
                self.tokenizer.add_word(form, freq=10**6 + len(form) * 1000)
        # 中俄外长 is 中俄 + 外长, not 中 + 俄外长: compounds outweigh the forms they start
        for form in self.compounds:
            self.tokenizer.add_word(form, freq=10**8)
        for word in ref.office_words:
            self.tokenizer.add_word(word, freq=10**6)
        punctuated = sorted((f for f in self.forms if len(f) > 2 and _JIEBA_SPLITS.search(f)), key=len, reverse=True)
        self._punctuated = re.compile("|".join(map(re.escape, punctuated))) if punctuated else None
        ministries = sorted((f for f, hits in self.forms.items() if len(f) >= 3
                             and any(k == "organization" for k, _ in hits)), key=len, reverse=True)
        titles = sorted({*self.patterns.titles, "长", "副部长", "发言人", "官方代表", "第一副", "副局长", "副署长",
                         "副主席", "副委员长", "副院长", "副行长", "副校长", "副所长"}, key=len, reverse=True)
        self._office_org = re.compile(
            "(?P<org>" + "|".join(map(re.escape, ministries)) + ")(?=" + "|".join(map(re.escape, titles)) + ")"
        )

    def _compounds(self) -> dict[str, tuple[str, ...]]:
        """中俄, 中俄印, 俄美…: runs of one-character country names that include China or Russia."""
        chars = [ch for ch in self.country_chars if self.country_chars[ch] in ("CN", "RU")]
        others = list(self.country_chars)
        out = {}
        for n in (2, 3):
            for combo in itertools.permutations(others, n):
                if any(c in chars for c in combo):
                    out["".join(combo)] = tuple(self.country_chars[c] for c in combo)
        return out

    def find(self, text: str) -> list[Found]:
        out: list[Found] = []
        pending: list[tuple[str, list[str], int, int, str]] = []  # ambiguous: kind, keys, span, form
        # jieba cuts at punctuation, so forms like 中俄友好、和平与发展委员会 or 安·科尔图诺夫 are matched whole first
        spans: list[tuple[int, int]] = []
        if self._punctuated is not None:
            for m in self._punctuated.finditer(text):
                hits = self.forms[m.group(0)]
                if len({k for k, _ in hits}) == len(hits):
                    out.extend(Found(kind, key, m.group(0), m.start(), m.end()) for kind, key in hits)
                    spans.append(m.span())
        pos = 0
        for tok in self.tokenizer.cut(text, HMM=False):
            start, end = pos, pos + len(tok)
            pos = end
            if any(a < end and start < b for a, b in spans):
                continue
            if tok in self.compounds:
                codes = self.compounds[tok]
                for i, code in enumerate(codes):
                    out.append(Found("country", code, tok[i], start + i, start + i + 1))
                # 中俄印 is also the Russia–India–China format
                out.extend(Found(kind, key, tok, start, end) for kind, key in self.forms.get(tok, ())
                           if kind == "framework")
                continue
            if len(tok) < 2 and not tok.isascii():
                continue
            by_kind: dict[str, list[str]] = {}
            for kind, key in self.forms.get(tok, []):
                by_kind.setdefault(kind, []).append(key)
            for kind, keys in by_kind.items():
                if len(keys) == 1:
                    out.append(Found(kind, keys[0], tok, start, end))
                else:
                    pending.append((kind, keys, start, end, tok))
        out.extend(self._embedded_orgs(text, out))
        for kind, keys, start, end, tok in pending:
            key = self._disambiguate(kind, keys, text, start, end, out)
            if key:
                out.append(Found(kind, key, tok, start, end))
        for m in self.patterns.after_title.finditer(text):
            s, e = m.span("name")
            name = m["name"]
            if any(s < f.end and f.start < e for f in out):
                continue
            if name in self.forms or len(_CJK.findall(name)) < 2:
                continue
            out.append(Found("person", None, name, s, e, self.patterns.english(name)))
        out.sort(key=lambda f: (f.start, f.end, f.kind))
        return _same_as_full_name(out)

    def country_of(self, kind: str, key: str | None) -> str | None:
        table = {"person": self.ref.persons, "organization": self.ref.organizations, "place": self.ref.places,
                 "office": self.ref.offices}.get(kind, {})
        ent = table.get(key) if key else None
        return getattr(ent, "country", None) if ent is not None else (key if kind == "country" else None)

    def _disambiguate(self, kind: str, keys: list[str], text: str, start: int, end: int,
                      found: list[Found]) -> str | None:
        """A form several entities share (外交部): the one of the country the clause names
        just before it, or of the person named right after it (外交部发言人汪文斌)."""
        if kind == "person":
            # 尼古拉·帕特鲁舍夫 … 帕特鲁舍夫: the one of them the text has named already
            named = {f.key for f in found if f.kind == "person" and f.key in keys}
            if len(named) == 1:
                return named.pop()
            # 俄罗斯安全理事会秘书帕特鲁舍夫: the one of them who ever held the office named just before
            for f in found:
                if f.kind == "office" and 0 <= start - f.end <= 2:
                    held = {t.person for t in self.ref.terms if t.office == f.key}
                    picks = [k for k in keys if k in held]
                    if len(picks) == 1:
                        return picks[0]
        clause_start = max(text.rfind(ch, 0, start) for ch in "，。；：,") + 1
        before = [f for f in found if clause_start <= f.start and f.end <= start and f.kind in
                  ("country", "organization", "place", "office")]
        after = [f for f in found if end <= f.start <= end + 10 and f.kind in ("person", "office")]
        for f in reversed(before):
            code = self.country_of(f.kind, f.key)
            picks = [k for k in keys if self.country_of(kind, k) == code]
            if code and len(picks) == 1:
                return picks[0]
        for f in after:
            code = self.country_of(f.kind, f.key)
            picks = [k for k in keys if self.country_of(kind, k) == code]
            if code and len(picks) == 1:
                return picks[0]
        return None

    def _embedded_orgs(self, text: str, found: list[Found]) -> list[Found]:
        """Bodies named inside an office title: 中国外交部长 → 中国外交部, 外交部发言人 → 外交部,
        全国人大常委会副委员长 → 全国人大常委会."""
        out = []
        for m in self._office_org.finditer(text):
            form = m.group("org")
            s, e = m.start("org"), m.end("org")
            if any(f.kind == "organization" and f.start <= s and e <= f.end for f in found):
                continue
            if form.endswith(("国务院", "政府")):
                continue  # 国务院副总理 names an office of the state, not the State Council acting
            keys = [k for kind, k in self.forms.get(form, []) if kind == "organization"]
            if len(keys) == 1:
                out.append(Found("organization", keys[0], form, s, e))
            elif len(keys) > 1:
                key = self._disambiguate("organization", keys, text, s, e, found)
                if key:
                    out.append(Found("organization", key, form, s, e))
        return out

def _same_as_full_name(found: list[Found]) -> list[Found]:
    """A surname alone (扎帕罗夫) after a full name ending in it (阿克尔别克·扎帕罗夫) names
    that person, whoever else the surname alone may mean."""
    full = [f for f in found if f.kind == "person" and "·" in f.surface]
    out = []
    for f in found:
        if f.kind == "person" and "·" not in f.surface:
            same = {(g.key, g.en) for g in full if g.start < f.start and g.surface.endswith("·" + f.surface)}
            if len(same) == 1:
                key, en = same.pop()
                f = replace(f, key=key, en=en)
        out.append(f)
    return out


def locate(found: Iterable[Found], text: str, source: str, base: int, fallback: tuple[int, int]) -> list[Mention]:
    """Turn text-relative finds into source offsets; tidied text may differ from the
    source (spaces dropped), so each surface is searched for in the source slice."""
    out, cursor = [], 0
    for f in found:
        i = source.find(f.surface, cursor)
        if i < 0:
            i = source.find(f.surface)
        if i >= 0:
            start, end = base + i, base + i + len(f.surface)
            cursor = i
        else:
            start, end = fallback
        out.append(Mention(f.kind, f.key, f.surface, start, end, en=f.en))
    return out


_BOOK_TITLE = re.compile(r"《[^》]*》")


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
