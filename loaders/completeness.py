"""Is the report whole? Checks of a report against itself, for text cut short (a
download or a copy that stopped part way) that would otherwise load as a smaller
chronicle without a word:

- the last chronicle entry ends a sentence (a cut inside an entry leaves it open).

Dates and sizes of sections are no sign: a section may end early in the period (the
pandemic cooperation of one edition) and an excerpt has a few entries per section. A cut
between entries is caught against the graph the store already holds (``graph.build``).

The contents (目录) are checked when the report is read (``loaders.report``): the text
must reach the chronicle the contents list. A report that fails a check is refused by
the build (``kg build --force`` builds it all the same).

    >>> from loaders.pipeline import Pipeline, BUNDLED_REPORT
    >>> check_complete(Pipeline.default().run(BUNDLED_REPORT, until="structure"))
"""

from __future__ import annotations

from .errors import TruncatedReportError
from .lines import SENTENCE_END
from .records import Report

__all__ = ["check_complete"]

_CLOSING = tuple("”」』）)]》\"'")


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
