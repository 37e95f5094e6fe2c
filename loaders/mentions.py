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

from ontology.rules import RULES_DIR, Rules
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
        self.translit = set(translit)
        table = json.loads((path.parent / "transliteration.json").read_text(encoding="utf-8"))
        self.given_names: dict[str, str] = table["given_names"]
        self.syllables: dict[str, str] = table["syllables"]

    def english(self, name: str, *, foreign: bool = False) -> str:
        """An English form for a name the reference data does not know: for a Chinese
        name pinyin, family name first; for a foreign full name (given name · surname)
        the given name's usual spelling and the surname through the syllable table; else
        nothing, rather than pinyin of a transliteration.

        Characters with several readings may come out wrong (朝 in 马朝旭 is zhāo, not
        cháo): the reference data, not this guess, is the authority for known people.

        >>> patterns = NamePatterns()
        >>> patterns.english("汪文斌"), patterns.english("吕大良")
        ('Wang Wenbin', 'Lü Daliang')
        >>> patterns.english("谢尔盖·林尼克"), patterns.english("米勒", foreign=True)
        ('Sergey Linnik', '')
        """
        if "·" in name:
            given, _, surname = name.rpartition("·")
            first = self.given_names.get(given)
            return f"{first} {self.transliterate(surname)}" if first and surname else ""
        if foreign or not self.chinese_name.match(name):
            return ""
        from pypinyin import lazy_pinyin

        syllables = lazy_pinyin(name, v_to_u=True)
        return " ".join([syllables[0].capitalize(), "".join(syllables[1:]).capitalize()])

    def transliterate(self, surname: str) -> str:
        """A surname transliterated from Chinese back to Latin letters, longest syllables first.

        >>> NamePatterns().transliterate("林尼克")
        'Linnik'
        """
        out, i = [], 0
        while i < len(surname):
            for n in (3, 2, 1):
                piece = surname[i:i + n]
                if len(piece) == n and piece in self.syllables:
                    out.append(self.syllables[piece])
                    i += n
                    break
            else:
                return ""
        return "".join(out).capitalize()

    def looks_foreign(self, name: str) -> bool:
        """A transliterated name: every character from the transliteration table and
        longer than a Chinese given name allows, or not starting with a Chinese surname."""
        return all(ch in self.translit for ch in name.replace("·", "")) and (
            len(name) > 3 or name[0] not in self.surnames)


