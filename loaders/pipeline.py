"""The loading pipeline: named stages in order, each with one job, each declaring the
record fields it reads (``requires``) and sets (``assigns``), as spaCy's components do,
so that ``Pipeline.analyze`` can check that every stage finds what it needs.

    >>> pipe = Pipeline.default()
    >>> pipe.stage_names
    ['structure', 'chapter_events', 'event_type', 'mentions', 'participants', 'meetings', 'chapter_mentions', 'documents', 'figures']
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
from .chapter_events import ChapterEventStage
from .chronicle import ChronicleSections, parse_chronicle
from .documents import DocumentStage
from .event_types import EventTyper
from .figures import FigureStage
from .lines import split_lines
from .meetings import MeetingStage
from .errors import NerUnavailable
from .forked import ForkedCall, can_fork
from .mentions import ChapterMentionStage, MentionFinder, MentionStage
from .ner import NameTagger
from .offices import OfficeReader
from .participants import ParticipantStage
from .records import ChronicleEntry, Report, ReportInfo

__all__ = ["Pipeline", "Stage", "BUNDLED_REPORT"]

BUNDLED_REPORT = Path(__file__).resolve().parent / "reports" / "china-russia-dialogue-2021.zh.txt"

#: What the structure loader sets: the report's outline and its chronicle's entries.
STRUCTURE_ASSIGNS = ("report.info", "report.text", "report.chapters", "report.authors", "report.chronicle",
                     "entry.title", "entry.paragraph", "entry.date_begin", "entry.date_end", "entry.section",
                     "entry.passage", "entry.title_passage")


@dataclass(frozen=True)
class Stage:
    """One named step: ``run(report) -> report``, with the fields it reads and sets.
    ``each`` is set for a stage that works entry by entry (``Stage.per_entry``)."""

    name: str
    run: Callable[[Report], Report]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    each: Callable[[ChronicleEntry, Report], None] | None = None

    @classmethod
    def per_entry(cls, name: str, fn: Callable[[ChronicleEntry, Report], None], requires: tuple[str, ...] = (),
                  assigns: tuple[str, ...] = ()) -> Stage:
        """A stage that calls ``fn(entry, report)`` on each entry of the report and sets
        only the ``entry.*`` fields it declares: entries do not depend on each other, so
        a long report's entries can be shared out between processes."""

        def run(report: Report) -> Report:
            for entry in report.entries():
                fn(entry, report)
            return report

        return cls(name, run, requires, assigns, each=fn)


#: From this many entries a report's entry-by-entry stages run in two processes (below
#: it a fork costs more than it saves).
SHARE_FROM = 200


def _entry_fields(block: Sequence[Stage]) -> list[str]:
    return sorted({a.split(".", 1)[1] for s in block for a in s.assigns if a.startswith("entry.")})


def _run_entries(block: Sequence[Stage], report: Report, entries: Sequence[ChronicleEntry]) -> None:
    for stage in block:
        for entry in entries:
            stage.each(entry, report)


def _read_entries(block: Sequence[Stage], report: Report, entries: Sequence[ChronicleEntry]) -> list[dict]:
    """What the stages set on these entries (run in a forked process, this is sent back)."""
    _run_entries(block, report, entries)
    fields = _entry_fields(block)
    return [{f: getattr(e, f) for f in fields} for e in entries]


@dataclass
class Pipeline:
    ref: ReferenceData
    loader: str = "report-zh"
    stages: list[Stage] = field(default_factory=list)

    @property
    def stage_names(self) -> list[str]:
        return ["structure"] + [s.name for s in self.stages]

    @classmethod
    def default(cls, ref: ReferenceData | None = None, *, names: str = "patterns") -> Pipeline:
        """The stages in order; ``names`` says how names the reference data does not know
        are found (``data``: not at all, ``patterns``, ``ner``: patterns and the NER model)."""
        ref = ref or ReferenceData.load()
        pipe = cls(ref)
        tagger = NameTagger.load() if names == "ner" else None
        if names == "ner" and tagger is None:
            raise NerUnavailable()
        finder = MentionFinder(ref, names=names, tagger=tagger)
        offices = OfficeReader(ref, finder)
        typer = EventTyper.from_file()
        mentions = MentionStage(finder)
        participants = ParticipantStage(ref, finder, offices)
        meetings = MeetingStage(offices)
        for stage in (
            Stage("chapter_events", ChapterEventStage(), ChapterEventStage.requires, ChapterEventStage.assigns),
            Stage.per_entry("event_type", lambda e, rep: typer(e), EventTyper.requires, EventTyper.assigns),
            Stage.per_entry("mentions", lambda e, rep: mentions(e, rep.text), MentionStage.requires,
                            MentionStage.assigns),
            Stage.per_entry("participants", lambda e, rep: participants(e), ParticipantStage.requires,
                            ParticipantStage.assigns),
            Stage.per_entry("meetings", lambda e, rep: meetings(e), MeetingStage.requires, MeetingStage.assigns),
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
        stages = [s for s in self.stages
                  if until is None or self.stage_names.index(s.name) <= self.stage_names.index(until)]
        i = 0
        while i < len(stages):
            block = [stages[i]]
            while block[0].each is not None and i + len(block) < len(stages) \
                    and stages[i + len(block)].each is not None:
                block.append(stages[i + len(block)])
            i += len(block)
            t0 = time.perf_counter()
            if block[0].each is not None:
                self._per_entry(block, report)
            else:
                report = block[0].run(report)
            if timings is not None:
                name = "+".join(s.name for s in block)
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0
            if report is None:
                raise RuntimeError(f"pipeline stage {block[0].name!r} returned nothing")
        return report

    @staticmethod
    def _per_entry(block: Sequence[Stage], report: Report) -> None:
        """Entry-by-entry stages, one after another; a long report's entries in two
        shares, every other one read in a forked process (``loaders.forked``)."""
        entries = report.entries()
        if len(entries) < SHARE_FROM or not can_fork():
            _run_entries(block, report, entries)
            return
        theirs = entries[1::2]
        with ForkedCall(_read_entries, block, report, theirs) as call:
            _run_entries(block, report, entries[0::2])
            for entry, values in zip(theirs, call.result(), strict=True):
                for f, v in values.items():
                    setattr(entry, f, v)

    def run_all(self, paths: Sequence[str | Path]) -> list[Report]:
        return [self.run(p) for p in paths]
