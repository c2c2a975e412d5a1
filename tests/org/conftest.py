"""A small company shared by the org and core tests.

    CO (company)
    ├── A (branch)            boss           ← above the manager, outside his subtree
    │   ├── A1 (department)   manager, peer  ← the manager's own unit
    │   │   └── A1X (team)    deep           ← below the manager's unit
    │   └── A2 (department)   sibling        ← sibling department: never visible to the manager
    └── B (branch)
        └── B1 (department)   remote (reports to the manager), outsider (committee member)

Logins: ``staff_user`` (peer), ``manager_user`` (manager), ``committee_user`` (outsider),
``hr`` / ``admin`` / ``leader`` (no staff record; they see everyone).
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from core.roles import Role
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory, make_ladder, make_unit, make_user_for


@pytest.fixture
def company(db):
    l1, l2, l3, l4, l5 = make_ladder()
    co = make_unit("CO", name="公司")
    a = make_unit("A", co, name="甲分公司")
    a1 = make_unit("A1", a, name="甲一部")
    a1x = make_unit("A1X", a1, name="甲一组")
    a2 = make_unit("A2", a, name="甲二部")
    b = make_unit("B", co, name="乙分公司")
    b1 = make_unit("B1", b, name="乙一部")

    since = dt.date(2023, 1, 1)
    boss = StaffFactory(employee_no="S001", name="老板", unit=a, level=l5, level_since=since)
    manager = StaffFactory(
        employee_no="S002", name="经理", unit=a1, manager=boss, level=l4, level_since=since
    )
    peer = StaffFactory(
        employee_no="S003", name="同事", unit=a1, manager=manager, level=l2, level_since=since
    )
    deep = StaffFactory(employee_no="S004", name="组员", unit=a1x, level=l1, level_since=since)
    remote = StaffFactory(
        employee_no="S005", name="远程", unit=b1, manager=manager, level=l2, level_since=since
    )
    sibling = StaffFactory(employee_no="S006", name="隔壁", unit=a2, level=l3, level_since=since)
    outsider = StaffFactory(employee_no="S007", name="外人", unit=b1, level=l3, level_since=since)

    ns = SimpleNamespace(
        levels=[l1, l2, l3, l4, l5],
        units=SimpleNamespace(co=co, a=a, a1=a1, a1x=a1x, a2=a2, b=b, b1=b1),
        boss=boss,
        manager=manager,
        peer=peer,
        deep=deep,
        remote=remote,
        sibling=sibling,
        outsider=outsider,
    )
    ns.all_staff = [boss, manager, peer, deep, remote, sibling, outsider]
    ns.staff_user = make_user_for(peer, username="peer")
    ns.manager_user = make_user_for(manager, Role.MANAGER, username="mgr")
    ns.committee_user = make_user_for(outsider, Role.COMMITTEE, username="cmte")
    ns.hr = UserFactory(username="hr1", roles=[Role.HR], is_staff=True)
    ns.admin = UserFactory(username="admin1", roles=[Role.ADMIN], is_staff=True)
    ns.leader = UserFactory(username="lead1", roles=[Role.LEADERSHIP])
    ns.no_role = UserFactory(username="nobody")
    return ns


@pytest.fixture
def as_user():
    """``as_user(user)`` → an APIClient authenticated as ``user``."""
    return client_for
