"""The product reads the clock in one place, ``core.clock``, and "today" is Beijing's day."""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from core import clock
from tests.clock import FROZEN_AT, FROZEN_TODAY

UTC = dt.UTC
ROOT = Path(settings.BASE_DIR)
CLOCK_READS = re.compile(
    r"\btimezone\.(now|localdate|localtime)\(\s*\)"
    r"|\bdate\.today\("
    r"|\bdatetime\.(now|today|utcnow)\("
    r"|\btime\.time\("
)
NOT_PRODUCT = {".venv", "tests", "migrations", "node_modules", "var", "static"}


def test_the_suite_runs_at_the_frozen_instant():
    assert clock.now() - FROZEN_AT < dt.timedelta(minutes=10)
    assert clock.today() == FROZEN_TODAY


def test_today_is_the_day_in_beijing_not_on_the_server(time_machine):
    # 31 December 2026, 16:30 UTC is already 1 January 2027, 00:30 in Beijing.
    time_machine.move_to(dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC), tick=False)
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert clock.today() == dt.date(2027, 1, 1)
    assert clock.localtime().tzinfo is not None
    assert clock.localtime().replace(tzinfo=None) == dt.datetime(2027, 1, 1, 0, 30)
    assert clock.now() == dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    # One minute before midnight in Beijing it is still the 31st.
    time_machine.move_to(dt.datetime(2026, 12, 31, 23, 59, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert clock.today() == dt.date(2026, 12, 31)


def test_no_product_code_reads_the_clock_except_core_clock():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if NOT_PRODUCT & set(relative.parts) or relative == Path("core/clock.py"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if CLOCK_READS.search(code) and '"""' not in code and "``" not in code:
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
