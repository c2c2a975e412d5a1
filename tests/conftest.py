import pytest
import time_machine
from rest_framework.test import APIClient

from core.roles import Role
from tests.clock import FROZEN_AT
from tests.factories import UserFactory, make_ladder

# Fixtures of real channels (an SMTP server, an IM robot webhook) for any test that asks.
pytest_plugins = ["tests.channels"]


@pytest.fixture(autouse=True)
def frozen_clock():
    """Every test runs with the clock at ``tests.clock.FROZEN_AT``, whatever the real date.

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
