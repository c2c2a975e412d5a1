"""The committee engine's arithmetic with hand-computed numbers (DOMAIN.md "Certification"
step 3, "Numbers"): quorum boundaries, trimmed mean with ties, half-up rounding, spread."""

from decimal import Decimal as D

import pytest

from committee.arithmetic import quorum, spread, std_dev, tally, trimmed_mean
from core.numbers import round_score


@pytest.mark.parametrize(
    ("non_recused", "numerator", "denominator", "expected"),
    [
        (0, 2, 3, 1),  # an empty panel still needs one sheet
        (1, 2, 3, 1),  # ⌈2/3⌉
        (2, 2, 3, 2),  # ⌈4/3⌉
        (3, 2, 3, 2),  # exactly 2
        (4, 2, 3, 3),  # ⌈8/3⌉
        (5, 2, 3, 4),  # ⌈10/3⌉ — 7 members with 2 recused
        (6, 2, 3, 4),  # exactly 4
        (7, 2, 3, 5),  # ⌈14/3⌉
        (9, 2, 3, 6),  # exactly 6
        (10, 2, 3, 7),  # ⌈20/3⌉
        (10, 1, 2, 5),
        (9, 1, 2, 5),  # ⌈4.5⌉
        (4, 3, 4, 3),
    ],
)
def test_quorum_is_the_fraction_of_non_recused_members_rounded_up(
    non_recused, numerator, denominator, expected
):
    assert quorum(non_recused, numerator, denominator) == expected


@pytest.mark.parametrize(
    ("totals", "exact", "rounded"),
    [
        (["85"], D("85"), D("85.00")),
        (["70", "80", "85", "90"], D("81.25"), D("81.25")),  # < 5 sheets: plain mean
        (["70", "80", "85", "90", "99"], D("85"), D("85.00")),  # drop 70 and 99
        # ties at both ends: only ONE of each extreme is dropped → (60 + 80 + 90) / 3
        (["60", "60", "80", "90", "90"], D("230") / 3, D("76.67")),
        (["70", "70", "70", "70", "70"], D("70"), D("70.00")),
        # (85.5 + 88 + 90) / 3 = 87.8333…
        (["80", "85.5", "88", "90", "95"], D("263.5") / 3, D("87.83")),
        # six sheets: drop one 50 and one 100 → (50 + 60 + 70 + 100) / 4 = 70
        (["50", "50", "60", "70", "100", "100"], D("70"), D("70.00")),
    ],
)
def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five_sheets(totals, exact, rounded):
    value = trimmed_mean([D(t) for t in totals])
    assert value == exact
    assert round_score(value) == rounded


def test_trimmed_mean_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        trimmed_mean([])


@pytest.mark.parametrize(
    ("totals", "exact_mean", "score"),
    [
        (["90.00", "90.01"], D("90.005"), D("90.01")),  # half-up, not half-even (90.00)
        (["90.02", "90.03"], D("90.025"), D("90.03")),
        (["0.01", "0.00"], D("0.005"), D("0.01")),
        (["80", "80", "80.01"], D("240.01") / 3, D("80.00")),  # 80.00333… rounds down
    ],
)
def test_the_committee_score_is_rounded_half_up_only_at_the_end(totals, exact_mean, score):
    result = tally([D(t) for t in totals], non_recused=len(totals))
    assert result.committee_raw == exact_mean
    assert result.committee_score == score


@pytest.mark.parametrize(
    ("totals", "threshold", "expected"),
    [
        ([], "10", (None, False)),
        (["85"], "0", (None, False)),  # one sheet has no spread
        (["80", "90"], "5", (D("5.00"), False)),  # at the threshold: not above it
        (["80", "90"], "4.99", (D("5.00"), True)),
        (["70", "80", "90"], "10", (D("8.16"), False)),  # √(200/3) = 8.1649…
        # √(800/3) = 16.3299…: shown 16.33, but compared unrounded
        (["50", "70", "90"], "16.33", (D("16.33"), False)),
        (["50", "70", "90"], "16.32", (D("16.33"), True)),
        (["60", "60", "60", "60"], "0", (D("0.00"), False)),
    ],
)
def test_spread_is_the_population_std_dev_flagged_above_the_threshold(totals, threshold, expected):
    assert spread([D(t) for t in totals], D(threshold)) == expected


def test_std_dev_is_the_population_deviation_of_the_totals():
    assert std_dev([D(80), D(90)]) == D(5)
    assert std_dev([D(85)]) == D(0)
    assert round_score(std_dev([D(70), D(80), D(90)])) == D("8.16")


@pytest.mark.parametrize(
    ("totals", "non_recused", "quorum_", "reached", "score", "variance"),
    [
        ([], 3, 2, False, None, None),
        (["70"], 3, 2, False, None, None),  # 1 of 2
        (["70", "80"], 3, 2, True, D("75.00"), D("25")),
        (["70", "80"], 4, 3, False, None, None),  # 2 of ⌈8/3⌉ = 3
        (["70", "80", "90"], 4, 3, True, D("80.00"), D("200") / 3),
        # 7 members, 2 recused → 5 count, quorum 4; 4 sheets: plain mean
        (["60", "70", "80", "95"], 5, 4, True, D("76.25"), None),
        # 5 sheets of 5: trimmed (70 + 80 + 90) / 3
        (["10", "70", "80", "90", "100"], 5, 4, True, D("80.00"), None),
    ],
)
def test_tally_computes_the_committee_score_only_once_the_quorum_has_submitted(
    totals, non_recused, quorum_, reached, score, variance
):
    result = tally([D(t) for t in totals], non_recused=non_recused)
    assert (result.quorum, result.submitted, result.reached) == (quorum_, len(totals), reached)
    assert result.committee_score == score
    if variance is not None:
        assert result.spread_raw**2 == pytest.approx(variance)  # std dev²
    if not reached:
        assert result.spread_raw is None and not result.spread_flag(D(0))
