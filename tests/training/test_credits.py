"""Credits in the last 12 months, the requirement, shortfall and missing courses."""

import datetime as dt
from decimal import Decimal

import pytest

from training import selectors, services
from training.models import TrainingRecord

from .factories import CourseFactory, RecordFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize(
    ("on_date", "first"),
    [
        (dt.date(2026, 11, 28), dt.date(2025, 11, 29)),
        (dt.date(2028, 2, 29), dt.date(2027, 3, 1)),
        (dt.date(2028, 2, 28), dt.date(2027, 3, 1)),
        (dt.date(2027, 2, 28), dt.date(2026, 3, 1)),
        (dt.date(2025, 2, 28), dt.date(2024, 2, 29)),
        (dt.date(2025, 3, 1), dt.date(2024, 3, 2)),
        (dt.date(2026, 1, 1), dt.date(2025, 1, 2)),
    ],
)
def test_the_window_is_the_days_after_d_minus_12_months_up_to_d(on_date, first):
    assert selectors.window_12m(on_date=on_date) == (first, on_date)


def test_a_record_of_exactly_12_months_ago_no_longer_counts_the_day_after_does(world):
    for day, credits in [
        (dt.date(2025, 11, 28), "1.00"),  # D − 12 months: out
        (dt.date(2025, 11, 29), "2.00"),  # first day in
        (dt.date(2026, 11, 28), "4.00"),  # D itself: in
        (dt.date(2026, 11, 29), "8.00"),  # after D: out
    ]:
        RecordFactory(staff=world.alice, date=day, credits=D(credits))
    totals = selectors.credits_12m(staff_ids=[world.alice.pk], on_date=dt.date(2026, 11, 28))
    assert totals == {world.alice.pk: D("6.00")}
    # One day later the record of 2025-11-29 drops out and the one of 2026-11-29 is in.
    assert selectors.credits_12m(staff_ids=[world.alice.pk], on_date=dt.date(2026, 11, 29)) == {
        world.alice.pk: D("12.00")
    }


def test_29_february_boundaries(world):
    RecordFactory(staff=world.alice, date=dt.date(2027, 2, 28), credits=D("1.00"))
    RecordFactory(staff=world.alice, date=dt.date(2027, 3, 1), credits=D("2.00"))
    RecordFactory(staff=world.alice, date=dt.date(2028, 2, 29), credits=D("4.00"))
    # On 29 February 2028, D − 12 months is 28 February 2027: out; 1 March 2027: in.
    assert selectors.credits_12m(staff_ids=[world.alice.pk], on_date=dt.date(2028, 2, 29))[
        world.alice.pk
    ] == D("6.00")
    # A record of 29 February 2024 counts on 2025-02-28 and not on 2025-03-01.
    RecordFactory(staff=world.bob, date=dt.date(2024, 2, 29), credits=D("3.50"))
    assert selectors.credits_12m(staff_ids=[world.bob.pk], on_date=dt.date(2025, 2, 28))[
        world.bob.pk
    ] == D("3.50")
    assert selectors.credits_12m(staff_ids=[world.bob.pk], on_date=dt.date(2025, 3, 1))[
        world.bob.pk
    ] == D("0")


def test_failed_records_earn_no_credits_and_completed_ones_do(world):
    day = dt.date(2026, 5, 1)
    RecordFactory(staff=world.alice, date=day, credits=D("5.00"), result="failed")
    RecordFactory(staff=world.alice, date=day, credits=D("1.25"), result="completed")
    RecordFactory(staff=world.alice, date=day, credits=D("2.50"), result="passed")
    assert selectors.credits_12m(staff_ids=[world.alice.pk], on_date=dt.date(2026, 11, 28))[
        world.alice.pk
    ] == D("3.75")


def test_credits_12m_answers_every_id_in_one_query(world, django_assert_num_queries):
    staff = [world.alice, world.bob, world.carol, world.dave, world.mgr]
    for i, s in enumerate(staff[:3]):
        for k in range(5):
            RecordFactory(staff=s, date=dt.date(2026, 1 + k, 10), credits=D(i + 1))
    with django_assert_num_queries(1):
        totals = selectors.credits_12m(
            staff_ids=[s.pk for s in staff], on_date=dt.date(2026, 11, 28)
        )
    assert totals == {
        world.alice.pk: D("5"),
        world.bob.pk: D("10"),
        world.carol.pk: D("15"),
        world.dave.pk: D("0"),
        world.mgr.pk: D("0"),
    }


def _requirement(world, code="L2", minimum="30.00", courses=()):
    return services.requirement_save(
        actor=None,
        level=world.level(code),
        min_credits_12m=D(minimum),
        required_courses=list(courses),
    )


