"""Pages of the pay app, and constant queries at two sizes (API lists, pages, the run)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pay.models import PayRun
from tests.conftest import client_for
from tests.factories import StaffFactory

from .conftest import approved_run, computed_run, grade

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def _grow(world, n: int) -> None:
    for i in range(n):
        staff = StaffFactory(name=f"加{i}", level=world.levels[1], level_since=dt.date(2020, 1, 1))
        grade(staff, "ABCDE"[i % 5])


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_my_pay_page_explains_each_line(world):
    approved_run(world)
    html = login(world.zhang_user).get("/pay/mine/").content.decode()
    for text in (
        "¥8,000.00 × 12 months",
        "¥10,000.03 × 1.50 (coefficient of grade A), half-up to the fen",
        "¥15,000.05 × 35 %, half-up to the fen",
        "¥15,000.05 − ¥5,250.02",
        "Deferred instalment 3, due in 2028",
        "¥96,000.00 + ¥14,400.00 + ¥9,750.03",
        '<td class="text-end">¥1,750.00</td>',
        '<td class="text-end">¥120,150.03</td>',
    ):
        assert text in html
    assert "李四" not in html


def test_office_pages_and_refusals(world):
    hr = login(world.hr)
    response = hr.post("/pay/", {"year": "2025"})
    run = PayRun.objects.get(year=2025)
    assert response.status_code == 302 and response["Location"].endswith(f"/pay/runs/{run.pk}/")
    hr.post(f"/pay/runs/{run.pk}/", {"action": "compute"})
    page = hr.get(f"/pay/runs/{run.pk}/").content.decode()
    assert "¥15,000.05" in page and "in post without a pay policy" in page
    assert '<td class="text-end">¥96,000.00</td>' in page
    assert "120150.03" in hr.get(f"/pay/runs/{run.pk}/payroll.csv").content.decode("utf-8-sig")
    assert hr.get(f"/pay/runs/{run.pk}/payroll.pdf").status_code == 404
    policies = hr.get("/pay/policies/?year=2025").content.decode()
    assert "10000.03" in policies
    hr.post(
        "/pay/policies/",
        {"what": "deferral", "year": "2025", "share_pct": "40", "years": "2"},
    )
    assert world.hr_api.get("/api/v1/pay/deferral-rules/?year=2025").json()[0]["years"] == 2
    staff = login(world.zhang_user)
    assert staff.get("/pay/").status_code == 403
    assert staff.get(f"/pay/runs/{run.pk}/").status_code == 403
    assert staff.get("/pay/policies/").status_code == 403
    login(world.leader).post(f"/pay/runs/{run.pk}/", {"action": "approve"})
    run.refresh_from_db()
    assert run.status == "approved"


def test_queries_do_not_grow_with_the_staff(world, django_assert_max_num_queries):
    run = approved_run(world)
    hr = login(world.hr)
    me = login(world.zhang_user)

    def reads():
        return [
            _count(lambda: world.hr_api.get("/api/v1/pay/lines/?page_size=100")),
            _count(lambda: world.hr_api.get("/api/v1/pay/instalments/?page_size=100")),
            _count(lambda: hr.get(f"/pay/runs/{run['id']}/")),
            _count(lambda: hr.get(f"/pay/runs/{run['id']}/payroll.xlsx")),
            _count(lambda: me.get("/pay/mine/")),
        ]

    small = reads()
    PayRun.objects.filter(pk=run["id"]).update(status="computed")
    _grow(world, 15)
    compute_small = _count(lambda: world.hr_api.post(f"/api/v1/pay/runs/{run['id']}/compute/"))
    PayRun.objects.filter(pk=run["id"]).update(status="approved")
    large = reads()
    assert large == small
    _grow(world, 15)
    with django_assert_max_num_queries(compute_small):
        world.hr_api.post(f"/api/v1/pay/runs/{run['id']}/compute/")
    with django_assert_max_num_queries(max(small)):
        world.hr_api.get("/api/v1/pay/lines/?page_size=100")


def test_compute_is_refused_to_others(world):
    run = computed_run(world)
    staff_api = client_for(world.zhang_user)
    assert staff_api.post(f"/api/v1/pay/runs/{run['id']}/compute/").status_code == 404
    assert staff_api.post("/api/v1/pay/runs/", {"year": 2024}).status_code == 403


def test_the_leadership_reads_the_policies_as_figures(world):
    approved_run(world)
    page = login(world.leader).get("/pay/policies/?year=2025").content.decode()
    assert '<td class="text-end">¥8,000.00</td>' in page
    assert '<td class="text-end">¥10,000.03</td>' in page
    assert "<td>1.50</td>" in page
