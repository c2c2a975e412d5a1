"""``manage.py`` under the test suite's clock, for the subprocesses tests start (the real
``db_worker``): ``python -m tests.frozen_manage db_worker …`` with ``TEST_CLOCK_AT`` set to the
starting test's ``clock.now()`` (ISO 8601). The subprocess then sees the instant the test sees,
ticking on from it, instead of the machine's date."""

import datetime as dt
import os
import sys

import time_machine
from django.core.management import execute_from_command_line


def main() -> None:
    at = dt.datetime.fromisoformat(os.environ["TEST_CLOCK_AT"])
    with time_machine.travel(at, tick=True):
        execute_from_command_line(["manage.py", *sys.argv[1:]])


if __name__ == "__main__":
    main()
