"""The grade distribution as a bar chart with the quota lines (issue 21): counts per grade of a
population, and the most A / A-or-B grades the quotas of its units allow (DOMAIN.md, "Annual
grade": A ≤ 15 %, A+B ≤ 45 % of each unit, floored)."""

from decimal import Decimal as D

import pytest

from kpi import charts
from kpi.models import AnnualScore, GradePolicy
from kpi.score_recompute import Thresholds, quota_ceilings
from kpi.selectors import grade_distribution
from org.models import Staff
from tests.factories import StaffFactory, make_unit

pytestmark = pytest.mark.django_db
YEAR = 2026


def _scored(unit, grades: str, prefix: str) -> list[Staff]:
    people = []
    for i, grade in enumerate(grades):
        staff = StaffFactory(employee_no=f"{prefix}{i:03d}", unit=unit)
        AnnualScore.objects.create(
            staff=staff,
            year=YEAR,
            score=D(80),
            score_raw=D(80),
            periods=12,
            grade=grade,
            threshold_grade=grade,
            unit=unit,
            unit_rank=i + 1,
        )
        people.append(staff)
    return people


@pytest.fixture
def units():
    """U1: 10 scored (A B B B C C C C C D) → at most ⌊1.5⌋ = 1 A and ⌊4.5⌋ = 4 A or B;
    U2: 7 scored (B B C C C C E) → at most ⌊1.05⌋ = 1 A and ⌊3.15⌋ = 3 A or B."""
    GradePolicy.objects.create(year=YEAR, quota_a_pct=D(15), quota_ab_pct=D(45))
    root = make_unit("ROOT")
    u1, u2 = make_unit("U1", root), make_unit("U2", root)
    return _scored(u1, "ABBBCCCCCD", "U1"), _scored(u2, "BBCCCCE", "U2")


@pytest.mark.parametrize(
    ("n", "a", "ab", "expected"),
    [
        (10, 15, 45, (1, 4)),
        (7, 15, 45, (1, 3)),
        (6, 15, 45, (0, 2)),
        (20, 15, None, (3, None)),
        (10, None, 5, (0, 0)),
        (10, None, None, (None, None)),
    ],
)
def test_quota_ceilings(n, a, ab, expected):
    rules = Thresholds(
        quota_a_pct=None if a is None else D(a), quota_ab_pct=None if ab is None else D(ab)
    )
    assert quota_ceilings(n, rules) == expected


def test_distribution_of_two_units_sums_their_ceilings(units, django_assert_num_queries):
    with django_assert_num_queries(4):  # with the read of the year's quota allocation (none)
        dist = grade_distribution(staff_qs=Staff.objects.all(), year=YEAR)
    assert dist.counts == {"A": 1, "B": 5, "C": 9, "D": 1, "E": 1} and dist.total == 17
    assert (dist.max_a, dist.max_ab) == (1 + 1, 4 + 3)
    svg = charts.grades_svg(dist)
    # the A line at 2; the B line at the A+B ceiling less the A given: 7 − 1 = 6
    assert 'data-line="≤ 2"' in svg and 'data-line="≤ 6"' in svg
    assert "<desc>A: 1; B: 5; C: 9; D: 1; E: 1</desc>" in svg
    assert svg.count('data-value="1"') == 5


def test_part_of_a_unit_uses_the_whole_unit_for_its_quota(units):
    _u1, u2 = units
    team = Staff.objects.filter(pk__in=[u2[0].pk, u2[2].pk, u2[3].pk])  # B C C of U2's seven
    dist = grade_distribution(staff_qs=team, year=YEAR)
    assert dist.counts == {"A": 0, "B": 1, "C": 2, "D": 0, "E": 0}
    assert (dist.max_a, dist.max_ab) == (1, 3)  # ⌊7 × 15 %⌋, ⌊7 × 45 %⌋, at most the three


def test_no_policy_no_quota_line(units):
    GradePolicy.objects.all().delete()
    dist = grade_distribution(staff_qs=Staff.objects.all(), year=YEAR)
    assert dist.max_a is None and dist.max_ab is None
    svg = charts.grades_svg(dist)
    assert "data-line" not in svg and svg.count('data-value="1"') == 5


def test_nobody_scored_draws_zero_bars(db):
    dist = grade_distribution(staff_qs=Staff.objects.none(), year=YEAR)
    assert dist.total == 0 and dist.counts == dict.fromkeys("ABCDE", 0)
