"""Mentoring and job rotation: the credits rule with exact numbers, the ledger record that
makes them count like a course, HR's service, API and page."""

from decimal import Decimal

import pytest

from tests.clock import days
from training import rules, selectors, services
from training.models import Requirement, TrainingActivity, TrainingRecord

from .factories import RecordFactory

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/training/activities/"


@pytest.mark.parametrize(
    ("hours", "credits"),
    [
        ("45", "5.63"),  # 5.625 half-up
        ("44.9", "5.61"),  # 5.6125
        ("4", "0.50"),
        ("0.1", "0.01"),  # 0.0125
        ("0.04", "0.01"),  # 0.005 half-up
        ("0", "0.00"),
        ("79.9", "9.99"),  # 9.9875
        ("80", "10.00"),
        ("200", "10.00"),  # capped
    ],
)
def test_one_credit_per_8_hours_half_up_at_most_10(hours, credits):
    assert rules.activity_credits(D(hours)) == D(credits)


def test_mentoring_counts_towards_the_requirement_like_a_course(world, hr_user):
    alice = world.alice
    Requirement.objects.create(level=alice.level, min_credits_12m=D("12.00"))
    RecordFactory(staff=alice, date=days(-100), credits=D("4.00"))
    activity = services.activity_record(
        actor=hr_user,
        kind="mentoring",
        staff=alice,
        mentor=world.mgr,
        start=days(-90),
        end=days(-1),
        hours=D("45"),
        goals="大客户拜访策划",
    )
    record = activity.record
    assert (record.source, record.result, record.date, record.credits) == (
        "mentoring",
        "completed",
        days(-1),
        D("5.63"),
    )
    summary = selectors.training_summary(staff=alice)
    assert summary.credits_12m == D("9.63")
    assert summary.shortfall == D("2.37")
    services.activity_record(
        actor=hr_user,
        kind="rotation",
        staff=alice,
        host_unit=world.sz,
        start=days(-60),
        end=days(-30),
        hours=D("19"),  # 2.375 → 2.38
    )
    summary = selectors.training_summary(staff=alice)
    assert (summary.credits_12m, summary.shortfall, summary.met) == (D("12.01"), D("0"), True)
    assert selectors.credits_12m(staff_ids=[alice.pk], on_date=days(0))[alice.pk] == D("12.01")


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"kind": "mentoring"}, "invalid_staff"),  # no mentor
        ({"kind": "rotation"}, "invalid"),  # no host unit
        ({"kind": "rotation", "host": True, "end": 1}, "future_date"),
        ({"kind": "rotation", "host": True, "start": -1, "end": -2}, "invalid_dates"),
        ({"kind": "rotation", "host": True, "hours": "0"}, "invalid_amount"),
    ],
)
def test_refusals(world, hr_api, extra, code):
    body = {
        "kind": extra["kind"],
        "staff": world.alice.pk,
        "start": days(extra.get("start", -10)).isoformat(),
        "end": days(extra.get("end", -1)).isoformat(),
        "hours": extra.get("hours", "16"),
    }
    if extra.get("host"):
        body["host_unit"] = world.sz.pk
    response = hr_api.post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code
    assert not TrainingRecord.objects.exists()


def test_nobody_mentors_themselves(world, hr_api):
    body = {
        "kind": "mentoring",
        "staff": world.alice.pk,
        "mentor": world.alice.pk,
        "start": days(-10).isoformat(),
        "end": days(-1).isoformat(),
        "hours": "8",
    }
    assert hr_api.post(URL, body, format="json").json()["code"] == "invalid_staff"


def test_the_api_records_for_hr_and_lists_in_scope(world, hr_api, alice_api, mgr_api):
    body = {
        "kind": "mentoring",
        "staff": world.alice.pk,
        "mentor": world.mgr.pk,
        "start": days(-30).isoformat(),
        "end": days(-2).isoformat(),
        "hours": "24",
        "goals": "方案编写",
    }
    created = hr_api.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    out = created.json()
    assert (out["kind"], out["credits"], out["mentor_name"], out["staff_name"]) == (
        "mentoring",
        "3.00",
        "经理",
        "爱丽",
    )
    rotation = {"kind": "rotation", "staff": world.dave.pk, "host_unit": world.gz.pk}
    assert hr_api.post(URL, {**body, **rotation, "mentor": None}, format="json").status_code == 201
    assert alice_api.post(URL, body, format="json").status_code == 403
    assert [a["staff"] for a in alice_api.get(URL).json()["results"]] == [world.alice.pk]
    assert [a["staff"] for a in mgr_api.get(URL).json()["results"]] == [world.alice.pk]
    dave_activity = TrainingActivity.objects.get(staff=world.dave)
    assert mgr_api.get(f"{URL}{dave_activity.pk}/").status_code == 404
    assert len(hr_api.get(URL).json()["results"]) == 2


def test_the_page_records_and_lists_with_constant_queries(
    world, hr_client, django_assert_max_num_queries
):
    response = hr_client.post(
        "/training/activities/",
        {
            "kind": "rotation",
            "employee_no": world.bob.employee_no,
            "host_unit": world.sz.pk,
            "start": days(-40).isoformat(),
            "end": days(-10).isoformat(),
            "hours": "12",
            "goals": "",
        },
    )
    assert response.status_code == 302
    record = TrainingRecord.objects.get(staff=world.bob)
    assert (record.source, record.credits) == ("rotation", D("1.50"))
    for n in range(6):
        services.activity_record(
            actor=None,
            kind="mentoring",
            staff=world.carol,
            mentor=world.mgr,
            start=days(-50 - n),
            end=days(-5 - n),
            hours=D(8 + n),
        )
    with django_assert_max_num_queries(15):
        html = hr_client.get("/training/activities/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count("<tr>") == 8  # header + 7


def test_staff_see_their_own_but_cannot_record(world, client):
    services.activity_record(
        actor=None,
        kind="mentoring",
        staff=world.alice,
        mentor=world.mgr,
        start=days(-50),
        end=days(-5),
        hours=D(8),
    )
    client.force_login(world.bob.user)
    page = client.get("/training/activities/")
    assert page.status_code == 200
    assert "activity-form" not in page.content.decode()
    assert "爱丽" not in page.content.decode()
    assert client.post("/training/activities/", {"kind": "mentoring"}).status_code == 403
