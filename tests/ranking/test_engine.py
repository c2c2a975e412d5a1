"""The ranking rules with hand-computed cohorts (DOMAIN.md, "Annual ranking")."""

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from core.errors import DomainError, RoleRequired
from core.roles import Role
from org.models import Staff
from ranking import engine, services
from ranking.models import RankingEntry
from tests.factories import StaffFactory, UserFactory, make_unit
from tests.ranking.factories import (
    exit_staff,
    preview,
    set_scores_backend,
    staff_with_scores,
)


def entries(run):
    """The run's entries — a preview's are written on this first read — after checking that
    the summary of the preview (ranked in one pass, nothing stored) is the one taken again from
    the written rows — as the writing statement gives it (on PostgreSQL from the rows the INSERT
    returns) and as the stored rows give it when read back."""
    preview_summary = run.summary
    services.run_entries_ensure(run)
    assert run.entries_written_at is not None
    assert run.summary == preview_summary
    assert engine.summarise(run, *engine.stored_summary_sql(run)) == preview_summary
    return {
        e.staff_id: e for e in RankingEntry.objects.filter(run=run).order_by("rank", "staff_id")
    }


@pytest.mark.parametrize(
    ("n", "pct", "size"),
    [
        (21, "5", 2),  # 1.05 → 2
        (20, "5", 1),  # 1.00 → 1
        (10, "10", 1),
        (11, "10", 2),  # 1.1 → 2
        (19, "5", 1),  # 0.95 → 1
        (40, "7.5", 3),
        (100, "5", 5),
        (101, "5", 6),
        (1, "5", 1),
    ],
)
def test_band_size_is_the_ceiling_of_n_times_p(n, pct, size):
    assert engine.band_size(n, D(pct)) == size


@pytest.mark.parametrize(
    ("months", "cutoff"),
    [(6, dt.date(2025, 7, 1)), (0, dt.date(2026, 1, 1)), (12, dt.date(2025, 1, 1))],
)
def test_hire_cutoff_gives_whole_months_of_service(months, cutoff):
    assert engine.hire_cutoff(2025, months) == cutoff


@pytest.mark.parametrize(("n", "pct", "band"), [(21, "5", 2), (20, "5", 1), (10, "10", 1)])
def test_bottom_band_size_in_a_run(scores, ladder, hr_user, n, pct, band):
    people = staff_with_scores(scores, ladder[1], [50 + i for i in range(n)])
    run = preview(hr_user, ladder[0].track, bottom_pct=D(pct))
    rows = entries(run)
    bottom = sorted(s.pk for s in people[:band])
    assert sorted(pk for pk, e in rows.items() if e.in_bottom_band) == bottom
    top = sorted(s.pk for s in people[-band:])
    assert sorted(pk for pk, e in rows.items() if e.in_top_band) == top
    assert {e.band_size for e in rows.values()} == {band}
    (cohort,) = run.summary["cohorts"]
    assert cohort["size"] == n and cohort["band_size"] == band and cohort["overshoot"] == 0
    assert run.summary["population"] == n


def test_ties_share_a_rank(scores, ladder, hr_user):
    a, b, c, d = staff_with_scores(scores, ladder[1], [90, 80, 80, 70])
    run = preview(hr_user, ladder[0].track, min_cohort=1)
    rows = entries(run)
    assert [rows[s.pk].rank for s in (a, b, c, d)] == [1, 2, 2, 4]
    assert rows[b.pk].score == D("80.00")


def test_band_includes_everyone_tied_with_the_last_member(scores, ladder, hr_user):
    # N = 20, p = 10 % → band 2; the 2nd lowest (60) ties with two more → 4 in the band
    values = [50, 60, 60, 60] + [70 + i for i in range(16)]
    people = staff_with_scores(scores, ladder[1], values)
    run = preview(hr_user, ladder[0].track, bottom_pct=D("10"))
    rows = entries(run)
    assert sorted(pk for pk, e in rows.items() if e.in_bottom_band) == sorted(
        s.pk for s in people[:4]
    )
    (cohort,) = run.summary["cohorts"]
    assert (cohort["band_size"], cohort["bottom"], cohort["overshoot"]) == (2, 4, 2)
    assert run.summary["overshoot"] == 2
    assert cohort["cut"] == "60.00"
    assert [rows[s.pk].rank for s in people[:4]] == [20, 17, 17, 17]


