import datetime as dt

import pytest

from core.roles import Role
from reappointment import selectors
from tests.clock import FROZEN_AT, days
from tests.factories import UserFactory, make_unit

TODAY = days(-14)  # a Monday, two weeks before the frozen today


@pytest.fixture
def units(db):
    root = make_unit("ROOT", name="公司")
    a = make_unit("A", parent=root, name="广州分公司")
    b = make_unit("B", parent=root, name="深圳分公司")
    return {"root": root, "a": a, "b": b}


@pytest.fixture
def grades(monkeypatch):
    """Annual grades ``{staff_id: {year: grade}}`` as the KPI app would give them."""
    table: dict[int, dict[int, str]] = {}

    def fake(staff_ids, years):
        return {pk: dict(table.get(pk, {})) for pk in staff_ids}

    monkeypatch.setattr(selectors, "grades_by_year", fake)
    return table


@pytest.fixture
def hr(db):
    return UserFactory(username="hr-reapp", roles=[Role.HR])


@pytest.fixture
def freeze_today(time_machine):
    """Move the clock to :data:`TODAY`, 10:00 in Beijing, for services, selectors and views."""
    time_machine.move_to(dt.datetime.combine(TODAY, dt.time(10), tzinfo=FROZEN_AT.tzinfo))
    return TODAY


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Letters issued by renewals are stored under a temporary folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
