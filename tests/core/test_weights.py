"""The multi-source weighting shared by the competency 360° and the KPI ratings, hand-computed."""

from decimal import Decimal as D

from core.numbers import round_score
from core.weights import type_means, weighted_mean

W = {"manager": D(50), "peer": D(20), "expert": D(20), "self": D(10)}


def test_weighted_mean_renormalises_over_present_types():
    # manager 4, peer 3, no expert, self 5 → (50×4 + 20×3 + 10×5) / 80 = 310 / 80
    means = type_means([("manager", 4), ("peer", 3), ("self", 5)])
    assert weighted_mean(means, W) == D("3.875")
    assert round_score(weighted_mean(means, W)) == D("3.88")


def test_several_peers_are_averaged_first():
    # peers 3 and 4 → 3.5; (50×4 + 20×3.5 + 20×2 + 10×5) / 100 = 360 / 100
    means = type_means([("manager", 4), ("peer", 3), ("peer", 4), ("expert", 2), ("self", 5)])
    assert means["peer"] == D("3.5")
    assert weighted_mean(means, W) == D("3.6")


def test_rounding_is_half_up_at_the_boundary():
    # (50×4 + 20×3 + 10×3) / 80 = 290 / 80 = 3.625 → 3.63 (half-even would give 3.62)
    value = weighted_mean(type_means([("manager", 4), ("peer", 3), ("self", 3)]), W)
    assert value == D("3.625")
    assert round_score(value) == D("3.63")


def test_a_zero_weight_type_counts_as_absent_and_no_types_give_none():
    assert weighted_mean({"self": D(5), "manager": D(3)}, {**W, "self": D(0)}) == D(3)
    assert weighted_mean({"self": D(5)}, {**W, "self": D(0)}) is None
    assert weighted_mean({}, W) is None


def test_kpi_sources_example_renormalises_over_85():
    # manager 80, peers 70 and 90 (mean 80), no subordinate, client 60; weights 50/20/15/15:
    # (50×80 + 20×80 + 15×60) / 85 = 6500 / 85 = 76.4705882… → 76.47
    kpi = {"manager": D(50), "peer": D(20), "subordinate": D(15), "client": D(15)}
    means = type_means([("manager", 80), ("peer", 70), ("peer", 90), ("client", 60)])
    value = weighted_mean(means, kpi)
    assert value == D(6500) / D(85)
    assert round_score(value) == D("76.47")
