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
from dataclasses import dataclass

import jieba

from ontology import DATA_DIR
from ontology.reference import ReferenceData, by_surface

from .records import Mention

logging.getLogger("jieba").setLevel(logging.WARNING)

_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Found:
    """A mention in a piece of text, offsets relative to that text."""

    kind: str
    key: str | None
    surface: str
    start: int
    end: int


class NamePatterns:
    """Cue words and character sets for names the reference data does not know."""

    def __init__(self, path=DATA_DIR / "name_patterns.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        translit = "".join(sorted(set(data["translit_chars"])))
        surnames = "".join(sorted(set(data["surnames"])))
        titles = sorted(set(data["titles"]), key=len, reverse=True)
        after = sorted(set(data["after"]), key=len, reverse=True)
        self.pair_verbs = tuple(data["pair_verbs"])
        foreign = rf"[{translit}]{{2,7}}(?:·[{translit}]{{2,8}})?"
        initial = rf"[\u4e00-\u9fff]·[{translit}]{{2,8}}"
        chinese = rf"[{surnames}][\u4e00-\u9fff]{{1,2}}"
        stop = "|".join(map(re.escape, after))
        self.after_title = re.compile(
            rf"(?:{'|'.join(map(re.escape, titles))})(?P<name>{initial}|{foreign}|{chinese})(?=(?:{stop})|$)"
        )
        self.name = re.compile(rf"^(?:{initial}|{foreign}|{chinese})$")


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
        pos = 0
        for tok in self.tokenizer.cut(text, HMM=False):
            start, end = pos, pos + len(tok)
            pos = end
            if tok in self.compounds:
                codes = self.compounds[tok]
                for i, code in enumerate(codes):
                    out.append(Found("country", code, tok[i], start + i, start + i + 1))
                continue
            for kind, key in self._resolve(tok):
                out.append(Found(kind, key, tok, start, end))
        known = {(f.start, f.end) for f in out}
        for m in self.patterns.after_title.finditer(text):
            s, e = m.span("name")
            name = m["name"]
            if (s, e) in known or any(s < f.end and f.start < e for f in out):
                continue
            if name in self.forms or len(_CJK.findall(name)) < 2:
                continue
            out.append(Found("person", None, name, s, e))
        out.sort(key=lambda f: (f.start, f.end, f.kind))
        return out

    def _resolve(self, tok: str) -> Iterable[tuple[str, str]]:
        hits = self.forms.get(tok, [])
        if len(tok) < 2 and not tok.isascii():
            return []
        # a form shared by several entities of one kind is resolved later, in context
        return hits


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
        out.append(Mention(f.kind, f.key, f.surface, start, end))
    return out
