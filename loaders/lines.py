"""Lines of the source with their offsets, and the text clean-ups the stages share."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Passage

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+|[ \t\u3000]+(?=[{_CJK}])")
SENTENCE_END = tuple("。！？；!?;…")


@dataclass(frozen=True)
class Line:
    no: int  # 1-based
    start: int
    end: int  # offset of the line's last character + 1 (newline excluded)
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    out, pos = [], 0
    for no, raw in enumerate(text.split("\n"), start=1):
        out.append(Line(no, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def passage(text: str, start: int, end: int) -> Passage:
    return Passage(start, end, text[start:end])


def tidy(s: str) -> str:
    """Drop the spaces PDF extraction puts next to Chinese characters; keep Latin spacing."""
    s = _SPACE_NEAR_CJK.sub("", s.strip())
    return re.sub(r"[ \t]{2,}", " ", s)


def join_fragments(parts: list[str]) -> str:
    """Join lines cut by page breaks: no space between Chinese, one between Latin words."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out
