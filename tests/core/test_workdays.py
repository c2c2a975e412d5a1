"""Working days on the Chinese calendar (core.workdays): statutory holidays, make-up working
days (调休), the office's overrides, and the Monday–Friday rule for a year not yet known."""

import datetime as dt

import pytest

from core.models import WorkdayOverride
from core.workdays import is_workday, workday_window, workdays_between

D = dt.date


@pytest.mark.parametrize(
    ("published", "start", "end"),
    [
        (D(2026, 11, 30), D(2026, 11, 30), D(2026, 12, 4)),  # Mon → Fri
        (D(2026, 12, 2), D(2026, 12, 2), D(2026, 12, 8)),  # Wed → Tue
        (D(2026, 12, 5), D(2026, 12, 7), D(2026, 12, 11)),  # Sat → Mon–Fri
        # Published on 30 September 2026: Golden Week (1–7 Oct) is off, and Saturday 10 Oct
        # is a make-up working day, so the five days are 30 Sep, 8, 9, 10 and 12 Oct.
        (D(2026, 9, 30), D(2026, 9, 30), D(2026, 10, 12)),
        # Published during the holiday: the window opens on the first working day after it.
        (D(2026, 10, 3), D(2026, 10, 8), D(2026, 10, 13)),
    ],
)
@pytest.mark.django_db
def test_publicity_lasts_five_working_days_on_the_chinese_calendar(published, start, end):
    assert workday_window(published, 5) == (start, end)


@pytest.mark.django_db
def test_one_working_day_on_a_friday_ends_that_day():
    assert workday_window(D(2026, 12, 4), 1) == (D(2026, 12, 4), D(2026, 12, 4))


@pytest.mark.django_db
def test_a_window_has_at_least_one_day():
    with pytest.raises(ValueError):
        workday_window(D(2026, 12, 4), 0)


@pytest.mark.django_db
def test_statutory_holidays_and_make_up_days():
    assert is_workday(D(2026, 10, 1)) is False  # National Day
    assert is_workday(D(2026, 10, 10)) is True  # Saturday, make-up working day
    assert is_workday(D(2026, 12, 5)) is False  # an ordinary Saturday


@pytest.mark.django_db
def test_an_unknown_year_counts_monday_to_friday_until_the_office_adds_its_holidays():
    new_years_day = D(2099, 1, 1)  # a Thursday the package knows nothing about
    assert is_workday(new_years_day) is True
    WorkdayOverride.objects.create(day=new_years_day, is_workday=False, note="元旦")
    assert is_workday(new_years_day) is False
    # Thu 1 Jan is off now: five days from it are Fri 2, Mon 5 … Thu 8.
    assert workday_window(new_years_day, 5) == (D(2099, 1, 2), D(2099, 1, 8))


@pytest.mark.django_db
def test_an_override_wins_over_the_package():
    WorkdayOverride.objects.create(day=D(2026, 12, 5), is_workday=True, note="local make-up day")
    assert workday_window(D(2026, 12, 4), 2) == (D(2026, 12, 4), D(2026, 12, 5))


@pytest.mark.django_db
def test_overrides_are_read_beyond_the_first_chunk():
    # Forty consecutive overrides off: longer than the first chunk the window reads.
    first = D(2099, 3, 2)
    WorkdayOverride.objects.bulk_create(
        WorkdayOverride(day=first + dt.timedelta(days=i), is_workday=False) for i in range(40)
    )
    # 2 Mar – 10 Apr are off; 11 and 12 Apr 2099 are a weekend.
    assert workday_window(first, 1)[0] == D(2099, 4, 13)


@pytest.mark.django_db
def test_workdays_between_counts_both_ends():
    assert workdays_between(D(2026, 9, 28), D(2026, 10, 11)) == 6  # 28–30 Sep, 8–10 Oct
    assert workdays_between(D(2026, 12, 4), D(2026, 12, 3)) == 0


@pytest.mark.django_db
def test_a_window_reads_the_overrides_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        workday_window(D(2026, 9, 30), 10)
