"""Each scoring method on hand-computed cases (DOMAIN.md, "KPI")."""

from decimal import Decimal as D

import pytest

from core.numbers import round_score
from kpi import scoring
from kpi.scoring import ParamsError, score, validate_params, validate_target, weighted_total

CAP = {"cap": "1.2"}
BANDS = {"bands": [["0.8", "60"], ["1", "100"], ["1.2", "120"]], "below": "0"}


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        ("95", "100", D("95")),
        ("100", "100", D("100")),
        ("119.99", "100", D("119.99")),
        ("120", "100", D("120")),  # exactly at the cap
        ("250", "100", D("120")),  # capped at 1.2
        ("0", "100", D("0")),
        ("-30", "100", D("0")),  # never below 0
        ("2", "3", D("200") / 3),  # unrounded: 66.666…
    ],
)
def test_ratio(actual, target, expected):
    assert score("ratio", CAP, actual=D(actual), target=D(target)) == expected


def test_ratio_with_own_cap():
    assert score("ratio", {"cap": "1.5"}, actual=D(200), target=D(100)) == D(150)


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        ("4", "4", D("100")),
        ("5", "4", D("80")),
        ("8", "4", D("50")),
        ("3.5", "4", D("400") / D("3.5")),  # 114.2857…
        ("3", "4", D("120")),  # 133.3 capped at 120
        ("0", "4", D("120")),  # actual 0 → cap
    ],
)
def test_inverse_ratio(actual, target, expected):
    assert score("inverse_ratio", CAP, actual=D(actual), target=D(target)) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("7.99", D("0")),  # below the first threshold
        ("8", D("60")),  # exactly 0.8 → that band
        ("9.99", D("60")),
        ("10", D("100")),  # exactly 1.0
        ("11.99", D("100")),
        ("12", D("120")),  # exactly 1.2
        ("30", D("120")),
    ],
)
def test_bands_at_exact_boundaries(actual, expected):
    assert score("bands", BANDS, actual=D(actual), target=D(10)) == expected


def test_bands_below_score():
    params = validate_params("bands", {"bands": [["0.5", "50"]], "below": "20"})
    assert score("bands", params, actual=D(1), target=D(10)) == D(20)


@pytest.mark.parametrize(
    ("grade", "expected"), [("A", 100), ("B", 85), ("C", 70), ("D", 60), ("E", 0)]
)
def test_rating_default_map(grade, expected):
    params = validate_params("rating", {})
    assert score("rating", params, grade=grade) == D(expected)


def test_rating_own_map():
    params = validate_params("rating", {"map": {"A": 110, "B": 90, "C": 75, "D": 50, "E": 10}})
    assert score("rating", params, grade="B") == D(90)


@pytest.mark.parametrize(
    ("count", "expected"), [(0, 100), (1, 95), (3, 85), (20, 0), (21, 0), (100, 0)]
)
def test_deduction_floors_at_zero(count, expected):
    assert score("deduction", {"points": "5"}, actual=D(count)) == D(expected)


def test_deduction_fractional_points():
    assert score("deduction", {"points": "2.5"}, actual=D(3)) == D("92.5")


def test_weighted_total_uses_unrounded_items():
    # 2/3 of 100 = 66.666…, weight 50; 100, weight 50 → 83.333…, shown 83.33
    total = weighted_total([(D(50), D(200) / 3), (D(50), D(100))])
    assert round_score(total) == D("83.33")
    # rounding items first would give (66.67 + 100) / 2 = 83.335 → 83.34: must not happen
    assert round_score((D("66.67") + D(100)) / 2) == D("83.34")


def test_weighted_total_divides_by_weights_present():
    assert weighted_total([(D(40), D(90)), (D(20), D(60))]) == D(80)
    assert weighted_total([]) is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [("90.005", "90.01"), ("90.004999", "90.00"), ("89.995", "90.00"), ("0.005", "0.01")],
)
def test_rounding_half_up_at_005(value, shown):
    assert round_score(D(value)) == D(shown)


