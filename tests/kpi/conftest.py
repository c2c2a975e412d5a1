from decimal import Decimal

import pytest
from django.utils import translation

from core.roles import Role
from kpi import scoring
from tests.factories import StaffFactory, make_ladder, make_unit, make_user_for

from .factories import make_indicator, make_period, make_scheme


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the site's default language is zh-hans)."""
    with translation.override("en"):
        yield


class World:
    """A branch with two departments, a manager over DEP1, staff, and a L2 monthly scheme:
    REV ratio 40 (target 100), CPL inverse_ratio 20 (target 4), VIS bands 20 (target 10),
    RAT rating 10, CMP deduction 10 (5 points)."""


@pytest.fixture
def world(db):
    w = World()
    w.levels = make_ladder()
    w.l2 = w.levels[1]
    w.root = make_unit("ROOT")
    w.dep1 = make_unit("DEP1", w.root)
    w.dep2 = make_unit("DEP2", w.root)
    w.manager = StaffFactory(employee_no="M001", unit=w.dep1, level=w.levels[3])
    w.alice = StaffFactory(employee_no="A001", unit=w.dep1, level=w.l2, manager=w.manager)
    w.bob = StaffFactory(employee_no="B001", unit=w.dep1, level=w.l2, manager=w.manager)
    w.carol = StaffFactory(employee_no="C001", unit=w.dep2, level=w.l2)
    w.manager_user = make_user_for(w.manager, Role.MANAGER)
    w.alice_user = make_user_for(w.alice)
    w.carol_user = make_user_for(w.carol)
    w.rev = make_indicator("REV", scoring.RATIO)
    w.cpl = make_indicator("CPL", scoring.INVERSE_RATIO)
    w.vis = make_indicator(
        "VIS", scoring.BANDS, {"bands": [["0.8", "60"], ["1", "100"], ["1.2", "120"]]}
    )
    w.rat = make_indicator("RAT", scoring.RATING)
    w.cmp = make_indicator("CMP", scoring.DEDUCTION, {"points": "5"})
    w.scheme = make_scheme(
        w.l2,
        [
            (w.rev, 40, Decimal(100)),
            (w.cpl, 20, Decimal(4)),
            (w.vis, 20, Decimal(10)),
            (w.rat, 10, None),
            (w.cmp, 10, None),
        ],
    )
    w.mar = make_period("2026-03")
    w.apr = make_period("2026-04")
    return w
