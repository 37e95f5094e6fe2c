"""The loading pipeline: named stages in order, each with one job.

    >>> from loaders.pipeline import Pipeline
    >>> Pipeline.default().stage_names
    ['structure', 'event_type', 'mentions', 'participants', 'chapter_mentions', 'documents', 'figures']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ontology.reference import ReferenceData

from . import get as get_loader
from .annotate import ChapterMentionStage, EventTyper, MentionStage, ParticipantStage
from .chronicle import ChronicleSections
from .documents import DocumentStage
from .figures import FigureStage
from .mentions import MentionFinder
from .records import Report

BUNDLED_REPORT = Path(__file__).resolve().parent / "reports" / "china-russia-dialogue-2021.zh.txt"


@dataclass
class Pipeline:
    ref: ReferenceData
    loader: str = "report-zh"
    stages: list[tuple[str, Callable[[Report], Report]]] = field(default_factory=list)

    @property
    def stage_names(self) -> list[str]:
        return ["structure"] + [name for name, _ in self.stages]

    @classmethod
    def default(cls, ref: ReferenceData | None = None) -> Pipeline:
        ref = ref or ReferenceData.load()
        pipe = cls(ref)
        typer = EventTyper.from_file()
        finder = MentionFinder(ref)
        mentions = MentionStage(finder)
        participants = ParticipantStage(ref, finder)
        pipe.add("event_type", lambda rep: _each(rep, typer))
        pipe.add("mentions", lambda rep: _each(rep, lambda e: mentions(e, rep.text)))
        pipe.add("participants", lambda rep: _each(rep, participants))
        pipe.add("chapter_mentions", ChapterMentionStage(finder))
        pipe.add("documents", DocumentStage(ref))
        pipe.add("figures", FigureStage())
        return pipe

    def add(self, name: str, stage: Callable[[Report], Report]) -> None:
        if name in self.stage_names:
            raise ValueError(f"a stage named {name!r} is already in the pipeline")
        self.stages.append((name, stage))

    def sections(self) -> ChronicleSections:
        return ChronicleSections([(s.zh, s.key, s.en) for s in self.ref.sections])

    def run(self, path: str | Path, *, until: str | None = None, timings: dict[str, float] | None = None) -> Report:
        """Run the stages on one report; ``timings`` (if given) receives seconds per stage."""
        t0 = time.perf_counter()
        report = get_loader(self.loader)(path, self.sections())
        if timings is not None:
            timings["structure"] = timings.get("structure", 0.0) + time.perf_counter() - t0
        for name, stage in self.stages:
            if until is not None and self.stage_names.index(name) > self.stage_names.index(until):
                break
            t0 = time.perf_counter()
            report = stage(report)
            if timings is not None:
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0
            if report is None:
                raise RuntimeError(f"pipeline stage {name!r} returned nothing")
        return report

    def run_all(self, paths: Sequence[str | Path]) -> list[Report]:
        return [self.run(p) for p in paths]


def _each(report: Report, fn) -> Report:
    for entry in report.chronicle:
        fn(entry)
    return report