@pytest.mark.parametrize(
    ("method", "params", "message"),
    [
        ("ratio", {"cap": "0.5"}, "cap"),
        ("ratio", {"cap": "x"}, "number"),
        ("ratio", {"cap": 1.2, "bogus": 1}, "Unknown parameters"),
        ("bands", {"bands": [["1", "100"], ["0.8", "60"]]}, "ascending"),
        ("bands", {"bands": [["0.8", "60"], ["0.8", "70"]]}, "ascending"),
        ("bands", {"bands": [["0.8", "100"], ["1", "60"]]}, "decrease"),
        ("bands", {"bands": []}, "at least one"),
        ("rating", {"map": {"A": 100, "B": 85}}, "each grade"),
        ("deduction", {}, "number"),
        ("deduction", {"points": 0}, "more than 0"),
        ("nonsense", {}, "Unknown scoring method"),
    ],
)
def test_invalid_params_are_refused(method, params, message):
    with pytest.raises(ParamsError) as exc:
        validate_params(method, params)
    assert message in str(exc.value)


def test_defaults():
    assert validate_params("ratio", {}) == {"cap": "1.2"}
    assert validate_params("rating", {})["map"] == {
        "A": "100",
        "B": "85",
        "C": "70",
        "D": "60",
        "E": "0",
    }


@pytest.mark.parametrize("method", ["ratio", "inverse_ratio", "bands"])
def test_target_zero_is_refused(method):
    assert validate_target(method, D(0))
    assert validate_target(method, None)
    assert validate_target(method, D("0.01")) is None


def test_rating_and_deduction_need_no_target():
    assert validate_target(scoring.RATING, None) is None
    assert validate_target(scoring.DEDUCTION, None) is None


SCORER_CASES = [
    # (method, params, actual, grade, target)
    ("ratio", CAP, "95", "", "100"),
    ("ratio", CAP, "120", "", "100"),  # exactly at the cap
    ("ratio", CAP, "250", "", "100"),
    ("ratio", CAP, "-30", "", "100"),
    ("ratio", CAP, "2", "", "3"),  # 66.666…
    ("ratio", CAP, "90.005", "", "100"),  # shown 90.01 (half-up)
    ("ratio", {"cap": "1.5"}, "140", "", "100"),
    ("inverse_ratio", CAP, "0", "", "4"),  # actual 0 → the cap
    ("inverse_ratio", CAP, "-1", "", "4"),
    ("inverse_ratio", CAP, "3", "", "4"),  # 133.3… capped at 120
    ("inverse_ratio", CAP, "7", "", "4"),  # 57.142857…
    ("bands", BANDS, "8", "", "10"),  # exactly on the first threshold
    ("bands", BANDS, "7.9999", "", "10"),
    ("bands", BANDS, "10", "", "10"),
    ("bands", BANDS, "12", "", "10"),
    ("bands", {"bands": [["0.5", "40"]], "below": "10"}, "1", "", "3"),
    ("rating", {}, None, "B", None),
    ("rating", {"map": {"A": "98.5", "B": "88", "C": "77", "D": "61", "E": "1"}}, None, "A", None),
    ("deduction", {"points": "5"}, "0", "", None),
    ("deduction", {"points": "5"}, "3", "", None),
    ("deduction", {"points": "30"}, "4", "", None),  # floors at 0
    ("deduction", {"points": "2.5"}, "3", "", None),
    ("sources", {}, "86.6667", "", None),
]


@pytest.mark.parametrize(("method", "params", "actual", "grade", "target"), SCORER_CASES)
def test_scorer_gives_exactly_the_rule(method, params, actual, grade, target):
    """The bulk path's per-indicator scorer is the same rule as ``score`` (value and digits)."""
    params = validate_params(method, params)
    actual = None if actual is None else D(actual)
    target = None if target is None else D(target)
    expected = score(method, params, actual=actual, grade=grade, target=target)
    got = scoring.scorer(method, params)(actual, grade, target)
    assert got == expected
    assert str(got) == str(expected)
    assert round_score(got) == round_score(expected)
