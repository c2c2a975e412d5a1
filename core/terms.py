"""Terms as people read them.

An appointment's term is stored half-open — ``start`` included, ``end`` excluded (the next term
starts on ``end``) — so a 3-year term from 2024-03-01 has ``end`` 2027-03-01. People read a
term by its last day: "2024年3月1日至2027年2月28日". Every page and letter that prints a term
end goes through :func:`last_day` (``{{ value|last_day }}`` in templates, after
``{% load terms %}``), never prints ``end`` itself.
"""

from __future__ import annotations

import datetime as dt
from typing import overload


@overload
def last_day(end: dt.date | str) -> dt.date: ...
@overload
def last_day(end: None) -> None: ...
def last_day(end: dt.date | str | None) -> dt.date | None:
    """The last day of a term whose stored (exclusive) end is ``end``; ``None`` stays ``None``.
    Accepts an ISO string too (letters keep their facts as JSON)."""
    if not end:
        return None
    day = end if isinstance(end, dt.date) else dt.date.fromisoformat(str(end))
    return day - dt.timedelta(days=1)
