"""Reading a report file: bytes to text, with errors that say what is wrong."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import EmptySourceError, SourceEncodingError


@dataclass(frozen=True)
class SourceText:
    path: str
    text: str
    sha256: str


def read_source(path: str | Path) -> SourceText:
    """Read a report as UTF-8 text.

    Raises FileNotFoundError for a missing file, SourceEncodingError for bytes that
    are not UTF-8 (the message gives the byte offset), EmptySourceError for a file
    with no text.
    """
    p = Path(path)
    data = p.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = exc.reason
        if exc.start >= len(data) - 3:
            reason += "; the file may be cut in the middle of a character"
        raise SourceEncodingError(str(p), exc.start, reason) from None
    if "\x00" in text:
        raise SourceEncodingError(str(p), text.index("\x00"), "NUL byte: a binary file, not text")
    if not text.strip():
        raise EmptySourceError(str(p))
    # Offsets are taken on this exact text; normalise only line ends.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(str(p), text, hashlib.sha256(data).hexdigest())
