"""The cycle board on the shared list: status, unit tree and search filters with the sort in
the URL, pages, the XLSX export of the filtered applications, names linked to the employee
file, constant queries."""

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from certification import services
from tests.certification.factories import COMMITTEE_ONLY, applicant, make_cycle
from tests.clock import days
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def web(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _apply(cycle, level, unit, *, submit=True):
    staff, user = applicant(level, unit=unit)
    app = services.application_create(actor=user, cycle=cycle, statement="x", today=days(0))
    if submit:
        services.application_submit(actor=user, application=app, today=days(0))
    return staff


@pytest.fixture
def board(ladder, hr, fake):
    """Branch N with department N1, branch S: two submitted in N1, one draft in N, one
    submitted in S."""
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    north = make_unit("N")
    n1 = make_unit("N1", north)
    south = make_unit("S")
    staff = [
        _apply(cycle, ladder[1], n1),
        _apply(cycle, ladder[1], n1),
        _apply(cycle, ladder[1], north, submit=False),
        _apply(cycle, ladder[1], south),
    ]
    return cycle, staff, {"N": north, "N1": n1, "S": south}


def _listed(html: str) -> list[str]:
    # the board's rows (the evidence inside a row holds tables of its own)
    return re.findall(r"<tr data-application=\"\d+\"><td>.*?</td><td>([^<]+)</td>", html)


def test_filters_by_unit_subtree_and_status_and_sorts(board, hr):
    cycle, staff, units = board
    nos = [s.employee_no for s in staff]
    client = web(hr)
    url = f"/certification/cycles/{cycle.pk}/"
    html = client.get(url, {"unit": units["N"].pk, "sort": "-employee_no"}).content.decode()
    assert _listed(html) == [nos[2], nos[1], nos[0]]  # N and N1, not S
    html = client.get(url, {"unit": units["N"].pk, "status": "submitted"}).content.decode()
    assert sorted(_listed(html)) == [nos[0], nos[1]]
    # the status buttons keep the other filters
    assert f'href="?unit={units["N"].pk}&amp;status=draft"' in html
    assert f'href="/org/staff/{staff[0].pk}/#file-certification" data-staff-link>' in html
    html = client.get(url, {"q": nos[3]}).content.decode()
    assert _listed(html) == [nos[3]]


def test_the_export_holds_the_filtered_applications(board, hr):
    cycle, staff, units = board
    response = web(hr).get(
        f"/certification/cycles/{cycle.pk}/applications.xlsx",
        {"unit": units["N"].pk, "status": "submitted", "sort": "employee_no"},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "Employee number",
        "Name",
        "Org unit",
        "Target level",
        "Status",
        "Eligible",
        "Materials",
    ]
    assert [r[0] for r in rows[1:]] == sorted([staff[0].employee_no, staff[1].employee_no])
    assert rows[1][2] == "N1" and rows[1][4] == "submitted" and rows[1][6] == 0
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G3"


def test_the_export_is_for_the_office_and_the_leadership(board, ladder):
    cycle, _staff, _units = board
    _, user = applicant(ladder[1])
    assert web(user).get(f"/certification/cycles/{cycle.pk}/applications.xlsx").status_code == 403


@pytest.mark.parametrize("extra", [1, 55])
def test_the_board_pages_and_exports_in_constant_queries(
    board, hr, ladder, django_assert_max_num_queries, extra
):
    cycle, _staff, units = board
    for _ in range(extra):
        _apply(cycle, ladder[1], units["S"])
    client = web(hr)
    with django_assert_max_num_queries(19):
        response = client.get(f"/certification/cycles/{cycle.pk}/", {"sort": "name"})
    assert len(_listed(response.content.decode())) == min(4 + extra, 50)
    with django_assert_max_num_queries(10):
        response = client.get(f"/certification/cycles/{cycle.pk}/applications.xlsx")
        b"".join(response.streaming_content)
