"""A preview is ranked and summarised in one pass without storing its entries; they are written
on the first read (run page, entries API, export) or on commit, and the summary then comes from
the written rows (docs/ranking.md, "Preview → commit")."""

from decimal import Decimal as D

from ranking import selectors, services
from ranking.models import RankingEntry, RankingRun
from tests.conftest import client_for
from tests.ranking.factories import preview, staff_with_scores

RUNS = "/api/v1/ranking/runs/"


def stored(run) -> int:
    return RankingEntry.objects.filter(run=run).count()


def test_a_preview_stores_no_entry_until_they_are_read(scores, ladder, hr_user):
    # 20 staff, 10 %: band size 2; scores 50, 60, 60, 60, 70…: the three 60s are tied at the cut
    people = staff_with_scores(scores, ladder[1], [50, 60, 60, 60] + [70 + i for i in range(16)])
    staff_with_scores(scores, ladder[1], [None])  # no KPI score: excluded
    run = preview(hr_user, ladder[0].track, bottom_pct=D("10"))
    assert stored(run) == 0 and run.entries_written_at is None
    summary = run.summary
    assert summary["population"] == 20 and summary["excluded"] == {"no_kpi": 1}
    (cohort,) = summary["cohorts"]
    assert (cohort["band_size"], cohort["bottom"], cohort["overshoot"]) == (2, 4, 2)
    assert (cohort["cut"], cohort["top"], cohort["top_line"]) == ("60.00", 2, "84.00")

    entries = selectors.entry_list(user=hr_user, run=run)
    assert entries.count() == 21 and run.entries_written_at is not None
    assert run.summary == summary  # taken again from the written rows: the same figures
    assert {e.staff_id for e in entries if e.in_bottom_band} == {p.pk for p in people[:4]}
    written = run.entries_written_at
    selectors.entry_list(user=hr_user, run=RankingRun.objects.get(pk=run.pk))
    assert RankingRun.objects.get(pk=run.pk).entries_written_at == written  # written once


def test_a_recomputed_preview_drops_its_entries_and_writes_them_again(scores, ladder, hr_user):
    staff_with_scores(scores, ladder[1], [50 + i for i in range(21)])
    run = preview(hr_user, ladder[0].track)
    assert selectors.entry_list(user=hr_user, run=run).filter(in_bottom_band=True).count() == 2
    run = services.run_update(actor=hr_user, run=run, bottom_pct=D("10"))
    assert stored(run) == 0 and run.entries_written_at is None
    assert run.summary["bottom_band"] == 3  # ⌈21 × 10 %⌉
    assert selectors.entry_list(user=hr_user, run=run).filter(in_bottom_band=True).count() == 3


def test_commit_writes_the_entries_of_a_preview_nobody_read(scores, ladder, hr_user):
    people = staff_with_scores(scores, ladder[1], [50 + i for i in range(20)])
    run = preview(hr_user, ladder[0].track)
    summary = run.summary
    services.run_commit(actor=hr_user, run=run)
    run.refresh_from_db()
    assert stored(run) == 20 and run.entries_written_at is not None
    assert run.summary == summary
    bottom = RankingEntry.objects.get(run=run, in_bottom_band=True)
    assert bottom.staff_id == people[0].pk and bottom.recertification.staff_id == people[0].pk


def test_entries_written_later_use_the_inputs_of_then_and_the_summary_follows(
    scores, ladder, hr_user
):
    people = staff_with_scores(scores, ladder[1], [50 + i for i in range(20)])
    run = preview(hr_user, ladder[0].track)
    assert run.summary["cohorts"][0]["cut"] == "50.00"
    scores.kpi[people[0].pk] = D("99")  # a KPI correction before anyone looked at the preview
    entries = selectors.entry_list(user=hr_user, run=run)
    assert entries.get(in_bottom_band=True).staff_id == people[1].pk
    assert run.summary["cohorts"][0]["cut"] == "51.00"  # the summary is that of the entries


def test_others_never_cause_a_preview_to_be_written(scores, ladder, hr_user):
    (member,) = staff_with_scores(scores, ladder[1], [60])
    staff_with_scores(scores, ladder[1], [50 + i for i in range(19)])
    run = preview(hr_user, ladder[0].track)
    from tests.factories import make_user_for

    user = make_user_for(member)
    assert not selectors.entry_list(user=user, run=run).exists()
    assert client_for(user).get(f"{RUNS}{run.pk}/entries/").status_code == 404
    run.refresh_from_db()
    assert run.entries_written_at is None and stored(run) == 0


def test_the_api_reports_when_the_entries_were_written(
    scores, ladder, hr_user, django_assert_max_num_queries
):
    staff_with_scores(scores, ladder[1], [40 + i for i in range(60)])
    hr = client_for(hr_user)
    body = hr.post(RUNS, {"track": ladder[0].track.pk, "year": 2025, "cohort": "track"}).json()
    assert body["entries_written_at"] is None and body["summary"]["bottom_band"] == 3
    with django_assert_max_num_queries(12):  # the first read writes every entry set-based
        page = hr.get(f"{RUNS}{body['id']}/entries/?in_bottom_band=true").json()
    assert page["count"] == 3
    again = hr.get(f"{RUNS}{body['id']}/").json()
    assert again["entries_written_at"] is not None and again["summary"] == body["summary"]
