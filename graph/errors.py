"""What a user can name wrongly: an id the graph does not have, a value it cannot use.

Raised by the analyses and the networks; the service turns them into 404 and 422, the
command line into one line and exit 2.
"""

from __future__ import annotations

__all__ = ["UnknownId", "InvalidParameter"]


class UnknownId(LookupError):
    """No node of this kind has this id; ``close_matches`` lists ids that might be meant."""

    def __init__(self, kind: str, key: str, close_matches: list[str]):
        self.kind, self.key, self.close_matches = kind, key, close_matches
        hint = f"; did you mean {', '.join(close_matches)}?" if close_matches else ""
        super().__init__(f"no {kind} with id {key!r}{hint}")


class InvalidParameter(ValueError):
    """A parameter value the graph cannot use; ``allowed`` lists what would work, where short."""

    def __init__(self, name: str, message: str, allowed: list[str] | None = None):
        self.name, self.allowed = name, allowed
        super().__init__(f"{name}: {message}")
