"""Agreements and projects named in the text.

An agreement is a document cited under a 《…》 title whose last word says what it is
(条约, 协定, 备忘录, 路线图, 联合声明 …), or under any form the reference data lists
for it (伊核协议 for the JCPOA); a 〈…〉 title inside a 《…》 one is a document of its
own. Projects are found by their curated forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ontology.reference import ReferenceData
from ontology.rules import Rules

from .lines import tidy
from .records import ChronicleEntry, Mention, Passage, Report

_BOOK = re.compile(r"《([^《》]{2,200})》")
_INNER = re.compile(r"〈([^〈〉]{2,200})〉")
_CUES = Rules.load()
_AGREEMENT_WORDS = _CUES.cue("agreement_words")
_NOT_AGREEMENT = _CUES.cue("not_agreement")
_SIGNED_UNTITLED = _CUES.cue("signed_untitled")
_SIGNED = _CUES.cue("signed")


def normalize_title(title: str) -> str:
    """A document's title as a key: no spaces, no quotation marks, one kind of bracket."""
    t = tidy(title).replace(" ", "")
    return re.sub(r"[“”\"'‘’]", "", t).replace("〈", "《").replace("〉", "》")


@dataclass(frozen=True)
class DocumentFind:
    kind: str  # "agreement" or "project"
    key: str | None
    title: str  # normalized
    start: int
    end: int
    nested: bool = False  # cited inside another document's title (the protocol extending it)


class DocumentFinder:
    """Find agreements and projects in a text.

    >>> finder = DocumentFinder(ReferenceData.load())
    >>> [d.title for d in finder.find("双方签署了《关于延长〈中俄协定〉有效期的议定书》。")]
    ['关于延长《中俄协定》有效期的议定书', '中俄协定']
    """

    def __init__(self, ref: ReferenceData):
        self.ref = ref
        self.by_form: dict[str, tuple[str, str]] = {}
        for kind, table in (("agreement", ref.agreements), ("project", ref.projects)):
            for e in table.values():
                for form in (e.zh, *e.zh_aliases):
                    if len(form) >= 3:
                        self.by_form.setdefault(normalize_title(form), (kind, e.id))
        forms = sorted(self.by_form, key=len, reverse=True)
        self._forms = re.compile("|".join(map(re.escape, forms))) if forms else None

    def find(self, text: str) -> list[DocumentFind]:
        out: list[DocumentFind] = []
        spans: list[tuple[int, int]] = []
        for m in _BOOK.finditer(text):
            spans.append(m.span())
            out.extend(self._titled(m.group(1), m.start(1), m.end(1)))
            for inner in _INNER.finditer(m.group(1)):
                out.extend(replace(d, nested=True) for d in
                           self._titled(inner.group(1), m.start(1) + inner.start(1), m.start(1) + inner.end(1)))
        for m in _SIGNED_UNTITLED.finditer(text):
            title = normalize_title(m["title"])
            if any(a <= m.start("title") < b for a, b in spans) or _CUES.cue("generic_document").match(title):
                continue
            if len(title) >= 8:  # 合作协议 alone names no document
                out.extend(self._titled(title, m.start("title"), m.end("title")))
        if self._forms is not None:
            squeezed, index = _squeeze(text)
            for m in self._forms.finditer(squeezed):
                s, e = index[m.start()], index[m.end() - 1] + 1
                if any(a <= s < b for a, b in spans):
                    continue
                kind, key = self.by_form[m.group(0)]
                out.append(DocumentFind(kind, key, m.group(0), s, e))
        return out

    def _titled(self, raw: str, start: int, end: int) -> list[DocumentFind]:
        title = normalize_title(raw)
        hit = self.by_form.get(title)
        if hit:
            return [DocumentFind(hit[0], hit[1], title, start, end)]
        # 《议定书》, 《协定》: a short back-reference to a document named just before
        if _AGREEMENT_WORDS.fullmatch(title) or re.fullmatch(r"(附加|补充)?" + _AGREEMENT_WORDS.pattern, title):
            return []
        if _AGREEMENT_WORDS.search(title) and not _NOT_AGREEMENT.search(title) and "：" not in title:
            return [DocumentFind("agreement", None, title, start, end)]
        return []


def _squeeze(text: str) -> tuple[str, list[int]]:
    """The text without spaces and quotation marks, and where each kept character was."""
    chars, index = [], []
    for i, ch in enumerate(text):
        if ch in " \t\u3000“”\"":
            continue
        chars.append(ch)
        index.append(i)
    return "".join(chars), index


class DocumentStage:
    """Agreements and projects of each chronicle entry (concluded there or only discussed),
    and those the chapters cite."""

    requires = ("entry.title", "entry.paragraph", "entry.mentions", "report.chapters")
    assigns = ("entry.mentions", "report.documents")

    def __init__(self, ref: ReferenceData):
        self.finder = DocumentFinder(ref)

    def entry(self, entry: ChronicleEntry) -> ChronicleEntry:
        tp = entry.title_passage
        found = [(d, tp.start) for d in self.finder.find(entry.title)]
        found += [(d, tp.end) for d in self.finder.find(entry.paragraph)]
        seen = set()
        for d, base in found:
            ident = (d.kind, d.key or d.title)
            if ident in seen:
                continue
            seen.add(ident)
            text = entry.title if base == tp.start else entry.paragraph
            clause = _clause(text, d.start, d.end)
            role = "about"
            if d.kind == "agreement" and not d.nested and _SIGNED.search(clause):
                role = "concludes"
            entry.mentions.append(Mention(d.kind, d.key, d.title, entry.passage.start, entry.passage.end, role))
        return entry

    def __call__(self, report: Report) -> Report:
        for entry in report.chronicle:
            self.entry(entry)
        cited: list[tuple[Mention, Passage]] = []
        for chapter in report.chapters:
            paragraphs = list(chapter.paragraphs) + [p for s in chapter.sections for p in s.paragraphs]
            for para in paragraphs:
                for d in self.finder.find(para.text):
                    cited.append((Mention(d.kind, d.key, d.title, para.passage.start, para.passage.end, "cited"),
                                  para.passage))
        report.documents = cited
        return report


def _clause(text: str, start: int, end: int) -> str:
    a = max(text.rfind(ch, 0, start) for ch in "。；") + 1
    ends = [j for j in (text.find(ch, end) for ch in "。；") if j >= 0]
    return text[a:min(ends) if ends else len(text)]
