"""Date ranges as users give them: checked, and met by what the graph dates.

    >>> import datetime as dt
    >>> overlaps(dt.date(2020, 4, 14), None, dt.date(2020, 4, 1), dt.date(2020, 4, 30))
    True
"""

from __future__ import annotations

import datetime as dt

from ..errors import InvalidParameter

__all__ = ["check_range", "overlaps"]


def check_range(since: dt.date | None, until: dt.date | None) -> None:
    if since and until and since > until:
        raise InvalidParameter("from", f"{since} is after to={until}")


def overlaps(begin: dt.date | None, end: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    """True when the days ``begin``–``end`` meet the range ``since``–``until``."""
    if begin is None:
        return since is None and until is None
    end = end or begin
    return (since is None or end >= since) and (until is None or begin <= until)