def test_a_tie_above_the_cut_does_not_enter_the_band(scores, ladder, hr_user):
    values = [50, 55, 60, 60] + [70 + i for i in range(16)]
    people = staff_with_scores(scores, ladder[1], values)
    run = preview(hr_user, ladder[0].track, bottom_pct=D("10"))
    rows = entries(run)
    assert sorted(pk for pk, e in rows.items() if e.in_bottom_band) == sorted(
        s.pk for s in people[:2]
    )
    assert run.summary["overshoot"] == 0


def test_cohorts_per_level_and_small_cohorts_are_reported_not_cut(scores, ladder, hr_user):
    l2 = staff_with_scores(scores, ladder[1], [60 + i for i in range(10)])
    l3 = staff_with_scores(scores, ladder[2], [60, 70, 80, 90, 95])
    run = preview(hr_user, ladder[0].track, cohort="level", bottom_pct=D("10"))
    rows = entries(run)
    assert [pk for pk, e in rows.items() if e.in_bottom_band] == [l2[0].pk]
    assert not any(rows[s.pk].in_bottom_band or rows[s.pk].in_top_band for s in l3)
    assert rows[l3[0].pk].rank == 5 and rows[l3[0].pk].cohort_size == 5
    by_key = {c["key"]: c for c in run.summary["cohorts"]}
    assert by_key[ladder[1].pk]["small"] is False and by_key[ladder[1].pk]["band_size"] == 1
    assert by_key[ladder[2].pk]["small"] is True and by_key[ladder[2].pk]["band_size"] == 0
    assert run.summary["small_cohorts"] == 1


def test_cohorts_per_org_unit(scores, ladder, hr_user):
    root = make_unit("ROOT")
    gz, sz = make_unit("GZ", root), make_unit("SZ", root)
    a = staff_with_scores(scores, ladder[1], [50 + i for i in range(10)], unit=gz)
    b = staff_with_scores(scores, ladder[2], [10 + i for i in range(10)], unit=sz)
    run = preview(hr_user, ladder[0].track, cohort="unit")
    rows = entries(run)
    assert sorted(pk for pk, e in rows.items() if e.in_bottom_band) == sorted([a[0].pk, b[0].pk])
    assert rows[a[0].pk].cohort_key == gz.pk and rows[a[0].pk].rank == 10


def test_exclusions_with_reasons(scores, ladder, hr_user):
    ranked = staff_with_scores(scores, ladder[1], [70, 71, 72])
    (july_1,) = staff_with_scores(scores, ladder[1], [80], hire=dt.date(2025, 7, 1))
    (july_2,) = staff_with_scores(scores, ladder[1], [80], hire=dt.date(2025, 7, 2))
    (exited,) = staff_with_scores(scores, ladder[1], [80])
    exit_staff(exited)
    (on_leave,) = staff_with_scores(scores, ladder[1], [80])
    Staff.objects.filter(pk=on_leave.pk).update(status=Staff.Status.ON_LEAVE)
    (no_kpi,) = staff_with_scores(scores, ladder[1], [None])
    (later,) = staff_with_scores(scores, ladder[1], [80], hire=dt.date(2026, 1, 5))
    no_post = StaffFactory(hire_date=dt.date(2020, 1, 1), track=ladder[0].track)
    scores.kpi[no_post.pk] = D("80")
    run = preview(hr_user, ladder[0].track, min_cohort=1)
    rows = entries(run)
    assert later.pk not in rows  # not employed in the year at all
    assert not rows[july_1.pk].excluded and rows[july_1.pk].rank == 1
    expected = {
        july_2.pk: "short_service",
        exited.pk: "exited",
        on_leave.pk: "not_active",
        no_kpi.pk: "no_kpi",
        no_post.pk: "no_level",
    }
    assert {pk: e.reason for pk, e in rows.items() if e.excluded} == expected
    assert all(rows[pk].rank is None and rows[pk].score is None for pk in expected)
    assert run.summary["population"] == 4
    assert run.summary["excluded"] == {
        "exited": 1,
        "no_kpi": 1,
        "no_level": 1,
        "not_active": 1,
        "short_service": 1,
    }
    assert [rows[s.pk].rank for s in ranked] == [4, 3, 2]


