"""The pay run through the API, with the hand-computed figures of docs/pay.md."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.roles import Role
from org import services as org_services
from pay.models import DeferredInstalment, PayLine
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory, make_user_for

from .conftest import YEAR, approved_run, computed_run

pytestmark = pytest.mark.django_db


def _lines(world, run_id) -> dict[str, dict]:
    body = world.hr_api.get(f"/api/v1/pay/lines/?run={run_id}&page_size=100").json()
    return {row["staff_name"]: row for row in body["results"]}


def test_compute_writes_every_line_with_the_hand_computed_figures(world):
    run = computed_run(world)
    assert run["status"] == "computed"
    assert run["summary"] == {
        "staff": 4,
        "without_policy": 1,
        "share_pct": "35.00",
        "years": 3,
        "base_pay": "360000.00",
        "allowance_pay": "54000.00",
        "performance_pay": "35000.11",
        "deferred": "12250.04",
        "paid_now": "22750.07",
    }
    lines = _lines(world, run["id"])
    zhang = lines["张三"]
    # 10 000.03 × 1.50 = 15 000.045 → 15 000.05 (half-up at half a fen, not to even)
    assert (zhang["grade"], zhang["months"], zhang["monthly_allowance"]) == ("A", 12, "1200.00")
    assert zhang["base_pay"] == "96000.00" and zhang["allowance_pay"] == "14400.00"
    assert zhang["performance_pay"] == "15000.05"
    # 15 000.05 × 35 % = 5 250.0175 → 5 250.02; 9 750.03 now
    assert (zhang["deferred"], zhang["paid_now"]) == ("5250.02", "9750.03")
    assert zhang["year_total"] == "120150.03"
    # 5 250.02 ÷ 3 = 1 750.0067 → 1 750.01, 1 750.01, and the remainder 1 750.00
    assert [(i["due_year"], i["amount"], i["status"]) for i in zhang["instalments"]] == [
        (2026, "1750.01", "scheduled"),
        (2027, "1750.01", "scheduled"),
        (2028, "1750.00", "scheduled"),
    ]
    li = lines["李四"]
    # hired 15 April 2025: 9 months of base pay and allowance
    assert (li["months"], li["base_pay"], li["allowance_pay"]) == (9, "72000.00", "10800.00")
    assert (li["performance_pay"], li["deferred"], li["paid_now"]) == (
        "10000.03",
        "3500.01",
        "6500.02",
    )
    assert [i["amount"] for i in li["instalments"]] == ["1166.67", "1166.67", "1166.67"]
    # B and C have the same coefficient (1.00): the same performance pay
    wang = lines["王五"]
    assert (wang["grade"], wang["coefficient"]) == ("C", "1.00")
    assert wang["performance_pay"] == li["performance_pay"] == "10000.03"
    zhao = lines["赵六"]
    assert (zhao["grade"], zhao["performance_pay"], zhao["deferred"], zhao["instalments"]) == (
        "E",
        "0.00",
        "0.00",
        [],
    )
    assert zhao["year_total"] == "110400.00"
    assert "钱七" not in lines


def test_each_line_is_explained_step_by_step(world):
    run = approved_run(world)
    client = client_for(world.zhang_user)
    client.cookies["django_language"] = "en"
    body = client.get(f"/api/v1/pay/lines/?run={run['id']}", HTTP_ACCEPT_LANGUAGE="en").json()
    steps = [(s["label"], s["formula"], s["amount"]) for s in body["results"][0]["explanation"]]
    assert steps == [
        ("Base pay", "8000.00 × 12 months", "96000.00"),
        ("Level allowance", "1200.00 × 12 months", "14400.00"),
        (
            "Performance pay",
            "10000.03 × 1.50 (coefficient of grade A), half-up to the fen",
            "15000.05",
        ),
        ("Deferred", "15000.05 × 35.00 %, half-up to the fen", "5250.02"),
        ("Performance pay now", "15000.05 − 5250.02", "9750.03"),
        ("Deferred instalment 1, due in 2026", "scheduled", "1750.01"),
        ("Deferred instalment 2, due in 2027", "scheduled", "1750.01"),
        ("Deferred instalment 3, due in 2028", "scheduled", "1750.00"),
        ("Paid for the year", "96000.00 + 14400.00 + 9750.03", "120150.03"),
    ]


def test_the_leadership_approves_never_the_person_who_computed(world):
    both = UserFactory(username="pay-both", roles=[Role.HR, Role.LEADERSHIP])
    api = client_for(both)
    run = api.post("/api/v1/pay/runs/", {"year": YEAR}).json()
    assert api.post(f"/api/v1/pay/runs/{run['id']}/compute/").status_code == 200
    response = api.post(f"/api/v1/pay/runs/{run['id']}/approve/", {})
    assert response.status_code == 400 and response.json()["code"] == "two_person_rule"
    # the office alone does not approve
    response = world.hr_api.post(f"/api/v1/pay/runs/{run['id']}/approve/", {})
    assert response.status_code == 403
    response = world.leader_api.post(f"/api/v1/pay/runs/{run['id']}/approve/", {})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    # approved: frozen
    response = world.hr_api.post(f"/api/v1/pay/runs/{run['id']}/compute/")
    assert response.status_code == 409
    response = world.hr_api.post(
        "/api/v1/pay/deferral-rules/", {"year": YEAR, "share_pct": "10", "years": 2}
    )
    assert response.status_code == 409


def test_the_year_must_be_over_and_every_grade_needs_a_coefficient(world):
    run = world.hr_api.post("/api/v1/pay/runs/", {"year": 2026}).json()
    response = world.hr_api.post(f"/api/v1/pay/runs/{run['id']}/compute/")
    assert response.status_code == 409
    run = world.hr_api.post("/api/v1/pay/runs/", {"year": 2024}).json()
    response = world.hr_api.post(f"/api/v1/pay/runs/{run['id']}/compute/")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_scope_own_lines_of_approved_runs_others_not_found(world):
    run = computed_run(world)
    zhang_api = client_for(world.zhang_user)
    # computed, not approved: nothing yet for the employee
    assert zhang_api.get("/api/v1/pay/lines/").json()["count"] == 0
    world.leader_api.post(f"/api/v1/pay/runs/{run['id']}/approve/", {})
    own = zhang_api.get("/api/v1/pay/lines/").json()
    assert [row["staff_name"] for row in own["results"]] == ["张三"]
    li_line = PayLine.objects.get(staff=world.li)
    assert zhang_api.get(f"/api/v1/pay/lines/{li_line.pk}/").status_code == 404
    assert zhang_api.get(f"/api/v1/pay/runs/{run['id']}/").status_code == 404
    assert zhang_api.get("/api/v1/pay/policies/").json() == []
    # a line manager does not see the pay of the team
    boss = StaffFactory(name="经理", level=world.levels[3])
    world.li.manager = boss
    world.li.save()
    manager_api = client_for(make_user_for(boss, Role.MANAGER))
    assert manager_api.get(f"/api/v1/pay/lines/{li_line.pk}/").status_code == 404
    assert manager_api.get("/api/v1/pay/lines/").json()["count"] == 0
    # instalments: own only
    rows = zhang_api.get("/api/v1/pay/instalments/").json()["results"]
    assert {r["staff"] for r in rows} == {world.zhang.pk} and len(rows) == 3


def test_elimination_forfeits_the_unpaid_instalments(world):
    approved_run(world)
    org_services.eliminate_from_post(
        actor=None, staff=world.zhang, on=world.zhang.hire_date.replace(year=2026)
    )
    rows = world.hr_api.get(f"/api/v1/pay/instalments/?staff={world.zhang.pk}").json()["results"]
    assert [(r["status"], r["forfeit_reason"], r["forfeited_on"]) for r in rows] == [
        ("forfeited", "elimination", "2026-01-01")
    ] * 3
    others = DeferredInstalment.objects.exclude(line__staff=world.zhang)
    assert set(others.values_list("status", flat=True)) == {"scheduled"}


def test_exit_forfeits_the_unpaid_instalments(world):
    approved_run(world)
    org_services.staff_exit(
        actor=world.hr,
        staff=world.li,
        exit_date=world.li.hire_date.replace(year=2026),
        reason="离职",
    )
    statuses = DeferredInstalment.objects.filter(line__staff=world.li).values_list(
        "status", "forfeit_reason"
    )
    assert list(statuses) == [("forfeited", "exit")] * 3


def test_someone_eliminated_before_the_computation_never_gets_the_deferred_part(world):
    org_services.eliminate_from_post(
        actor=None, staff=world.wang, on=world.wang.hire_date.replace(year=2026)
    )
    computed_run(world)
    rows = DeferredInstalment.objects.filter(line__staff=world.wang)
    assert list(rows.values_list("status", "forfeit_reason")) == [("forfeited", "out_of_post")] * 3


def test_payroll_of_the_year_and_of_a_month_as_csv_and_xlsx(world):
    run = approved_run(world)
    body = world.hr_api.get(f"/api/v1/pay/runs/{run['id']}/payroll/?file=csv")
    assert body.status_code == 200
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
    by_no = {row[0]: row for row in rows[1:]}
    zhang = by_no[world.zhang.employee_no]
    assert zhang[5:] == [
        "12",
        "96000.00",
        "14400.00",
        "15000.05",
        "5250.02",
        "9750.03",
        "0.00",
        "120150.03",
    ]
    march = world.hr_api.get(f"/api/v1/pay/runs/{run['id']}/payroll/?file=csv&month=3")
    march_rows = list(csv.reader(io.StringIO(march.content.decode("utf-8-sig"))))[1:]
    assert world.li.employee_no not in {r[0] for r in march_rows}
    assert [r[4:] for r in march_rows if r[0] == world.zhang.employee_no] == [
        ["8000.00", "1200.00", "9200.00"]
    ]
    april = world.hr_api.get(f"/api/v1/pay/runs/{run['id']}/payroll/?file=csv&month=4")
    assert world.li.employee_no in april.content.decode("utf-8-sig")
    xlsx = world.hr_api.get(f"/api/v1/pay/runs/{run['id']}/payroll/?month=4")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    staff_api = client_for(world.zhang_user)
    assert staff_api.get(f"/api/v1/pay/runs/{run['id']}/payroll/").status_code == 404


def test_the_next_year_pays_the_instalments_due(world, frozen_clock):
    approved_run(world)
    frozen_clock.move_to("2027-01-20 10:00+08:00")
    from .conftest import grade, set_year_policy

    for staff, letter in (
        (world.zhang, "B"),
        (world.li, "B"),
        (world.wang, "B"),
        (world.zhao, "B"),
    ):
        grade(staff, letter, year=2026)
    set_year_policy(world.levels, year=2026)
    run = world.hr_api.post("/api/v1/pay/runs/", {"year": 2026}).json()
    world.hr_api.post(f"/api/v1/pay/runs/{run['id']}/compute/")
    run = world.leader_api.post(f"/api/v1/pay/runs/{run['id']}/approve/", {}).json()
    # the first instalments of 2025 (Zhang 1 750.01, Li and Wang 1 166.67 each)
    assert run["summary"]["instalments_paid"] == 3
    paid = DeferredInstalment.objects.filter(status="paid")
    assert sum(paid.values_list("amount", flat=True)) == Decimal("4083.35")
    body = world.hr_api.get(f"/api/v1/pay/runs/{run['id']}/payroll/?file=csv")
    rows = {r[0]: r for r in csv.reader(io.StringIO(body.content.decode("utf-8-sig")))}
    # 2026, grade B: 96 000 + 14 400 + 10 000.03 − 3 500.01 = 116 900.02, + 1 750.01 due
    assert rows[world.zhang.employee_no][11:] == ["1750.01", "118650.03"]


def test_payroll_workbook_writes_money_as_numbers_formatted_in_yuan(world):
    run = approved_run(world)
    body = world.hr_api.get(f"/api/v1/pay/runs/{run['id']}/payroll/?file=xlsx")
    sheet = load_workbook(io.BytesIO(body.content)).worksheets[0]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    zhang = rows[world.zhang.employee_no]
    assert (zhang[5].value, zhang[5].number_format) == (12, "#,##0")
    assert [(c.value, c.number_format) for c in zhang[6:8]] == [
        (96000, "¥#,##0.00"),
        (14400, "¥#,##0.00"),
    ]
    assert (zhang[12].value, zhang[12].number_format) == (120150.03, "¥#,##0.00")


def test_payroll_files_write_a_name_as_text_never_a_formula_and_are_recorded(world):
    from core.models import DownloadRecord

    world.zhang.name = '=HYPERLINK("http://attacker.invalid","工资")'
    world.zhang.save(update_fields=["name"])
    run = approved_run(world)
    xlsx = world.hr_api.get(f"/api/v1/pay/runs/{run['id']}/payroll/?file=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    cell = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}[world.zhang.employee_no]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://attacker.invalid","工资")', "s")
    body = world.hr_api.get(f"/api/v1/pay/runs/{run['id']}/payroll/?file=csv")
    rows = {r[0]: r for r in csv.reader(io.StringIO(body.content.decode("utf-8-sig")))}
    assert rows[world.zhang.employee_no][1] == '\'=HYPERLINK("http://attacker.invalid","工资")'
    records = DownloadRecord.objects.order_by("id")
    assert list(records.values_list("kind", "object_id", "object_repr", "user_id")) == [
        ("export", str(run["id"]), f"payroll-{YEAR}.xlsx", world.hr.pk),
        ("export", str(run["id"]), f"payroll-{YEAR}.csv", world.hr.pk),
    ]
