import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from org.roles import Role
from tests.factories import UserFactory, make_ladder

#: The instant every test starts at: Monday 30 November 2026, 10:00 in Beijing (02:00 UTC).
#: A working Monday late in the year, so a default certification window (November–December),
#: the year's KPI periods and "the last 12 months" of training all make sense around it.
#: Tests build their dates relative to it (``clock.today()`` / ``FROZEN_TODAY``); a test whose
#: point is a particular date (29 February, a year boundary, a holiday) moves the clock itself
#: with the ``time_machine`` fixture (``time_machine.move_to(...)``).
FROZEN_AT = dt.datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
FROZEN_TODAY = FROZEN_AT.date()


@pytest.fixture(autouse=True)
def frozen_clock():
    """Every test runs with the clock at :data:`FROZEN_AT`, whatever the real date.

    ``time-machine`` patches the C-level clock functions, so the product (``core.clock``),
    Django's ``auto_now`` fields, the live server of the browser tests (a thread of this
    process) and third-party code all see the same instant. The clock ticks on from there
    (``tick=True``), so timestamps taken one after the other still increase.
    """
    with time_machine.travel(FROZEN_AT, tick=True) as traveller:
        yield traveller


@pytest.fixture
def api():
    """An unauthenticated API client; use ``api.force_authenticate(user)``."""
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def hr_user(db):
    return UserFactory(username="hr-officer", roles=[Role.HR])


@pytest.fixture
def hr_api(hr_user):
    return client_for(hr_user)


@pytest.fixture
def ladder(db):
    """The KAM track's levels L1–L5 (``make_ladder``)."""
    return make_ladder()
