"""Pages: HR's ranking page, the XLSX export, the honour roll, my ranking, the cases."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import Role
from ranking import services
from tests.factories import StaffFactory, UserFactory, make_user_for
from tests.ranking.factories import band_case, preview, staff_with_scores


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def committed(scores, ladder, hr_user):
    run, case, staff = band_case(scores, ladder, hr_user, n=60)
    return run, case, staff


def test_hr_ranking_page_shows_tabs_histogram_cut_line_and_bands(
    committed, hr_user, django_assert_max_num_queries
):
    run, _case, staff = committed
    client = login(hr_user)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("ranking:run-detail", args=[run.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="cohort-tabs"' in html and "<svg" in html
    assert 'data-line="' in html and "50.00" in html  # the cut line at the band's last score
    assert staff.name in html


def test_hr_creates_and_commits_a_run_from_the_page(scores, ladder, hr_user):
    staff_with_scores(scores, ladder[1], [50 + i for i in range(20)])
    client = login(hr_user)
    response = client.post(
        reverse("ranking:run-list"),
        {
            "track": ladder[0].track.pk,
            "year": 2025,
            "cohort": "level",
            "bottom_pct": "5",
            "min_months": 6,
            "min_cohort": 10,
            "kpi_weight": "1",
            "pass_line": "60",
            "elimination_line": "40",
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    assert client.get(detail).status_code == 200
    assert client.post(detail, {"reason": ""}).status_code == 302
    from ranking.models import RankingRun

    assert RankingRun.objects.get().status == "committed"


def test_run_pages_are_for_the_office_and_leadership(committed):
    run, _case, staff = committed
    user = make_user_for(staff)
    assert login(user).get(reverse("ranking:run-list")).status_code == 403
    assert login(user).get(reverse("ranking:run-detail", args=[run.pk])).status_code == 403
    leader = UserFactory(roles=[Role.LEADERSHIP])
    assert login(leader).get(reverse("ranking:run-detail", args=[run.pk])).status_code == 200
    assert login(leader).post(reverse("ranking:run-detail", args=[run.pk])).status_code == 403


def test_export_to_xlsx(committed, hr_user):
    run, _case, _staff = committed
    response = login(hr_user).get(reverse("ranking:run-export", args=[run.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 61  # header + 60 entries
    assert rows[1][8] == 1  # the first row is rank 1
    first = next(book.active.iter_rows(min_row=2))
    kpi, _index, score, *sizes = first[5:11]  # no competency index in this run
    assert [c.number_format for c in (kpi, score, *sizes)] == ["0.00"] * 2 + ["#,##0"] * 3
    from core.models import DownloadRecord

    record = DownloadRecord.objects.get()
    assert (record.kind, record.object_id, record.user) == ("export", str(run.pk), hr_user)
    assert record.object_repr.startswith("ranking-") and record.object_repr.endswith(".xlsx")


def test_honour_roll_is_visible_to_every_signed_in_user(
    committed, ladder, django_assert_max_num_queries
):
    _run, _case, _staff = committed
    client = login(UserFactory(roles=[Role.STAFF]))
    with django_assert_max_num_queries(13):  # the write-ups: one more query
        response = client.get(reverse("ranking:honour-roll"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="honour-card"') == 3  # ⌈60 × 5 %⌉
    assert Client().get(reverse("ranking:honour-roll")).status_code == 302  # sign in first


def test_staff_sees_own_rank_and_percentile_only_after_commit(scores, ladder, hr_user):
    people = staff_with_scores(scores, ladder[1], [50 + i for i in range(20)])
    user = make_user_for(people[0])
    run = preview(hr_user, ladder[0].track)
    page = login(user).get(reverse("ranking:mine")).content.decode()
    assert "20 / 20" not in page
    services.run_commit(actor=hr_user, run=run)
    page = login(user).get(reverse("ranking:mine")).content.decode()
    assert '<td class="text-end">20 / 20</td><td class="text-end">5%</td>' in page
    assert '<td class="text-end">50.00</td>' in page
    track = ladder[0].track
    assert f"{run.year} {track.name}" in page  # the track by name, not its code
    assert f" {track.code}<" not in page


def test_manager_sees_the_team(scores, ladder, hr_user, django_assert_max_num_queries):
    boss = StaffFactory(level=ladder[4], level_since=dt.date(2020, 1, 1))
    staff_with_scores(scores, ladder[1], [50 + i for i in range(40)], manager=boss)
    run = preview(hr_user, ladder[0].track)
    services.run_commit(actor=hr_user, run=run)
    client = login(make_user_for(boss, Role.MANAGER))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("ranking:mine"))
    assert response.content.decode().count("<tr>") >= 40


def test_case_pages(committed, hr_user, django_assert_max_num_queries):
    _run, case, staff = committed
    client = login(hr_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("ranking:case-list"))
    assert response.status_code == 200 and staff.name in response.content.decode()
    response = client.get(reverse("ranking:case-detail", args=[case.pk]))
    assert response.status_code == 200
    stranger = make_user_for(StaffFactory())
    assert login(stranger).get(reverse("ranking:case-detail", args=[case.pk])).status_code == 404
    own = make_user_for(staff)
    assert login(own).get(reverse("ranking:case-detail", args=[case.pk])).status_code == 200
    assert login(own).get(reverse("ranking:case-list")).status_code == 403


def test_staff_sees_the_trend_of_their_score(scores, ladder, hr_user):
    people = staff_with_scores(scores, ladder[1], [50 + i for i in range(20)])
    for year in (2024, 2025):
        scores.kpi.year = year
        for i, staff in enumerate(people):
            scores.kpi[staff.pk] = 60 + i + (year - 2024) * 5
        services.run_commit(actor=hr_user, run=preview(hr_user, ladder[0].track, year=year))
    page = login(make_user_for(people[0])).get(reverse("ranking:mine")).content.decode()
    assert 'data-testid="trend"' in page and 'data-chart="line"' in page
    assert "60.00" in page and "65.00" in page


def test_the_export_writes_a_formula_like_name_as_text(committed, hr_user):
    from org.models import Staff

    run, _case, _staff = committed
    first = run.entries.order_by("excluded", "cohort_key", "rank", "staff__employee_no").first()
    Staff.objects.filter(pk=first.staff_id).update(name='=HYPERLINK("http://x","y")')
    response = login(hr_user).get(reverse("ranking:run-export", args=[run.pk]))
    cell = load_workbook(io.BytesIO(response.content)).active.cell(row=2, column=2)
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://x","y")'
