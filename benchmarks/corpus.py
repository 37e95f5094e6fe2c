"""Synthetic corpora made from the report's own chronicle: the entries repeated with
their dates moved on by whole years and the people's names permuted among the people
the reference data knows, so that size grows but the language stays the report's.

It reads the text as text (the chronicle heading, the year before 年), not through
the loaders, so that it measures them without depending on how they work inside.
"""

from __future__ import annotations

import random
import re

from ontology.reference import ReferenceData

__all__ = ["synthetic_report"]

_CHRONICLE = "大事记"
# A chronicle line that starts with a date: 2020 年 4 月 14 日, - 2020 年 4 月 …, 2021 年 1 月 1 日-
_DATE_LINE = re.compile(r"^\s*(?:[-•*]\s*)?\d{4}\s*年\s*\d{1,2}\s*月")


def synthetic_report(text: str, factor: int, ref: ReferenceData, seed: int = 2021) -> str:
    """The report with its chronicle repeated ``factor`` times (copy k moved k years on,
    names permuted among known people).

    >>> from loaders.pipeline import BUNDLED_REPORT
    >>> text = BUNDLED_REPORT.read_text(encoding="utf-8")
    >>> big = synthetic_report(text, 2, ReferenceData.load())
    >>> big.count("大事记") - text.count("大事记")
    0
    """
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if _CHRONICLE in ln and "\t" not in ln)
    head = "\n".join(lines[:start + 1])
    body = lines[start + 1:]
    # longest first, then by text: the same corpus in every process (a set's order is not)
    forms = sorted({p.zh for p in ref.persons.values() if len(p.zh) >= 2}, key=lambda f: (-len(f), f))
    name_re = re.compile("|".join(map(re.escape, forms)))
    copies = [head]
    for k in range(factor):
        rng = random.Random(seed + k)
        shuffled = forms[:]
        if k:
            rng.shuffle(shuffled)
        swap = dict(zip(forms, shuffled))
        out = []
        for t in body:
            if k and _DATE_LINE.match(t):
                t = re.sub(r"(\d{4})(?=\s*年)", lambda m: str(int(m.group(1)) + k), t, count=2)
            if k:
                t = name_re.sub(lambda m: swap[m.group(0)], t)
            out.append(t)
        copies.append("\n".join(out))
    return "\n".join(copies) + "\n"
