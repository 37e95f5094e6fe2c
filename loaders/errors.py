"""Errors a loader raises; each names the offending file, line or value."""

from __future__ import annotations


class LoaderError(Exception):
    """Base class: the input could not be read as a report."""


class UnknownLoaderError(LoaderError, KeyError):
    def __init__(self, name: str, available: list[str]):
        self.name = name
        self.available = available
        super().__init__(f"no loader registered as {name!r}; available: {', '.join(available)}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class SourceEncodingError(LoaderError):
    def __init__(self, path: str, offset: int, reason: str):
        self.path, self.offset = path, offset
        super().__init__(
            f"{path}: not valid UTF-8 at byte {offset} ({reason}); "
            "the report must be plain UTF-8 text"
        )


class EmptySourceError(LoaderError):
    def __init__(self, path: str):
        self.path = path
        super().__init__(f"{path}: the file is empty (no text to load)")


class NotAReportError(LoaderError):
    def __init__(self, path: str, missing: str):
        self.path, self.missing = path, missing
        super().__init__(f"{path}: not a China–Russia Dialogue report: {missing}")


class TruncatedReportError(LoaderError):
    def __init__(self, path: str, detail: str):
        self.path, self.detail = path, detail
        super().__init__(f"{path}: the report looks truncated: {detail}")


class ChronicleDateError(LoaderError):
    def __init__(self, path: str, line: int, text: str, reason: str):
        self.path, self.line, self.text = path, line, text
        super().__init__(f"{path}:{line}: bad chronicle date {text.strip()!r}: {reason}")


class NerUnavailable(LoaderError):
    """Names were asked to be found with the NER model, which is not installed."""

    def __init__(self):
        super().__init__("finding names with the NER model needs its package: pip install 'china-russia-dialogue-kg[ner]'")
