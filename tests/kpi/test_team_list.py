"""The team KPI table as a list: sorting, filters (unit subtree, grade, search) and pages in
the URL, the XLSX export of what is filtered, names linked to the employee file, constant
queries at any size."""

import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from core.roles import Role
from kpi.models import AnnualScore, PeriodScore
from tests.factories import StaffFactory, make_user_for

D = Decimal


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _numbers(response) -> list[str]:
    html = response.content.decode()
    table = html[html.index('data-testid="kpi-team"') :]
    return re.findall(r"<tr>\s*<td>([A-Z0-9]+)</td>", table)


def _score(staff, period, total, *, annual=None, grade="", threshold=""):
    PeriodScore.objects.create(
        staff=staff, period=period, total=D(total), total_raw=D(total), items=[]
    )
    if annual is not None:
        AnnualScore.objects.create(
            staff=staff,
            year=period.year,
            score=D(annual),
            score_raw=D(annual),
            periods=4,
            grade=grade,
            threshold_grade=threshold or grade,
            unit_rank=1,
        )


@pytest.fixture
def scored(world):
    """April totals: alice 91.50, bob 78.00, carol 91.50 (a tie with alice), the manager
    none. Annual 2026: alice 88.00 A, bob 70.00 C (B by thresholds: lowered by the quota),
    carol 85.00 B, the manager none."""
    w = world
    _score(w.alice, w.apr, "91.50", annual="88.00", grade="A")
    _score(w.bob, w.apr, "78.00", annual="70.00", grade="C", threshold="B")
    _score(w.carol, w.apr, "91.50", annual="85.00", grade="B")
    w.hr_user = make_user_for(StaffFactory(employee_no="H001", unit=w.root), Role.HR)
    return w


def test_sorting_by_the_period_score_breaks_ties_by_employee_number(scored):
    client = _client(scored.hr_user)
    # The office sees everyone, the HR member (H001, no score) too; empty scores come last.
    asc = client.get("/kpi/team/", {"period": "2026-04", "sort": "total"})
    assert _numbers(asc) == ["B001", "A001", "C001", "H001", "M001"]
    desc = client.get("/kpi/team/", {"period": "2026-04", "sort": "-total"})
    assert _numbers(desc) == ["A001", "C001", "B001", "H001", "M001"]
    assert 'aria-sort="descending"' in desc.content.decode()
    by_grade = client.get("/kpi/team/", {"period": "2026-04", "sort": "grade"})
    assert _numbers(by_grade) == ["A001", "C001", "B001", "H001", "M001"]


def test_an_unknown_sort_falls_back_to_the_unit_order(scored):
    client = _client(scored.hr_user)
    response = client.get("/kpi/team/", {"period": "2026-04", "sort": "password"})
    # ROOT (H001) before DEP1 (A001, B001, M001) before DEP2 (C001), by tree path.
    assert _numbers(response) == ["H001", "A001", "B001", "M001", "C001"]


def test_filters_by_grade_unit_subtree_and_search(scored):
    w = scored
    client = _client(w.hr_user)
    get = lambda **params: _numbers(client.get("/kpi/team/", {"period": "2026-04", **params}))  # noqa: E731
    assert get(grade="C") == ["B001"]
    assert get(grade="none", sort="employee_no") == ["H001", "M001"]
    assert get(unit=w.dep2.pk) == ["C001"]
    assert get(unit=w.root.pk, sort="employee_no") == ["A001", "B001", "C001", "H001", "M001"]
    assert get(q="b00") == ["B001"]
    # the filters combine
    assert get(unit=w.dep1.pk, grade="A") == ["A001"]


def test_the_manager_filters_only_inside_their_scope(scored):
    w = scored
    client = _client(w.manager_user)
    response = client.get("/kpi/team/", {"period": "2026-04"})
    assert _numbers(response) == ["A001", "B001"]
    html = response.content.decode()
    tree = html[
        html.index('data-testid="unit-tree"') : html.index("</select>", html.index("unit-tree"))
    ]
    assert f'value="{w.dep1.pk}"' in tree
    assert f'value="{w.dep2.pk}"' not in tree and f'value="{w.root.pk}"' not in tree
    # a unit outside the scope, typed into the URL, shows nobody (not everybody)
    assert _numbers(client.get("/kpi/team/", {"unit": w.dep2.pk})) == []


def test_names_link_to_the_employee_file(scored):
    w = scored
    html = _client(w.manager_user).get("/kpi/team/", {"period": "2026-04"}).content.decode()
    assert f'href="/org/staff/{w.alice.pk}/#file-kpi" data-staff-link>{w.alice.name}</a>' in html


def _add_staff(world, n: int, unit=None):
    for i in range(n):
        StaffFactory(employee_no=f"X{i:03d}", unit=unit or world.dep1, level=world.l2)


def test_pages_keep_the_sort_and_filters_in_the_url(scored):
    w = scored
    _add_staff(w, 52)  # 52 + A001, B001, M001 in DEP1 = 55 rows: pages of 50 and 5
    client = _client(w.hr_user)
    first = client.get("/kpi/team/", {"period": "2026-04", "unit": w.dep1.pk, "sort": "-total"})
    html = first.content.decode()
    assert len(_numbers(first)) == 50
    assert _numbers(first)[:2] == ["A001", "B001"]
    assert "55 people" in html
    assert f'href="?period=2026-04&amp;unit={w.dep1.pk}&amp;sort=-total&amp;page=2"' in html
    second = client.get(
        "/kpi/team/", {"period": "2026-04", "unit": w.dep1.pk, "sort": "-total", "page": 2}
    )
    assert _numbers(second) == ["X047", "X048", "X049", "X050", "X051"]
    # a sort link starts again on the first page and keeps the filters
    assert f'href="?period=2026-04&amp;unit={w.dep1.pk}&amp;sort=total"' in second.content.decode()


@pytest.mark.parametrize("extra", [3, 60])
def test_the_page_and_the_export_run_constant_queries(scored, django_assert_max_num_queries, extra):
    _add_staff(scored, extra)
    client = _client(scored.hr_user)
    with django_assert_max_num_queries(14):
        assert client.get("/kpi/team/", {"period": "2026-04", "sort": "-annual"}).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get("/kpi/team/export.xlsx", {"period": "2026-04"})
        b"".join(response.streaming_content)


def _sheet(response):
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content)).worksheets[0]


def test_the_export_holds_the_filtered_rows_with_a_frozen_header_and_filters(scored):
    w = scored
    response = _client(w.hr_user).get(
        "/kpi/team/export.xlsx",
        {"period": "2026-04", "unit": w.dep1.pk, "sort": "-annual", "page": "1"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="team-kpi-2026-04-')
    sheet = _sheet(response)
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "Employee number",
        "Name",
        "Org unit",
        "Level",
        "Score 2026-04",
        "Annual 2026",
        "Grade",
        "Grade by thresholds",
    ]
    # DEP1 only (carol in DEP2 and H001 at the root are filtered out), every page, by the
    # annual score descending: alice 88, bob 70, the manager without one.
    assert [r[0] for r in rows[1:]] == ["A001", "B001", "M001"]
    assert rows[2][2] == "DEP1"  # the company itself is left out of the path
    assert rows[2][4:] == [78, 70, "C", "B"]
    assert rows[3][4:] == [None, None, None, None]  # no score: empty cells
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H4"
    assert sheet.column_dimensions["C"].width == 28
