"""Period scores, annual means, grade thresholds and quotas (DOMAIN.md, "KPI")."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from kpi import score_recompute, services
from kpi.models import AnnualScore, GradePolicy, PeriodScore, StaffTarget
from kpi.score_recompute import Thresholds, grade_unit

from .factories import make_period, put_actual


def _full_month(w, staff, period, rev="95", cpl="5", vis="10", rat="B", cmp="1"):
    put_actual(staff, w.rev, period, rev)
    put_actual(staff, w.cpl, period, cpl)
    put_actual(staff, w.vis, period, vis)
    put_actual(staff, w.rat, period, grade=rat)
    put_actual(staff, w.cmp, period, cmp)


def test_period_score_is_weighted_mean_of_item_scores(world):
    w = world
    _full_month(w, w.alice, w.mar)
    score_recompute.recompute([w.mar.pk])
    score = PeriodScore.objects.get(staff=w.alice, period=w.mar)
    # REV 95/100 → 95 ×40; CPL 4/5 → 80 ×20; VIS 10/10 → 100 ×20; RAT B → 85 ×10;
    # CMP 100−5 → 95 ×10: (3800 + 1600 + 2000 + 850 + 950) / 100 = 92.00
    assert score.total == D("92.00")
    by_code = {i["indicator"]: i for i in score.items}
    assert by_code[w.rev.pk] == {
        "indicator": w.rev.pk,
        "actual": "95.0000",
        "target": "100.0000",
        "weight": "40.00",
        "score": "95.00",
    }
    assert by_code[w.rat.pk]["actual"] == "B"
    assert by_code[w.rat.pk]["target"] is None


def test_period_total_from_unrounded_items_and_missing_items_left_out(world):
    w = world
    put_actual(w.alice, w.rev, w.mar, "200")  # 100 × min(2, 1.2) = 120, weight 40
    put_actual(w.alice, w.cpl, w.mar, "3")  # 100 × min(4/3, 1.2) = 120, weight 20
    put_actual(w.alice, w.vis, w.mar, "7")  # achievement 0.7 < 0.8 → 0, weight 20
    score_recompute.recompute([w.mar.pk])
    score = PeriodScore.objects.get(staff=w.alice, period=w.mar)
    # (4800 + 2400 + 0) / 80 = 90
    assert score.total == D("90.00")
    assert len(score.items) == 3


def test_unrounded_item_feeds_total(world):
    w = world
    put_actual(w.alice, w.rev, w.mar, "200")  # 120 ×40
    put_actual(w.alice, w.cpl, w.mar, "7")  # 400/7 = 57.142857… ×20 (shown 57.14)
    score_recompute.recompute([w.mar.pk])
    score = PeriodScore.objects.get(staff=w.alice, period=w.mar)
    # (4800 + 20 × 57.142857…) / 60 = 99.047619… → 99.05
    assert score.total == D("99.05")
    assert score.total_raw == D("99.047619047619")


def test_own_target_overrides_scheme_default(world):
    w = world
    put_actual(w.alice, w.rev, w.mar, "90")
    put_actual(w.bob, w.rev, w.mar, "90")
    StaffTarget.objects.create(staff=w.alice, indicator=w.rev, target=D(120))
    StaffTarget.objects.create(staff=w.alice, indicator=w.rev, period=w.apr, target=D(50))
    score_recompute.recompute([w.mar.pk])
    assert PeriodScore.objects.get(staff=w.alice, period=w.mar).total == D("75.00")  # 90/120
    assert PeriodScore.objects.get(staff=w.bob, period=w.mar).total == D("90.00")
    put_actual(w.alice, w.rev, w.apr, "50")
    score_recompute.recompute([w.apr.pk])
    assert PeriodScore.objects.get(staff=w.alice, period=w.apr).total == D("100.00")


def test_annual_score_is_mean_of_period_scores(world):
    w = world
    for period, rev in ((w.mar, "90"), (w.apr, "85"), (make_period("2026-05"), "85.01")):
        put_actual(w.alice, w.rev, period, rev)
    score_recompute.recompute_periods(list(w.alice.kpi_actuals.values_list("period_id", flat=True)))
    score_recompute.recompute_years([2026])
    annual = AnnualScore.objects.get(staff=w.alice, year=2026)
    # (90 + 85 + 85.01) / 3 = 86.67
    assert annual.score == D("86.67")
    assert annual.periods == 3
    assert annual.grade == "B"


def test_annual_mean_of_unrounded_period_totals_rounds_half_up(world):
    w = world
    # period totals 100/3 (33.333…) and 66.676…: mean of unrounded = 50.005 → 50.01
    # (rounding the periods first would give (33.33 + 66.68) / 2 = 50.005 → 50.01 too, so pick
    # totals where it matters: 200/3 = 66.666… and 33.343…)
    put_actual(w.alice, w.rev, w.mar, D(200) / 3)  # stored at 4 places: 66.6667 → 66.6667
    put_actual(w.alice, w.rev, w.apr, "33.3433")
    score_recompute.recompute([w.mar.pk, w.apr.pk])
    annual = AnnualScore.objects.get(staff=w.alice, year=2026)
    # (66.6667 + 33.3433) / 2 = 50.005 exactly → 50.01
    assert annual.score == D("50.01")


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("90.00", "A"),
        ("89.99", "B"),
        ("80.00", "B"),
        ("79.99", "C"),
        ("70.00", "C"),
        ("69.99", "D"),
        ("60.00", "D"),
        ("59.99", "E"),
        ("0.00", "E"),
        ("120.00", "A"),
    ],
)
def test_grade_thresholds_at_exact_boundaries(score, grade):
    assert Thresholds().grade_of(D(score)) == grade


def _grades(scores_list, **quota):
    rules = Thresholds(
        quota_a_pct=D(quota["a"]) if "a" in quota else None,
        quota_ab_pct=D(quota["ab"]) if "ab" in quota else None,
    )
    result = grade_unit({i: D(s) for i, s in enumerate(scores_list, start=1)}, rules)
    return [result[i][0] for i in range(1, len(scores_list) + 1)]


def test_quota_caps_a_and_ab_by_floor():
    # N = 10: A ≤ 15 % → ⌊1.5⌋ = 1; A+B ≤ 45 % → ⌊4.5⌋ = 4
    ten = ["98", "96", "95", "93", "91", "88", "85", "75", "65", "50"]
    assert _grades(ten) == ["A", "A", "A", "A", "A", "B", "B", "C", "D", "E"]
    assert _grades(ten, a="15", ab="45") == ["A", "B", "B", "B", "C", "C", "C", "C", "D", "E"]


def test_quota_tie_straddling_the_cap_gets_the_lower_grade_together():
    # N = 10, A ≤ 20 % → 2 places; 3 people tie on 95 for places 2–4 → only the first is A
    ten = ["97", "95", "95", "95", "91", "85", "80", "70", "60", "10"]
    grades = _grades(ten, a="20")
    assert grades[:5] == ["A", "B", "B", "B", "B"]


def test_quota_tie_within_the_cap_all_get_it():
    ten = ["97", "95", "95", "91", "90", "85", "80", "70", "60", "10"]
    assert _grades(ten, a="30")[:5] == ["A", "A", "A", "B", "B"]


def test_ab_quota_alone_also_caps_a():
    four = ["95", "94", "93", "92"]
    assert _grades(four, ab="50") == ["A", "A", "C", "C"]


def test_quota_never_raises_a_grade():
    assert _grades(["70", "65"], a="50", ab="100") == ["C", "D"]


def test_rank_in_unit_shares_ties():
    result = grade_unit({1: D(90), 2: D(85), 3: D(85), 4: D(80)}, Thresholds())
    assert [result[i][2] for i in (1, 2, 3, 4)] == [1, 2, 2, 4]


def test_quotas_apply_per_org_unit(world):
    w = world
    GradePolicy.objects.create(year=2026, quota_a_pct=D(50))
    for staff in (w.alice, w.bob, w.carol):
        put_actual(staff, w.rev, w.mar, "95")
    score_recompute.recompute([w.mar.pk])
    grades = dict(AnnualScore.objects.values_list("staff__employee_no", "grade"))
    # DEP1 has alice and bob, tied at 95: ⌊2 × 50 %⌋ = 1 place, tie → both B; carol alone in DEP2:
    # ⌊1 × 50 %⌋ = 0 places → B as well.
    assert grades == {"A001": "B", "B001": "B", "C001": "B"}
    assert AnnualScore.objects.get(staff=w.alice).threshold_grade == "A"


def test_policy_thresholds_must_descend(world):
    with pytest.raises(ValidationError):
        services.policy_save(actor=None, policy=GradePolicy(year=2026, a_min=80, b_min=80))


def test_large_batches_take_the_bulk_path_and_upsert(world, monkeypatch):
    """With a tiny batch size the PostgreSQL COPY upsert (SQLite: chunked executemany) runs."""
    monkeypatch.setattr(score_recompute, "BATCH", 1)
    for staff, rev in ((world.alice, "90"), (world.bob, "80"), (world.carol, "70")):
        put_actual(staff, world.rev, world.mar, rev)
    score_recompute.recompute([world.mar.pk])
    put_actual(world.bob, world.rev, world.mar, "85")
    score_recompute.recompute([world.mar.pk])
    totals = dict(PeriodScore.objects.values_list("staff__employee_no", "total"))
    assert totals == {"A001": D("90.00"), "B001": D("85.00"), "C001": D("70.00")}
    assert PeriodScore.objects.get(staff=world.bob).items[0]["score"] == "85.00"


def test_bulk_path_writes_new_scores_updates_existing_and_drops_stale(world, monkeypatch):
    """In one recomputation of a period: a score that exists is updated, a new one is written
    (PostgreSQL: by a plain COPY, the period being locked), one whose actuals are gone is
    deleted — and the annual scores follow."""
    monkeypatch.setattr(score_recompute, "BATCH", 1)
    w = world
    put_actual(w.alice, w.rev, w.mar, "90")
    put_actual(w.bob, w.rev, w.mar, "80")
    score_recompute.recompute([w.mar.pk])
    alice_score = PeriodScore.objects.get(staff=w.alice).pk
    w.bob.kpi_actuals.all().delete()
    put_actual(w.alice, w.rev, w.mar, "110")  # 100 × min(1.1, 1.2)
    put_actual(w.carol, w.rev, w.mar, "130")  # capped at 120
    assert score_recompute.recompute([w.mar.pk]) == (2, 2)
    totals = dict(PeriodScore.objects.values_list("staff__employee_no", "total"))
    assert totals == {"A001": D("110.00"), "C001": D("120.00")}
    assert PeriodScore.objects.get(staff=w.alice).pk == alice_score  # updated in place
    annual = dict(AnnualScore.objects.values_list("staff__employee_no", "score"))
    assert annual == {"A001": D("110.00"), "C001": D("120.00")}


@pytest.mark.parametrize("scored_before", [False, True], ids=["first scores", "rescoring"])
def test_a_failure_while_scores_are_written_leaves_the_period_as_it_was(
    world, monkeypatch, scored_before
):
    """The scores go to the database while the next ones are computed (on PostgreSQL by a
    COPY left open meanwhile): a failure half-way rolls back what was sent — no score, or the
    earlier ones untouched — and the connection goes on working."""
    w = world
    put_actual(w.alice, w.rev, w.mar, "90")
    put_actual(w.bob, w.rev, w.mar, "80")
    if scored_before:
        score_recompute.recompute([w.mar.pk])
        put_actual(w.alice, w.rev, w.mar, "70")
        put_actual(w.bob, w.rev, w.mar, "60")
    real = score_recompute._scored

    def fails_after_the_first(actuals, ctx):
        for row in real(actuals, ctx):
            yield row
            raise ArithmeticError("scoring failed")

    monkeypatch.setattr(score_recompute, "_scored", fails_after_the_first)
    with pytest.raises(ArithmeticError, match="scoring failed"):
        score_recompute.recompute([w.mar.pk])
    totals = dict(PeriodScore.objects.values_list("staff__employee_no", "total"))
    assert totals == ({"A001": D("90.00"), "B001": D("80.00")} if scored_before else {})


def test_bulk_recompute_matches_the_rule_item_by_item(world):
    """A varied month — caps, actual 0, band boundaries, ratings, deduction floor, a missing
    item, ties and a total on .005 — scored by the bulk path equals the rule applied by hand
    (``scoring.score`` + ``weighted_total`` + half-up rounding), items JSON included."""
    import json

    from core.numbers import round_score
    from kpi import scoring
    from tests.factories import StaffFactory

    w = world
    rows = {
        # staff: (rev, cpl, vis, rat, cmp); None = no actual
        "A001": ("95", "5", "10", "B", "1"),
        "B001": ("200", "0", "8", "A", "0"),  # both capped, band boundary 0.8
        "C001": ("0", "7", "7.9999", "E", "30"),  # zeros, floor at 0
        "T001": ("95", "5", "10", "B", "1"),  # tie with A001
        "T002": ("90.0125", None, "12", "C", "2"),  # missing CPL: divide by 80
        "T003": ("66.6667", "3", "10.0001", "D", "3"),
    }
    staff = {s.employee_no: s for s in (w.alice, w.bob, w.carol)}
    for no in ("T001", "T002", "T003"):
        staff[no] = StaffFactory(employee_no=no, unit=w.dep2, level=w.l2)
    indicators = (w.rev, w.cpl, w.vis, w.rat, w.cmp)
    for no, values in rows.items():
        for indicator, value in zip(indicators, values, strict=True):
            if value is None:
                continue
            if indicator.method == scoring.RATING:
                put_actual(staff[no], indicator, w.mar, grade=value)
            else:
                put_actual(staff[no], indicator, w.mar, value)
    score_recompute.recompute([w.mar.pk])

    items = {i.indicator_id: i for i in w.scheme.items.all()}
    for no, values in rows.items():
        weighted, shown = [], []
        for indicator, value in zip(indicators, values, strict=True):
            if value is None:
                continue
            item = items[indicator.pk]
            rating = indicator.method == scoring.RATING
            s = scoring.score(
                indicator.method,
                indicator.params,
                actual=None if rating else D(value),
                grade=value if rating else "",
                target=item.target,
            )
            weighted.append((item.weight, s))
            shown.append(
                {
                    "indicator": indicator.pk,
                    "actual": value if rating else f"{D(value).quantize(D('0.0001')):f}",
                    "target": None if item.target is None else f"{item.target:f}",
                    "weight": f"{item.weight:f}",
                    "score": f"{round_score(s):f}",
                }
            )
        total = scoring.weighted_total(weighted)
        stored = PeriodScore.objects.get(staff=staff[no], period=w.mar)
        assert stored.total == round_score(total), no
        assert stored.total_raw == total.quantize(D("1e-12")), no
        assert stored.items == shown, no
        assert json.loads(json.dumps(stored.items)) == shown
    assert PeriodScore.objects.get(staff=staff["T001"]).total == D("92.00")
    assert PeriodScore.objects.get(staff=staff["A001"]).total == D("92.00")
    # T002, no CPL: (40 × 90.0125 + 20 × 120 + 10 × 70 + 10 × 90) / 80 = 95.00625 → 95.01
    assert PeriodScore.objects.get(staff=staff["T002"]).total == D("95.01")
