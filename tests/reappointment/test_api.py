"""``/api/v1/certification/reappointments/``: scoped reads, office-only actions, 409 twice."""

import datetime as dt

import pytest

from core.roles import Role
from org.models import Appointment
from reappointment import services
from tests.conftest import client_for
from tests.factories import make_user_for

from .conftest import TODAY
from .factories import course, credits, requirement, term_ending

URL = "/api/v1/certification/reappointments/"
END = dt.date(2027, 1, 10)


@pytest.fixture
def cases(ladder, units, hr, grades, freeze_today):
    l2 = ladder[1]
    requirement(l2, "40", [])
    ready = term_ending(l2, END, unit=units["a"], employee_no="R1")
    credits(ready, 40, dt.date(2026, 6, 1))
    short = term_ending(l2, END, unit=units["a"], employee_no="S1")
    credits(short, 36, dt.date(2026, 6, 1))
    other = term_ending(l2, END, unit=units["b"], employee_no="O1")
    ids = list(Appointment.objects.order_by("staff__employee_no").values_list("pk", flat=True))
    review = services.review_open(actor=hr, appointment_ids=ids, today=TODAY)
    by_no = {c.staff.employee_no: c for c in review.cases.select_related("staff")}
    return {"ready": ready, "short": short, "other": other, "cases": by_no, "review": review}


def test_office_lists_every_case_with_evidence(cases, hr):
    response = client_for(hr).get(URL)
    assert response.status_code == 200
    rows = {r["employee_no"]: r for r in response.data["results"]}
    assert set(rows) == {"O1", "R1", "S1"}
    s1 = rows["S1"]
    assert s1["status"] == "pending" and s1["outcome"] == ""
    assert s1["suggested_outcome"] == "renewed_with_conditions"
    credits_rule = next(e for e in s1["evidence"] if e["code"] == "training_credits")
    assert credits_rule["passed"] is False
    assert credits_rule["detail"] == "培训学分 36/40，差 4 分"


def test_renew_then_twice_is_409(cases, hr):
    api = client_for(hr)
    case = cases["cases"]["R1"]
    response = api.post(f"{URL}{case.pk}/renew/", {"reason": "合格"})
    assert response.status_code == 200, response.data
    assert response.data["outcome"] == "renewed"
    assert response.data["new_appointment"] is not None
    again = api.post(f"{URL}{case.pk}/renew/", {})
    assert again.status_code == 409
    assert again.data["code"] == "invalid_transition"
    assert Appointment.objects.filter(staff=cases["ready"]).count() == 2


def test_renew_short_of_credits_is_409_and_conditions_state_the_shortfall(cases, hr):
    api = client_for(hr)
    case = cases["cases"]["S1"]
    refused = api.post(f"{URL}{case.pk}/renew/", {})
    assert refused.status_code == 409 and refused.data["code"] == "conditions_not_met"
    response = api.post(
        f"{URL}{case.pk}/renew_with_conditions/", {"deadline": "2027-03-31", "reason": "限期补足"}
    )
    assert response.status_code == 200, response.data
    assert response.data["outcome"] == "renewed_with_conditions"
    assert response.data["shortfall"] == "4.00"
    assert response.data["conditions"] == "培训学分 36/40，差 4 分；须于 2027-03-31 前补足"


def test_refer(cases, hr):
    case = cases["cases"]["O1"]
    response = client_for(hr).post(f"{URL}{case.pk}/refer/", {"reason": "复核"})
    assert response.status_code == 200
    assert response.data["outcome"] == "referred" and response.data["new_appointment"] is None


@pytest.mark.parametrize(
    "body", [{"deadline": "not-a-date"}, {"deadline": "2026-11-16"}, {"reason": ["x"] * 3}]
)
def test_bad_input_is_400(cases, hr, body):
    case = cases["cases"]["S1"]
    response = client_for(hr).post(f"{URL}{case.pk}/renew_with_conditions/", body, format="json")
    assert response.status_code == 400


def test_manager_reads_own_subtree_and_may_not_act(cases, ladder, units):
    boss = term_ending(ladder[3], dt.date(2030, 1, 1), unit=units["a"], employee_no="M1")
    api = client_for(make_user_for(boss, Role.MANAGER))
    response = api.get(URL)
    assert {r["employee_no"] for r in response.data["results"]} == {"R1", "S1"}
    other = cases["cases"]["O1"]
    assert api.get(f"{URL}{other.pk}/").status_code == 404
    assert api.post(f"{URL}{other.pk}/renew/", {}).status_code == 404  # out of scope: 404
    mine = cases["cases"]["R1"]
    assert api.post(f"{URL}{mine.pk}/renew/", {}).status_code == 403  # in scope, wrong role


def test_staff_member_sees_only_own_case(cases):
    api = client_for(make_user_for(cases["short"]))
    response = api.get(URL)
    assert [r["employee_no"] for r in response.data["results"]] == ["S1"]
    assert api.get(f"{URL}{cases['cases']['R1'].pk}/").status_code == 404
    assert api.get(f"{URL}reviews/").status_code == 403


def test_open_review_through_the_api(ladder, hr, grades, freeze_today):
    staff = term_ending(ladder[1], END)
    appointment = Appointment.objects.get(staff=staff)
    api = client_for(hr)
    response = api.post(
        f"{URL}reviews/", {"appointments": [appointment.pk], "name": "2027年1月到期"}
    )
    assert response.status_code == 201, response.data
    assert response.data["total"] == 1
    again = api.post(f"{URL}reviews/", {"appointments": [appointment.pk]})
    assert again.status_code == 409
    assert api.post(f"{URL}reviews/", {"appointments": [999999]}).status_code == 400
    assert api.post(f"{URL}reviews/", {"appointments": []}).status_code == 400


@pytest.mark.parametrize("query", ["staff=abc", "review=-1", "status=nope", "within_unit=999999"])
def test_garbage_filters_never_500(cases, hr, query):
    response = client_for(hr).get(f"{URL}?{query}")
    assert response.status_code in (200, 400)


def test_list_query_count_does_not_grow_with_rows(
    ladder, hr, grades, freeze_today, django_assert_max_num_queries
):
    requirement(ladder[1], "40", [course("C1")])
    for i in range(30):
        staff = term_ending(ladder[1], END + dt.timedelta(days=i % 20), employee_no=f"Q{i:03d}")
        credits(staff, 10 + i, dt.date(2026, 6, 1))
    ids = list(Appointment.objects.values_list("pk", flat=True))
    services.review_open(actor=hr, appointment_ids=ids, today=TODAY)
    api = client_for(hr)
    with django_assert_max_num_queries(8):
        response = api.get(f"{URL}?page_size=100")
    assert response.data["count"] == 30
    with django_assert_max_num_queries(14):
        response = api.get(f"{URL}expiring/?page_size=100")
    assert response.data["count"] == 30
    with django_assert_max_num_queries(6):
        response = api.get(f"{URL}reviews/")
    assert response.data["results"][0]["total"] == 30