class MentionFinder:
    """Find mentions of reference entities (and new persons) in Chinese text.

    >>> from ontology.reference import ReferenceData
    >>> finder = MentionFinder(ReferenceData.load())
    >>> [(f.kind, f.key) for f in finder.find("中俄外长通电话") if f.kind == "country"]
    [('country', 'CN'), ('country', 'RU')]
    """

    def __init__(self, ref: ReferenceData, patterns: NamePatterns | None = None, *, names: str = "patterns",
                 tagger=None):
        """``names``: how names the data does not know are found: ``data`` (none are),
        ``patterns`` (titles before names, heads of organization names) or ``ner``
        (patterns, then the NER model ``tagger``)."""
        self.ref = ref
        self.patterns = patterns or NamePatterns()
        self.names = names
        self.tagger = tagger
        self.forms = by_surface(ref)
        self.country_names = {f for c in ref.countries.values() for f in (c.zh, *c.zh_aliases)}
        # forms the data marks as shared or common words: taken only where the context decides
        self.ambiguous = {(kind, form) for kind, table in (("person", ref.persons), ("organization", ref.organizations),
                                                           ("place", ref.places))
                          for e in table.values() for form in e.ambiguous_zh}
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
        heads = sorted(Rules.load().org_heads, key=len, reverse=True)
        self._org_head = re.compile("|".join(map(re.escape, heads)))
        from jieba import posseg

        # Importing posseg has read the tag dictionary for its default tagger (half a
        # second); ours takes a copy instead of reading it again.
        self._tagger = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
        self._tagger.tokenizer, self._tagger.word_tag_tab = self.tokenizer, dict(posseg.dt.word_tag_tab)
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
            if len(tok) == 2 and tok[1] == "方" and tok[0] in self.country_chars:
                out.append(Found("country", self.country_chars[tok[0]], tok, start, end))  # 俄方: the Russian side
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
                if len(keys) == 1 and (kind, tok) not in self.ambiguous:
                    out.append(Found(kind, keys[0], tok, start, end))
                else:
                    pending.append((kind, keys, start, end, tok))
        out.extend(self._embedded_orgs(text, out))
        for kind, keys, start, end, tok in pending:
            key = self._disambiguate(kind, keys, text, start, end, out)
            if key:
                out.append(Found(kind, key, tok, start, end))
        for m in (self.patterns.after_title.finditer(text) if self.names != "data" else ()):
            s, e = m.span("name")
            name = m["name"]
            if any(s < f.end and f.start < e for f in out):
                continue
            if name in self.forms or len(_CJK.findall(name)) < 2:
                continue
            out.append(Found("person", None, name, s, e,
                             self.patterns.english(name, foreign=self._foreign(text, s, name, out))))
        if self.names != "data":
            out.extend(self._new_organizations(text, out))
        if self.names == "ner" and self.tagger is not None:
            out.extend(self._tagged(text, out))
        # 部分中国银行: some Chinese banks, not the Bank of China
        out = [f for f in out if not (f.kind == "organization" and _SOME.search(text, 0, f.start))]
        out.sort(key=lambda f: (f.start, f.end, f.kind))
        return _same_as_full_name(out)

    def _tagged(self, text: str, found: list[Found]) -> list[Found]:
        """Persons and organizations the NER model finds where nothing else was found."""
        out: list[Found] = []
        for start, end, kind in self.tagger.spans(text):
            name = text[start:end]
            if any(f.start < end and start < f.end for f in (*found, *out)) or name in self.forms:
                continue
            if kind == "person" and len(_CJK.findall(name)) >= 2:
                out.append(Found("person", None, name, start, end,
                                 self.patterns.english(name, foreign=self._foreign(text, start, name, found))))
            elif kind == "organization" and len(name) >= 4 and not _GENERIC_ORG.match(name) and \
                    name not in self.country_names:
                out.append(Found("organization", None, name, start, end))
        return out

    def _new_organizations(self, text: str, found: list[Found]) -> list[Found]:
        """Organizations the reference data does not know, read from the last word of
        their name (银行, 委员会, 使馆 … ``rules/org_heads.tsv``) and the proper names before
        it: 阿富汗临时政府, 浙江稠州商业银行, 中国驻俄罗斯使馆教育处."""
        out: list[Found] = []
        for m in self._org_head.finditer(text):
            end = m.end()
            # 部长, 副局长: a title; 西部, 中部: a direction; 中共中央政治局委员: a rank before a name
            if _TITLE_AFTER.match(text, end) or (len(m.group()) == 1 and text[m.start() - 1:m.start()] in _NOT_BEFORE_HEAD):
                continue
            if any(f.start < end and m.start() < f.end for f in (*found, *out)):
                continue
            start = self._name_start(text, m.start(), end)
            if start is None:
                continue
            name = text[start:end]
            if len(name) < 4 or name in self.forms or _GENERIC_ORG.match(name) or \
                    any(f.kind == "country" and f.start == start and f.end == m.start() for f in found):
                continue  # 俄罗斯公司: a country and a head name no one organization
            inside = [f for f in found if start <= f.start and f.end <= end]
            if any(f.kind == "person" for f in inside):
                continue
            out.append(Found("organization", None, name, start, end))
        return out

    def _name_start(self, text: str, head_start: int, end: int) -> int | None:
        """Where a name ending at ``end`` begins: back over the proper names, places and
        nouns of a name, up to a verb, a preposition, a particle or punctuation; None when
        nothing before the head is a proper name."""
        lo = max(0, head_start - 18)
        lo = max(lo, max(text.rfind(ch, 0, head_start) for ch in "，。；：、,（）()《》“”\"") + 1)
        tokens, at = [], lo
        for tok in self._tagger.cut(text[lo:end + 2]):
            if at >= end:
                break
            tokens.append(tok)
            at += len(tok.word)
        if not tokens or at != end or tokens[-1].flag.startswith("v"):
            return None  # 局势, 签署: the head is part of another word
        pos, start, proper = end, None, False
        for tok in reversed(tokens):
            word, flag = tok.word, tok.flag
            if pos - len(word) < lo:
                break
            known = word in self.forms or word in _INSTITUTIONAL
            if pos != end and (word in _NAME_STOPS or _ACT_WORDS.search(word)
                               or (flag[0] in "vpcudrfqxtm" and word != "驻" and not known)):
                break
            pos -= len(word)
            start = pos
            proper = proper or flag in ("ns", "nt", "nz", "nr", "nrt", "nrfg", "j", "eng") or known
        return start if proper and start is not None and start < head_start else None

    def _foreign(self, text: str, start: int, name: str, found: list[Found]) -> bool:
        """Whether a new name belongs to a foreigner: the state of what the clause names
        before it (俄罗斯天然气工业股份公司总裁米勒), else the look of the name."""
        code = self._state_before(text, start, found)
        return code != "CN" if code else self.patterns.looks_foreign(name)

    def country_before(self, text: str, start: int) -> str | None:
        """The state of the country, body, place or office the clause names before ``start``."""
        return self._state_before(text, start, self.find(text[:start]))

    def _state_before(self, text: str, start: int, found: list[Found]) -> str | None:
        clause_start = max(text.rfind(ch, 0, start) for ch in "，。；：,、") + 1
        codes = [self.country_of(f.kind, f.key) for f in found if clause_start <= f.start < start
                 and f.kind in ("country", "organization", "place", "office")]
        codes = [c for c in codes if c]
        return codes[-1] if codes else None

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
            if len(keys) == 1 and ("organization", form) not in self.ambiguous:
                out.append(Found("organization", keys[0], form, s, e))
            elif keys:
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
# 各国政府, 两国外交部, 有关部门: not the name of one organization
_GENERIC_ORG = re.compile(r"^(各|两|双方|三方|多|有关|相关|部分|该|其|本|此|这|那|每)")
# words that make an institution's name what a proper name makes others' (中央外事工作委员会办公室)
_INSTITUTIONAL = frozenset("中央 中共 国家 国务院 全国 联邦 中华人民共和国".split())
_TITLE_AFTER = re.compile(r"长|副|委员(?!会)|常委|书记")
_NOT_BEFORE_HEAD = set("副东西南北中内外全各")
_NAME_STOPS = frozenset("的 和 与 同 及 或 以及 对 向 在 由 为 是 将 并 还 也 就 等 该 其 把 被 从 于 至 到 与会 期间 之间".split())
_SOME = re.compile(Rules.load().cue("some_before").pattern)
_ACT_WORDS = re.compile("|".join(Rules.load().cue(c).pattern for c in ("meets", "takes_part", "speaks")))


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
        # names inside 《…》 belong to a document's title; they do not act in the event.
        # A title that is a name and nothing else (《生意人报》) is a newspaper's.
        entry.mentions = [replace(m, role="mentioned")
                          if any(a <= m.start < b and (m.start, m.end) != (a + 1, b - 1) for a, b in titles) else m
                          for m in mentions]
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