def test_min_months_is_a_parameter(scores, ladder, hr_user):
    (staff,) = staff_with_scores(scores, ladder[1], [80], hire=dt.date(2025, 10, 1))
    run = preview(hr_user, ladder[0].track, min_months=3, min_cohort=1)
    assert not entries(run)[staff.pk].excluded
    run = preview(hr_user, ladder[0].track, min_months=4, min_cohort=1)
    assert entries(run)[staff.pk].reason == "short_service"


def test_composite_rounds_half_up_before_ranking(scores, ladder, hr_user):
    a, b, c = staff_with_scores(scores, ladder[1], [80, "80.01", "80.00"])
    scores.ci.update({a.pk: D("70.15"), b.pk: D("79.99"), c.pk: D("80.01")})
    run = preview(hr_user, ladder[0].track, kpi_weight=D("0.7"), min_cohort=1)
    rows = entries(run)
    # 80 × 0.7 + 70.15 × 0.3 = 77.045 → 77.05 (half-up; half-even would give 77.04)
    assert rows[a.pk].score == D("77.05")
    # 80.01 × 0.7 + 79.99 × 0.3 = 80.004 and 80 × 0.7 + 80.01 × 0.3 = 80.003: both 80.00,
    # so they share rank 1 although the unrounded figures differ
    assert rows[b.pk].score == rows[c.pk].score == D("80.00")
    assert (rows[b.pk].rank, rows[c.pk].rank, rows[a.pk].rank) == (1, 1, 3)
    assert rows[a.pk].competency_index == D("70.15") and rows[a.pk].kpi_score == D("80")


def test_missing_competency_index_excludes_when_it_weighs(scores, ladder, hr_user):
    a, b = staff_with_scores(scores, ladder[1], [80, 90])
    scores.ci[a.pk] = D("50")
    run = preview(hr_user, ladder[0].track, kpi_weight=D("0.5"), min_cohort=1)
    rows = entries(run)
    assert rows[a.pk].score == D("65.00") and rows[b.pk].reason == "no_competency"
    run = preview(hr_user, ladder[0].track, min_cohort=1)  # w = 1: the index is not needed
    assert not entries(run)[b.pk].excluded


def test_kpi_weight_zero_ranks_on_the_competency_index(scores, ladder, hr_user):
    a, b = staff_with_scores(scores, ladder[1], [99, 10])
    scores.ci.update({a.pk: D("60.005"), b.pk: D("70")})
    run = preview(hr_user, ladder[0].track, kpi_weight=D("0"), min_cohort=1)
    rows = entries(run)
    assert rows[a.pk].score == D("60.01") and rows[b.pk].rank == 1


@pytest.mark.parametrize("pct", ["4.99", "10.01", "20"])
def test_percentage_outside_5_to_10_is_always_refused(scores, ladder, hr_user, pct):
    staff_with_scores(scores, ladder[1], [80])
    with pytest.raises(DomainError) as err:
        preview(hr_user, ladder[0].track, bottom_pct=D(pct))
    assert err.value.code == "bottom_pct_out_of_range"
    with pytest.raises(DomainError):
        preview(hr_user, ladder[0].track, bottom_pct=D(pct), reason="Board decision")


@pytest.mark.parametrize("pct", ["5", "10"])
def test_the_bounds_5_and_10_are_accepted(scores, ladder, hr_user, pct):
    staff_with_scores(scores, ladder[1], [80])
    assert preview(hr_user, ladder[0].track, bottom_pct=D(pct)).bottom_pct == D(pct)


def test_only_the_office_runs_a_ranking(scores, ladder):
    staff_user = UserFactory(roles=[Role.STAFF])
    with pytest.raises(RoleRequired):
        preview(staff_user, ladder[0].track)


def test_the_kpi_table_is_joined_in_sql(scores, ladder, hr_user):
    (a,) = staff_with_scores(scores, ladder[1], ["88.50"])
    run = preview(hr_user, ladder[0].track, min_cohort=1)
    assert entries(run)[a.pk].score == D("88.50")
    assert not run.inputs.exists()  # nothing staged: the SQL read the KPI table itself


def test_without_the_kpi_table_scores_come_through_the_selector(ladder, hr_user, monkeypatch):
    store = SimpleNamespace(kpi={}, ci={})
    set_scores_backend(store, monkeypatch, use_kpi_table=False)
    (a,) = staff_with_scores(store, ladder[1], ["71.25"])
    run = preview(hr_user, ladder[0].track, min_cohort=1)
    assert entries(run)[a.pk].score == D("71.25")
    assert run.inputs.get().kpi_score == D("71.25")
