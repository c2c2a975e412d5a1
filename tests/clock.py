"""The test suite's clock: every test starts at :data:`FROZEN_AT` (see ``tests/conftest.py``).

Test data is built relative to it — ``FROZEN_TODAY``, ``days(n)``, ``years_ago(n)`` — so a
test says "a window that opened a month ago" rather than a calendar date that one day passes.
A test whose point is a particular date (29 February, a year boundary, a holiday) moves the
clock itself with time-machine (the ``time_machine`` fixture's ``move_to``).
"""

import datetime as dt
from zoneinfo import ZoneInfo

#: Monday 30 November 2026, 10:00 in Beijing (02:00 UTC): a working Monday late in the year,
#: so a default certification window (this month to the year's end), the year's KPI months
#: and "the last 12 months" of training all make sense around it.
FROZEN_AT = dt.datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
FROZEN_TODAY = FROZEN_AT.date()
THIS_YEAR = FROZEN_TODAY.year
LAST_YEAR = THIS_YEAR - 1


def days(n: int) -> dt.date:
    """The date ``n`` days after (negative: before) the frozen today."""
    return FROZEN_TODAY + dt.timedelta(days=n)


def jan1(years_ago: int) -> dt.date:
    """1 January of the year ``years_ago`` years before the frozen year."""
    return dt.date(THIS_YEAR - years_ago, 1, 1)


def year_end(years_ago: int = 0) -> dt.date:
    """31 December of the frozen year (or of ``years_ago`` years before)."""
    return dt.date(THIS_YEAR - years_ago, 12, 31)
