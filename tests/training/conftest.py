"""A small company for the training tests.

ROOT ─ GZ ─ GZ-KA (manager ``mgr`` with staff ``alice``, ``bob``)
          └ GZ-GOV (``carol``)
     └ SZ (``dave``)
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from core.roles import Role
from org.models import Level, OrgUnit, Staff
from tests.conftest import client_for
from tests.factories import StaffFactory, make_ladder, make_unit, make_user_for


@dataclass
class World:
    levels: list[Level]
    root: OrgUnit
    gz: OrgUnit
    gz_ka: OrgUnit
    gz_gov: OrgUnit
    sz: OrgUnit
    mgr: Staff
    alice: Staff
    bob: Staff
    carol: Staff
    dave: Staff

    def level(self, code: str) -> Level:
        return next(lv for lv in self.levels if lv.code == code)


@pytest.fixture
def world(db) -> World:
    levels = make_ladder()
    root = make_unit("ROOT")
    gz = make_unit("GZ", root)
    gz_ka = make_unit("GZ-KA", gz)
    gz_gov = make_unit("GZ-GOV", gz)
    sz = make_unit("SZ", root)
    since = dt.date(2023, 1, 1)
    mgr = StaffFactory(employee_no="M001", name="经理", unit=gz, level=levels[3], level_since=since)
    alice = StaffFactory(
        employee_no="K001", name="爱丽", unit=gz_ka, manager=mgr, level=levels[1], level_since=since
    )
    bob = StaffFactory(
        employee_no="K002", name="鲍勃", unit=gz_ka, manager=mgr, level=levels[1], level_since=since
    )
    carol = StaffFactory(
        employee_no="K003", name="卡罗", unit=gz_gov, level=levels[2], level_since=since
    )
    dave = StaffFactory(
        employee_no="K004", name="戴夫", unit=sz, level=levels[0], level_since=since
    )
    make_user_for(mgr, Role.MANAGER, username="mgr")
    for s in (alice, bob, carol, dave):
        make_user_for(s, username=s.name)
    for s in (mgr, alice, bob, carol, dave):
        s.refresh_from_db()
    return World(levels, root, gz, gz_ka, gz_gov, sz, mgr, alice, bob, carol, dave)


@pytest.fixture
def alice_api(world):
    return client_for(world.alice.user)


@pytest.fixture
def mgr_api(world):
    return client_for(world.mgr.user)


@pytest.fixture
def private_root(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def hr_client(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="hr-page", roles=[Role.HR]))
    return client
