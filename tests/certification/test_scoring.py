"""The committee arithmetic with hand-computed numbers (DOMAIN.md "Certification", "Numbers")."""

import datetime as dt
from decimal import Decimal as D

import pytest

from certification.eligibility import minus_months, whole_years
from certification.scoring import (
    Dim,
    Ranked,
    final_score,
    rank_and_recommend,
    scale_to_max,
    sheet_total,
)
from core.numbers import round_score


def test_sheet_total_is_weighted_over_committee_dimensions_on_a_0_to_100_scale():
    dims = [
        Dim("kpi", D(40), D(100), False),
        Dim("defence", D(30), D(50), True),  # 40 / 50 = 80 %
        Dim("case", D(30), D(10), True),  # 9 / 10 = 90 %
    ]
    assert sheet_total({"defence": D(40), "case": D(9)}, dims) == D(85)


def test_final_score_is_the_weighted_sum_of_dimension_scores():
    dims = [
        Dim("kpi", D(40), D(100), False),
        Dim("training", D(20), D(100), False),
        Dim("competency", D(20), D(100), False),
        Dim("defence", D(20), D(100), True),
    ]
    prefilled = {"kpi": D("88.5"), "training": D(90), "competency": D(75)}
    # 0.4·88.5 + 0.2·90 + 0.2·75 + 0.2·82 = 35.4 + 18 + 15 + 16.4 = 84.8
    assert final_score(D(82), prefilled, dims) == D("84.8")
    assert final_score(None, prefilled, dims) is None
    assert final_score(D(82), {"kpi": D(1)}, dims) is None


def test_final_score_rounds_half_up_at_the_third_decimal():
    dims = [Dim("kpi", D(50), D(100), False), Dim("defence", D(50), D(100), True)]
    assert final_score(D(90), {"kpi": D("90.01")}, dims) == D("90.005")
    assert round_score(final_score(D(90), {"kpi": D("90.01")}, dims)) == D("90.01")
    assert round_score(final_score(D(90), {"kpi": D("90.009")}, dims)) == D("90.00")


def test_prefilled_scaling_to_the_dimension_maximum():
    assert scale_to_max("kpi", D("88"), D(40)) == D("35.2")
    assert scale_to_max("kpi", D("112"), D(100)) == D(100)  # capped at 100
    assert scale_to_max("training", D(36), D(100), D(40)) == D(90)
    assert scale_to_max("training", D(50), D(100), D(40)) == D(100)
    assert scale_to_max("competency", D("72.5"), D(20)) == D("14.5")
    assert scale_to_max("kpi", None, D(100)) is None


def _rank(finals, quota, pass_line=D(60), decisions=None):
    rows = [Ranked(key=i, final=None if f is None else D(f)) for i, f in enumerate(finals)]
    rank_and_recommend(rows, pass_line=pass_line, quota=quota, tie_decisions=decisions)
    return rows


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    rows = _rank(["95", "90", "90", "85"], quota=4)
    assert [r.rank for r in rows] == [1, 2, 2, 4]
    assert [r.recommended for r in rows] == [True, True, True, True]
    assert all(not r.flags for r in rows)


def test_a_tie_across_the_quota_boundary_is_flagged_and_left_to_the_panel():
    rows = _rank(["95", "90", "90", "85"], quota=2)
    assert [r.rank for r in rows] == [1, 2, 2, 4]
    assert [r.recommended for r in rows] == [True, None, None, False]
    assert [r.flags for r in rows] == [[], ["quota_tie"], ["quota_tie"], []]


def test_the_panel_decision_settles_a_quota_tie():
    rows = _rank(["95", "90", "90", "85"], quota=2, decisions={1: True, 2: False})
    assert [r.recommended for r in rows] == [True, True, False, False]
    assert rows[1].flags == ["quota_tie"]


def test_a_tie_inside_the_quota_is_not_flagged():
    rows = _rank(["95", "90", "90", "85"], quota=3)
    assert [r.recommended for r in rows] == [True, True, True, False]
    assert all(not r.flags for r in rows)


def test_only_candidates_at_or_above_the_pass_line_are_ranked():
    rows = _rank(["59.99", "60.00", "75", None], quota=5)
    assert [r.passed for r in rows] == [False, True, True, False]
    assert [r.rank for r in rows] == [None, 2, 1, None]
    assert [r.recommended for r in rows] == [False, True, True, False]


def test_ranks_use_the_rounded_final_scores():
    # 89.996 and 90.004 both show as 90.00, so they share the rank.
    finals = [round_score(D("89.996")), round_score(D("90.004"))]
    rows = _rank(finals, quota=5)
    assert [r.rank for r in rows] == [1, 1]


@pytest.mark.parametrize(
    ("since", "on", "years"),
    [
        (dt.date(2023, 12, 31), dt.date(2026, 12, 30), 2),  # the day before the anniversary
        (dt.date(2023, 12, 31), dt.date(2026, 12, 31), 3),  # on the anniversary
        (dt.date(2024, 2, 29), dt.date(2027, 2, 27), 2),
        (dt.date(2024, 2, 29), dt.date(2027, 2, 28), 3),
        (dt.date(2026, 6, 1), dt.date(2026, 5, 1), 0),
    ],
)
def test_whole_years_at_level(since, on, years):
    assert whole_years(since, on) == years


def test_minus_months_clamps_to_the_end_of_the_month():
    assert minus_months(dt.date(2026, 11, 28), 12) == dt.date(2025, 11, 28)
    assert minus_months(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
