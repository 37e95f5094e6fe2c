"""The loading pipeline: named stages in order, each with one job, each declaring the
record fields it reads (``requires``) and sets (``assigns``), as spaCy's components do,
so that ``Pipeline.analyze`` can check that every stage finds what it needs.

    >>> pipe = Pipeline.default()
    >>> pipe.stage_names
    ['structure', 'event_type', 'mentions', 'participants', 'meetings', 'chapter_mentions', 'documents', 'figures']
    >>> pipe.analyze()
    []

A stage runs alone on a few lines of chronicle (``Pipeline.run_text``):

    >>> report = pipe.run_text("2020 年 4 月 14 日\\n中俄外长通电话\\n王毅同拉夫罗夫通电话。", until="event_type")
    >>> [(e.title, e.plover, e.form) for e in report.chronicle]
    [('中俄外长通电话', 'CONSULT', 'phone_call')]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ontology.reference import ReferenceData

from . import get as get_loader
from .chronicle import ChronicleSections, parse_chronicle
from .documents import DocumentStage
from .event_types import EventTyper
from .figures import FigureStage
from .lines import split_lines
from .meetings import MeetingStage
from .mentions import ChapterMentionStage, MentionFinder, MentionStage
from .offices import OfficeReader
from .participants import ParticipantStage
from .records import Report, ReportInfo

__all__ = ["Pipeline", "Stage", "BUNDLED_REPORT"]

BUNDLED_REPORT = Path(__file__).resolve().parent / "reports" / "china-russia-dialogue-2021.zh.txt"

#: What the structure loader sets: the report's outline and its chronicle's entries.
STRUCTURE_ASSIGNS = ("report.info", "report.text", "report.chapters", "report.authors", "report.chronicle",
                     "entry.title", "entry.paragraph", "entry.date_begin", "entry.date_end", "entry.section",
                     "entry.passage", "entry.title_passage")


@dataclass(frozen=True)
class Stage:
    """One named step: ``run(report) -> report``, with the fields it reads and sets."""

    name: str
    run: Callable[[Report], Report]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()


def each_entry(fn: Callable) -> Callable[[Report], Report]:
    """A stage that works entry by entry, as a stage over the report."""

    def run(report: Report) -> Report:
        for entry in report.chronicle:
            fn(entry)
        return report

    return run


@dataclass
class Pipeline:
    ref: ReferenceData
    loader: str = "report-zh"
    stages: list[Stage] = field(default_factory=list)

    @property
    def stage_names(self) -> list[str]:
        return ["structure"] + [s.name for s in self.stages]

    @classmethod
    def default(cls, ref: ReferenceData | None = None) -> Pipeline:
        ref = ref or ReferenceData.load()
        pipe = cls(ref)
        finder = MentionFinder(ref)
        offices = OfficeReader(ref, finder)
        typer = EventTyper.from_file()
        mentions = MentionStage(finder)
        for stage in (
            Stage("event_type", each_entry(typer), EventTyper.requires, EventTyper.assigns),
            Stage("mentions", lambda rep: each_entry(lambda e: mentions(e, rep.text))(rep),
                  MentionStage.requires, MentionStage.assigns),
            Stage("participants", each_entry(ParticipantStage(ref, finder, offices)), ParticipantStage.requires,
                  ParticipantStage.assigns),
            Stage("meetings", each_entry(MeetingStage(offices)), MeetingStage.requires, MeetingStage.assigns),
            Stage("chapter_mentions", ChapterMentionStage(finder), ChapterMentionStage.requires,
                  ChapterMentionStage.assigns),
            Stage("documents", DocumentStage(ref), DocumentStage.requires, DocumentStage.assigns),
            Stage("figures", FigureStage(), FigureStage.requires, FigureStage.assigns),
        ):
            pipe.add(stage)
        return pipe

    def add(self, stage: Stage) -> None:
        if stage.name in self.stage_names:
            raise ValueError(f"a stage named {stage.name!r} is already in the pipeline")
        self.stages.append(stage)

    def analyze(self) -> list[str]:
        """What some stage requires and no stage before it assigns (empty when all is met)."""
        have = set(STRUCTURE_ASSIGNS)
        missing = []
        for s in self.stages:
            missing += [f"{s.name} requires {r}, which no earlier stage assigns" for r in s.requires if r not in have]
            have.update(s.assigns)
        return missing

    def sections(self) -> ChronicleSections:
        return ChronicleSections([(s.zh, s.key, s.en) for s in self.ref.sections])

    def run(self, path: str | Path, *, until: str | None = None, timings: dict[str, float] | None = None) -> Report:
        """Run the stages on one report; ``timings`` (if given) receives seconds per stage."""
        t0 = time.perf_counter()
        report = get_loader(self.loader)(path, self.sections())
        if timings is not None:
            timings["structure"] = timings.get("structure", 0.0) + time.perf_counter() - t0
        return self._stages(report, until, timings)

    def run_text(self, chronicle: str, *, until: str | None = None) -> Report:
        """Run the stages on a few lines of chronicle (dated entries as a report prints
        them), without the rest of a report: for trying a stage on a sentence."""
        lines = split_lines(chronicle)
        entries = list(parse_chronicle(chronicle, lines, 0, self.sections(), "<text>"))
        info = ReportInfo("text-zh", "", "zh", None, "<text>", "", "")
        return self._stages(Report(info, (), (), (), entries, text=chronicle), until, None)

    def _stages(self, report: Report, until: str | None, timings: dict[str, float] | None) -> Report:
        for stage in self.stages:
            if until is not None and self.stage_names.index(stage.name) > self.stage_names.index(until):
                break
            t0 = time.perf_counter()
            report = stage.run(report)
            if timings is not None:
                timings[stage.name] = timings.get(stage.name, 0.0) + time.perf_counter() - t0
            if report is None:
                raise RuntimeError(f"pipeline stage {stage.name!r} returned nothing")
        return report

    def run_all(self, paths: Sequence[str | Path]) -> list[Report]:
        return [self.run(p) for p in paths]
