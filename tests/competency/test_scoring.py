"""The arithmetic of DOMAIN.md "Competency model", hand-computed."""

from decimal import Decimal as D

import pytest

from competency.scoring import IndexItem, competency_index, gap
from core.numbers import round_score


def test_index_caps_each_competency_at_its_requirement():
    # C1 4 vs 3 → capped at 1 (w 2); C2 3 vs 4 → 0.75 (w 1); C3 1 vs 2 → 0.5 (w 1)
    # (2×1 + 0.75 + 0.5) / 4 × 100 = 81.25
    items = [IndexItem(D(4), 3, D(2)), IndexItem(D(3), 4, D(1)), IndexItem(D(1), 2, D(1))]
    assert competency_index(items) == D("81.25")


def test_index_uses_unrounded_actuals_and_rounds_half_up_once():
    # 0.515 × (3/4) + 0.485 × 1 = 0.87125 → 87.125 → 87.13
    items = [IndexItem(D(3), 4, D("0.515")), IndexItem(D(5), 4, D("0.485"))]
    assert competency_index(items) == D("87.125")
    assert round_score(competency_index(items)) == D("87.13")
    # 3.875 against 4 keeps all its digits: 3.875 / 4 = 0.96875 → 96.875 → 96.88
    assert round_score(competency_index([IndexItem(D("3.875"), 4, D(1))])) == D("96.88")


def test_everyone_at_or_above_requirement_gives_100():
    assert competency_index([IndexItem(D(3), 3, D(1)), IndexItem(D(5), 2, D(3))]) == D(100)


def test_no_required_competency_gives_no_index():
    assert competency_index([]) is None


@pytest.mark.parametrize(
    ("actual", "required", "expected"),
    [(D("2.5"), 3, D("0.5")), (D(3), 3, D(0)), (D("4.2"), 3, D(0)), (D("2.995"), 3, D("0.005"))],
)
def test_gap_is_the_shortfall_only(actual, required, expected):
    assert gap(actual, required) == expected
