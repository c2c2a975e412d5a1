import datetime as dt
from decimal import Decimal

import pytest

from core.roles import Role
from org import services as org_services
from org.models import OrgUnit
from tests.factories import StaffFactory, UserFactory, make_ladder, make_unit, make_user_for


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Letters are stored in a per-test folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SITE_URL = "https://ladder.example.com"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def ladder(db):
    levels = make_ladder()
    l3 = levels[2]
    l3.honorary_title = "高级大客户经理"
    l3.honorary_title_en = "Senior Key Account Manager"
    l3.name_en = "Senior Account Manager"
    l3.allowance = Decimal("2500.00")
    l3.training_package_value = Decimal("6000.00")
    l3.office_entitlement = "独立办公室"
    l3.save()
    levels[1].name_en = "Account Manager"
    levels[1].save()
    return levels


@pytest.fixture
def office(db):
    return UserFactory(username="letters-hr", roles=[Role.HR])


def promote(staff, level, start=dt.date(2026, 1, 1)):
    return org_services.appoint(
        actor=None, staff=staff, level=level, start=start, reason="promotion"
    )


@pytest.fixture
def promoted(ladder):
    """张伟, promoted from L2 to L3 on 2026-01-01: the appointment to write a letter for."""
    staff = StaffFactory(
        name="张伟", employee_no="K10001", level=ladder[1], level_since=dt.date(2023, 1, 1)
    )
    return promote(staff, ladder[2])


@pytest.fixture
def org_tree(ladder):
    """Two departments under one root; a manager in A with one report; someone in B."""
    root = OrgUnit.objects.filter(code="ROOT").first() or make_unit("ROOT")
    dept_a = make_unit("A", root)
    dept_b = make_unit("B", root)
    manager = StaffFactory(unit=dept_a, level=ladder[3], level_since=dt.date(2022, 1, 1))
    report = StaffFactory(
        unit=dept_a, manager=manager, level=ladder[1], level_since=dt.date(2023, 1, 1)
    )
    other = StaffFactory(unit=dept_b, level=ladder[1], level_since=dt.date(2023, 1, 1))
    return {
        "manager": manager,
        "report": report,
        "other": other,
        "manager_user": make_user_for(manager, Role.MANAGER),
        "report_user": make_user_for(report),
        "other_user": make_user_for(other),
    }
