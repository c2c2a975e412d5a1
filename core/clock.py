"""The product's one notion of "now" and "today".

Every service, selector, view and command asks this module for the current instant or date
instead of calling ``timezone.now()``, ``date.today()`` or ``datetime.now()`` itself (ruff's
banned-API rule, configured in ``pyproject.toml``, refuses those calls everywhere else). So:

- "today" is always the calendar day in the configured ``TIME_ZONE`` (Asia/Shanghai by
  default), never the server's local day — a server running on UTC does not see 1 January
  eight hours late;
- tests freeze one clock (``time-machine``, see ``tests/conftest.py``) and every part of the
  product sees the same instant.

Functions here take no arguments on purpose: a use case that needs a specific day takes a
``today=`` argument and falls back to :func:`today` only at its edge.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current instant, timezone-aware (UTC)."""
    return timezone.now()


def localtime() -> dt.datetime:
    """The current instant in the configured ``TIME_ZONE`` (for display and file names)."""
    return timezone.localtime(timezone.now())


def today() -> dt.date:
    """Today's date in the configured ``TIME_ZONE``."""
    return timezone.localdate(timezone.now())
