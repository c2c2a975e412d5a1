"""Ranking guards (DOMAIN.md, "Annual ranking"): committing a year that has not ended, or whose
KPI periods are not all locked, needs a reason (recorded on the run, audited, shown on the run
page and to the leadership group); a person with an open re-certification case is not given a
second one — the case is carried and the new run says so."""

from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from core.roles import Role
from kpi.models import Period
from ranking import services
from ranking.models import RankingEntry, RecertificationCase
from tests.clock import LAST_YEAR, THIS_YEAR
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.kpi.factories import make_period
from tests.ranking.factories import band_case, preview, staff_with_scores

RUNS = "/api/v1/ranking/runs/"


def test_a_year_not_ended_is_committed_only_with_a_reason(scores, ladder, hr_user):
    scores.kpi.year = THIS_YEAR  # the frozen today is 30 November of this year
    staff_with_scores(scores, ladder[1], [50] + [70 + i for i in range(19)])
    run = preview(hr_user, ladder[0].track, year=THIS_YEAR)
    hr = client_for(hr_user)
    refused = hr.post(f"{RUNS}{run.pk}/commit/", {})
    assert refused.status_code == 400
    assert refused.json()["code"] == "early_commit_reason_required"
    assert refused.json()["grounds"] == ["year_not_ended"]
    assert not RecertificationCase.objects.exists()
    assert not AuditEvent.objects.filter(action="commit").exists()
    done = hr.post(f"{RUNS}{run.pk}/commit/", {"reason": "董事会要求提前出结果"})
    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["status"] == "committed"
    assert (body["early_commit_reason"], body["early_commit_grounds"]) == (
        "董事会要求提前出结果",
        ["year_not_ended"],
    )
    event = AuditEvent.objects.get(action="commit", object_id=str(run.pk))
    assert event.reason == "董事会要求提前出结果"
    assert event.changes["early_commit_grounds"] == ["year_not_ended"]
    # shown on the run page to the leadership group
    leader = Client()
    leader.force_login(UserFactory(username="lead", roles=[Role.LEADERSHIP]))
    html = leader.get(
        reverse("ranking:run-detail", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'data-testid="early-commit"' in html and "董事会要求提前出结果" in html
    assert "the year has not ended" in html


def test_open_kpi_periods_of_an_ended_year_need_a_reason(scores, ladder, hr_user):
    scores.kpi.year = LAST_YEAR
    staff_with_scores(scores, ladder[1], [50] + [70 + i for i in range(19)])
    make_period(f"{LAST_YEAR}-11", status=Period.Status.LOCKED)
    december = make_period(f"{LAST_YEAR}-12")  # still open
    run = preview(hr_user, ladder[0].track, year=LAST_YEAR)
    assert services.year_not_closed(run) == ["kpi_periods_open"]
    refused = client_for(hr_user).post(f"{RUNS}{run.pk}/commit/", {})
    assert refused.status_code == 400 and refused.json()["grounds"] == ["kpi_periods_open"]
    Period.objects.filter(pk=december.pk).update(status=Period.Status.LOCKED)
    assert services.year_not_closed(run) == []
    done = client_for(hr_user).post(f"{RUNS}{run.pk}/commit/", {})  # all locked: no reason
    assert done.status_code == 200 and done.json()["early_commit_reason"] == ""


def test_the_commit_form_warns_and_asks_for_confirmation(scores, ladder, hr_user):
    scores.kpi.year = THIS_YEAR
    staff_with_scores(scores, ladder[1], [60])
    run = preview(hr_user, ladder[0].track, year=THIS_YEAR)
    page = Client()
    page.force_login(hr_user)
    html = page.get(
        reverse("ranking:run-detail", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'data-testid="not-closed"' in html
    assert 'data-confirm="Commit this ranking?' in html


def test_an_open_case_is_carried_not_duplicated(scores, ladder, hr_user):
    first_run, case, staff = band_case(scores, ladder, hr_user, year=LAST_YEAR - 1)
    # the next year: the same person is in the band again while their case is still open
    scores.kpi.year = LAST_YEAR
    for entry in RankingEntry.objects.filter(run=first_run):
        scores.kpi[entry.staff_id] = entry.kpi_score
    second = preview(hr_user, ladder[0].track, year=LAST_YEAR)
    response = client_for(hr_user).post(f"{RUNS}{second.pk}/commit/", {})
    assert response.status_code == 200, response.json()
    assert RecertificationCase.objects.filter(staff=staff).count() == 1
    assert not RecertificationCase.objects.filter(run=second).exists()
    entry = RankingEntry.objects.get(run=second, staff=staff)
    assert entry.in_bottom_band and entry.carried_case_id == case.pk
    rows = client_for(hr_user).get(f"{RUNS}{second.pk}/entries/", {"staff": staff.pk}).json()
    assert rows["results"][0]["carried_case"] == case.pk
    event = AuditEvent.objects.get(action="commit", object_id=str(second.pk))
    assert (event.changes["cases_opened"], event.changes["cases_carried"]) == (0, 1)
    page = Client()
    page.force_login(hr_user)
    html = page.get(
        reverse("ranking:run-detail", args=[second.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'data-testid="case-carried"' in html and f"#{case.pk}" in html


def test_a_repeated_commit_is_harmless(scores, ladder, hr_user):
    run, _case, _staff = band_case(scores, ladder, hr_user)
    hr = client_for(hr_user)
    assert hr.post(f"{RUNS}{run.pk}/commit/", {}).status_code == 409
    assert RecertificationCase.objects.count() == 1
    assert AuditEvent.objects.filter(action="commit").count() == 1
    assert AuditEvent.objects.filter(action="open").count() == 1
