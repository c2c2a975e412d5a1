"""Schemes, periods, manual entry and corrections (DOMAIN.md, "KPI")."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from core import audit
from core.errors import InvalidTransition, RoleRequired
from kpi import scoring, services
from kpi.models import Actual, Correction, Indicator, Period, PeriodScore, Scheme

from .factories import make_indicator, put_actual


def _items(w, weights=(40, 20, 20, 10, 10), rev_target=D(100)):
    return [
        {"indicator": w.rev, "weight": D(weights[0]), "target": rev_target},
        {"indicator": w.cpl, "weight": D(weights[1]), "target": D(4)},
        {"indicator": w.vis, "weight": D(weights[2]), "target": D(10)},
        {"indicator": w.rat, "weight": D(weights[3]), "target": None},
        {"indicator": w.cmp, "weight": D(weights[4]), "target": None},
    ]


@pytest.mark.parametrize(
    "weights", [(40, 20, 20, 10, "9.99"), (40, 20, 20, 10, 11), (50, 20, 20, 10, 10)]
)
def test_scheme_weights_not_100_refused(world, hr_user, weights):
    level = world.levels[2]
    with pytest.raises(ValidationError) as exc:
        services.scheme_save(
            actor=hr_user,
            scheme=Scheme(track=level.track, level=level, period_type="month"),
            items=_items(world, weights),
        )
    assert "exactly 100" in str(exc.value)
    assert not Scheme.objects.filter(level=level).exists()


def test_scheme_with_weights_100_saved_and_audited(world, hr_user):
    level = world.levels[2]
    scheme = services.scheme_save(
        actor=hr_user,
        scheme=Scheme(track=level.track, level=level, period_type="month"),
        items=_items(world, ("33.33", "33.33", "13.34", "10", "10")),
    )
    assert sum(i.weight for i in scheme.items.all()) == D(100)
    assert audit.history(scheme).first().action == "kpi.scheme.create"


def test_ratio_target_zero_refused(world, hr_user):
    level = world.levels[2]
    with pytest.raises(ValidationError) as exc:
        services.scheme_save(
            actor=hr_user,
            scheme=Scheme(track=level.track, level=level, period_type="month"),
            items=_items(world, rev_target=D(0)),
        )
    assert "greater than 0" in str(exc.value)


def test_indicator_params_validated(hr_user, db):
    with pytest.raises(ValidationError):
        services.indicator_save(
            actor=hr_user,
            indicator=Indicator(
                code="X",
                name="x",
                kind="quantitative",
                method="bands",
                params={"bands": [["1", "100"], ["0.5", "50"]]},
            ),
        )
    saved = services.indicator_save(
        actor=hr_user,
        indicator=Indicator(code="Y", name="y", kind="quantitative", method="ratio", params={}),
    )
    assert saved.params == {"cap": "1.2"}


def test_period_codes(hr_user, db):
    month = services.period_create(actor=hr_user, code="2026-02")
    assert (month.period_type, str(month.start), str(month.end)) == (
        "month",
        "2026-02-01",
        "2026-02-28",
    )
    quarter = services.period_create(actor=hr_user, code="2026-Q4")
    assert (quarter.period_type, str(quarter.start), str(quarter.end)) == (
        "quarter",
        "2026-10-01",
        "2026-12-31",
    )
    year = services.period_create(actor=hr_user, code="2026")
    assert (year.period_type, year.year) == ("year", 2026)
    for bad in ("2026-13", "2026-Q5", "26", "2026-1", "x"):
        with pytest.raises(ValidationError):
            services.period_create(actor=hr_user, code=bad)


def test_lock_is_one_way_and_audited(world, hr_user):
    services.period_lock(actor=hr_user, period=world.mar, reason="month closed")
    world.mar.refresh_from_db()
    assert world.mar.status == Period.Status.LOCKED
    event = audit.history(world.mar).first()
    assert (event.from_state, event.to_state, event.reason) == ("open", "locked", "month closed")
    with pytest.raises(InvalidTransition):
        services.period_lock(actor=hr_user, period=world.mar)


def test_manual_entry_recomputes_scores(world, hr_user):
    services.actual_enter(
        actor=hr_user, staff=world.alice, indicator=world.rev, period=world.mar, value="88.5"
    )
    assert PeriodScore.objects.get(staff=world.alice, period=world.mar).total == D("88.50")
    services.actual_enter(
        actor=hr_user, staff=world.alice, indicator=world.rev, period=world.mar, value="91"
    )
    assert Actual.objects.count() == 1
    assert PeriodScore.objects.get(staff=world.alice, period=world.mar).total == D("91.00")
    assert world.alice.kpi_annual.get(year=2026).score == D("91.00")


def test_locked_period_refuses_entry_but_takes_a_correction_with_reason(world, hr_user):
    actual = put_actual(world.alice, world.rev, world.mar, "80")
    services.period_lock(actor=hr_user, period=world.mar)
    with pytest.raises(InvalidTransition):
        services.actual_enter(
            actor=hr_user, staff=world.alice, indicator=world.rev, period=world.mar, value="90"
        )
    with pytest.raises(ValidationError):
        services.actual_correct(actor=hr_user, actual=actual, value="90", reason="  ")
    correction = services.actual_correct(
        actor=hr_user, actual=actual, value="90", reason="CRM export missed a contract"
    )
    assert (correction.old_value, correction.new_value) == ("80.0000", "90.0000")
    actual.refresh_from_db()
    assert (actual.value, actual.source) == (D("90"), Actual.Source.CORRECTION)
    event = audit.history(actual).first()
    assert event.action == "kpi.actual.correct"
    assert event.reason == "CRM export missed a contract"
    assert event.changes == {"value": ["80.0000", "90.0000"]}
    assert PeriodScore.objects.get(staff=world.alice, period=world.mar).total == D("90.00")


def test_correction_of_open_period_refused(world, hr_user):
    actual = put_actual(world.alice, world.rev, world.mar, "80")
    with pytest.raises(InvalidTransition):
        services.actual_correct(actor=hr_user, actual=actual, value="90", reason="x")
    assert Correction.objects.count() == 0


def test_manager_rates_own_team_only(world):
    services.actual_enter(
        actor=world.manager_user,
        staff=world.alice,
        indicator=world.rat,
        period=world.mar,
        value="a",
    )
    assert Actual.objects.get(staff=world.alice, indicator=world.rat).grade == "A"
    with pytest.raises(Http404):  # carol is in DEP2, outside the manager's subtree
        services.actual_enter(
            actor=world.manager_user,
            staff=world.carol,
            indicator=world.rat,
            period=world.mar,
            value="A",
        )
    with pytest.raises(RoleRequired):  # quantitative figures come from HR
        services.actual_enter(
            actor=world.manager_user,
            staff=world.alice,
            indicator=world.rev,
            period=world.mar,
            value="100",
        )
    with pytest.raises(RoleRequired):
        services.actual_enter(
            actor=world.manager_user,
            staff=world.manager,
            indicator=world.rat,
            period=world.mar,
            value="A",
        )
    with pytest.raises(RoleRequired):
        services.actual_enter(
            actor=world.alice_user,
            staff=world.alice,
            indicator=world.rat,
            period=world.mar,
            value="A",
        )


@pytest.mark.parametrize(
    ("indicator", "value"),
    [("rat", "F"), ("rev", "abc"), ("rev", "1.23456"), ("cmp", "-1"), ("cmp", "1.5")],
)
def test_invalid_values_refused(world, hr_user, indicator, value):
    with pytest.raises(ValidationError):
        services.actual_enter(
            actor=hr_user,
            staff=world.alice,
            indicator=getattr(world, indicator),
            period=world.mar,
            value=value,
        )


def test_staff_target_set_by_hr_recomputes(world, hr_user):
    put_actual(world.alice, world.rev, world.mar, "90")
    services.target_set(actor=hr_user, staff=world.alice, indicator=world.rev, target=D(75))
    assert PeriodScore.objects.get(staff=world.alice, period=world.mar).total == D("120.00")
    with pytest.raises(ValidationError):
        services.target_set(actor=hr_user, staff=world.alice, indicator=world.rev, target=D(0))


def test_scheme_by_level_held_at_period_end(world, hr_user):
    """A promotion after the period does not change that period's scheme."""
    from org import services as org_services

    l3 = world.levels[2]
    other = make_indicator("L3ONLY", scoring.RATIO)
    Scheme.objects.create(track=l3.track, level=l3, period_type="month").items.create(
        indicator=other, weight=100, target=D(10)
    )
    put_actual(world.alice, world.rev, world.mar, "90")
    put_actual(world.alice, other, world.mar, "10")
    import datetime as dt

    org_services.appoint(
        actor=None, staff=world.alice, level=l3, start=dt.date(2026, 6, 1), reason="promotion"
    )
    from kpi import score_recompute

    score_recompute.recompute([world.mar.pk])
    score = PeriodScore.objects.get(staff=world.alice, period=world.mar)
    assert score.scheme == world.scheme
    assert score.total == D("90.00")