def test_shortfall_and_missing_courses(world):
    etiquette = CourseFactory(code="B01", title="商务礼仪")
    negotiation = CourseFactory(code="P03", title="商务谈判")
    _requirement(world, courses=[etiquette, negotiation])
    on = dt.date(2026, 11, 28)
    # Etiquette passed long ago still counts as done; negotiation failed does not.
    RecordFactory(staff=world.alice, course=etiquette, date=dt.date(2020, 3, 1), credits=D("2"))
    RecordFactory(staff=world.alice, course=negotiation, date=dt.date(2026, 3, 1), result="failed")
    RecordFactory(staff=world.alice, date=dt.date(2026, 1, 5), credits=D("12.50"))
    RecordFactory(staff=world.alice, date=dt.date(2026, 2, 5), credits=D("7.25"))
    RecordFactory(staff=world.alice, date=dt.date(2026, 3, 5), credits=D("0.75"))

    summary = selectors.training_summary(staff=world.alice, on_date=on)

    assert summary.credits_12m == D("20.50")
    assert summary.required_credits == D("30.00")
    assert summary.shortfall == D("9.50")
    assert [c.code for c in summary.missing_courses] == ["P03"]
    assert summary.met is False
    assert summary.percent == 68  # 20.50 / 30 = 68.3 %


def test_exactly_the_minimum_meets_the_requirement(world):
    _requirement(world, minimum="30.00")
    RecordFactory(staff=world.alice, date=dt.date(2026, 1, 5), credits=D("29.99"))
    on = dt.date(2026, 11, 28)
    assert selectors.training_summary(staff=world.alice, on_date=on).shortfall == D("0.01")
    RecordFactory(staff=world.alice, date=dt.date(2026, 1, 6), credits=D("0.01"))
    summary = selectors.training_summary(staff=world.alice, on_date=on)
    assert (summary.credits_12m, summary.shortfall, summary.met) == (D("30.00"), D("0"), True)


def test_a_required_course_passed_after_the_date_asked_is_still_missing(world):
    course = CourseFactory(code="P05")
    _requirement(world, minimum="0", courses=[course])
    RecordFactory(staff=world.alice, course=course, date=dt.date(2026, 12, 1))
    summary = selectors.training_summary(staff=world.alice, on_date=dt.date(2026, 11, 28))
    assert [c.code for c in summary.missing_courses] == ["P05"]
    assert summary.met is False


def test_more_credits_than_required_give_no_negative_shortfall(world):
    _requirement(world, minimum="20.00")
    RecordFactory(staff=world.alice, date=dt.date(2026, 1, 5), credits=D("26.00"))
    summary = selectors.training_summary(staff=world.alice, on_date=dt.date(2026, 11, 28))
    assert (summary.shortfall, summary.met, summary.percent) == (D("0"), True, 100)


def test_a_level_without_a_requirement_is_met(world):
    summary = selectors.training_summary(staff=world.dave, on_date=dt.date(2026, 11, 28))
    assert summary.required_credits is None
    assert summary.met is True
    assert summary.shortfall == D("0")


def test_the_summary_can_be_asked_for_a_target_level(world):
    """Certification asks against the level applied for, not the current one."""
    _requirement(world, code="L3", minimum="40.00")
    RecordFactory(staff=world.alice, date=dt.date(2026, 1, 5), credits=D("35.00"))
    summary = selectors.training_summary(
        staff=world.alice, on_date=dt.date(2026, 11, 28), level=world.level("L3")
    )
    assert (summary.required_credits, summary.shortfall) == (D("40.00"), D("5.00"))


def test_the_summary_takes_a_constant_number_of_queries(world, django_assert_max_num_queries):
    courses = [CourseFactory(code=f"R{i}") for i in range(5)]
    _requirement(world, courses=courses)
    for i in range(40):
        RecordFactory(
            staff=world.alice, course=courses[i % 5], date=dt.date(2026, 1, 1) + dt.timedelta(i)
        )
    with django_assert_max_num_queries(4):
        summary = selectors.training_summary(staff=world.alice, on_date=dt.date(2026, 11, 28))
    assert summary.credits_12m == D("160.00")
    assert summary.missing_courses == []


def test_records_count_towards_credits_of_all_sources(world):
    TrainingRecord.objects.create(
        staff=world.alice,
        title="外部证书",
        date=dt.date(2026, 4, 1),
        hours=D("10"),
        credits=D("3.00"),
        result="passed",
        source="external",
    )
    RecordFactory(staff=world.alice, date=dt.date(2026, 4, 2), credits=D("1.00"), source="session")
    assert selectors.credits_12m(staff_ids=[world.alice.pk], on_date=dt.date(2026, 11, 28))[
        world.alice.pk
    ] == D("4.00")
