"""The Chinese-edition report loader: a file in, a typed ``Report`` out.

Stages, each a plain function with one job (see ``STAGES``): read the source,
find the outline, read the front matter and authors, the chapters, the chronicle.
Entity mentions are a later stage (``loaders.mentions``) so that structure can be
tested without reference data.
"""

from __future__ import annotations

import re
from pathlib import Path

from .chronicle import ChronicleSections, parse_chronicle
from .errors import NotAReportError, TruncatedReportError
from .lines import split_lines
from .records import Report, ReportInfo
from .source import read_source
from .structure import authors, chapters, chronicle_period, find_outline, paragraphs, series_title


def load_report(path: str | Path, sections: ChronicleSections, language: str = "zh") -> Report:
    """Read one report of the series (Chinese edition) into records.

    Raises ``NotAReportError`` when the text has no dated chronicle,
    ``TruncatedReportError`` when it stops before the end its own contents announce.
    """
    src = read_source(path)
    text, lines = src.text, split_lines(src.text)
    outline = find_outline(lines)
    if outline.chronicle_title_line is None:
        if any("大事记" in t for t, _ in outline.toc):
            raise TruncatedReportError(src.path, "the contents list the chronicle (大事记) but the text ends before it")
        raise NotAReportError(src.path, "no chronicle of events (大事记) found")
    chron_title = lines[outline.chronicle_title_line].stripped
    entries = list(parse_chronicle(text, lines, outline.chronicle_title_line + 1, sections, src.path))
    if not entries:
        raise NotAReportError(src.path, "the chronicle has no dated entries")
    last = entries[-1]
    if not last.paragraph and last.passage.end >= len(text.rstrip()) - 1:
        raise TruncatedReportError(src.path, f"the last chronicle entry (line {last.line}) has no text")
    title, year = series_title(text)
    begin, end = chronicle_period(chron_title)
    front_end = outline.toc_line if outline.toc_line is not None else outline.body_start
    parts = chapters(text, lines, outline)
    missing = [t for t, _ in outline.toc if not t.startswith("附录")
               and not any(_same(t, c.title, c.number) for c in parts)
               and not any(_same(t, s.title, s.number) for c in parts for s in c.sections)]
    if missing and outline.toc and len(missing) == len([t for t, _ in outline.toc if not t.startswith("附录")]):
        raise NotAReportError(src.path, "none of the contents' headings occur in the text")
    info = ReportInfo(
        id=_report_id(year, language, src.path),
        title=title or Path(src.path).stem,
        language=language,
        year=year,
        path=src.path,
        sha256=src.sha256,
        period=re.sub(r"\s+", " ", chron_title),
        period_begin=begin,
        period_end=end,
    )
    return Report(
        info=info,
        intro=tuple(paragraphs(text, lines, 0, front_end)),
        authors=tuple(authors(text, lines, 0, front_end)),
        chapters=tuple(parts),
        chronicle=entries,
        text=text,
    )


def _same(toc_title: str, title: str, number: str) -> bool:
    a = re.sub(r"\s+", "", toc_title)
    return a == re.sub(r"\s+", "", number + title) or a == re.sub(r"\s+", "", title)


def _report_id(year: int | None, language: str, path: str) -> str:
    if year:
        return f"crd-{year}-{language}"
    stem = re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower()).strip("-")
    return f"{stem or 'report'}-{language}"
