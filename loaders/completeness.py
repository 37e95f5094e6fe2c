"""Is the report whole? Checks of a report against itself, for text cut short (a
download or a copy that stopped part way) that would otherwise load as a smaller
chronicle without a word:

- the last chronicle entry ends a sentence (a cut inside an entry leaves it open);
- the chronicle's last section reaches the last quarter of the period the
  chronicle's title names (each section runs through the whole period, in date
  order, so a cut inside a section leaves it ending months early);
- the last section has a plausible number of entries next to the others (at least an
  eighth of their median: a cut just after a section heading leaves it with a few).

The contents (目录) are checked when the report is read (``loaders.report``): the text
must reach the chronicle the contents list. A report that fails a check is refused by
the build (``kg build --force`` builds it all the same).

    >>> from loaders.pipeline import Pipeline, BUNDLED_REPORT
    >>> check_complete(Pipeline.default().run(BUNDLED_REPORT, until="structure"))
"""

from __future__ import annotations

import datetime as dt
from statistics import median

from .errors import TruncatedReportError
from .lines import SENTENCE_END
from .records import Report

__all__ = ["check_complete"]

_CLOSING = tuple("”」』）)]》\"'")
_LAST_QUARTER = dt.timedelta(days=92)


def _ends_sentence(text: str) -> bool:
    text = text.rstrip()
    while text.endswith(_CLOSING):
        text = text[:-1].rstrip()
    return text.endswith(SENTENCE_END)


def check_complete(report: Report) -> None:
    """Raise ``TruncatedReportError`` naming what looks cut short; nothing when the
    report looks whole."""
    entries = report.chronicle
    path = report.info.path
    if not entries:
        return
    last = entries[-1]
    if last.paragraph and not _ends_sentence(last.paragraph):
        raise TruncatedReportError(path, f"the last chronicle entry (line {last.line}, {last.date_begin}) stops "
                                         f"mid-sentence: …{last.paragraph.rstrip()[-20:]}")
    end = report.info.period_end
    if end is not None:
        latest = max(e.date_begin for e in entries if e.section.key == last.section.key)
        if latest < end - _LAST_QUARTER:
            raise TruncatedReportError(path, f"the chronicle covers up to {end} by its title, but its last section "
                                             f"({last.section.heading or last.section.key}) stops at {latest}")
    sizes: dict[str, int] = {}
    for e in entries:
        sizes[e.section.key] = sizes.get(e.section.key, 0) + 1
    if len(sizes) >= 3:
        *others, final = sizes.values()
        if final * 8 < median(others):
            raise TruncatedReportError(path, f"the last chronicle section ({last.section.heading or last.section.key}) "
                                             f"has {final} entries, where the others have {median(others):g} "
                                             "(median)")
