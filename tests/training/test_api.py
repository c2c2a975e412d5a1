"""The training API: scope (own / subtree / all, 404 outside), contract fields, 409s, the
training summary sub-resource, and constant query counts on lists."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.roles import Role
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory
from training import services
from training.models import Enrolment, TrainingRecord

from .factories import CourseFactory, RecordFactory, SessionFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def records(world):
    course = CourseFactory(code="P01")
    return {
        s.employee_no: RecordFactory(staff=s, course=course, date=dt.date(2026, 5, 1))
        for s in (world.alice, world.bob, world.carol, world.dave, world.mgr)
    }


def _ids(response):
    assert response.status_code == 200, response.json()
    return sorted(r["employee_no"] for r in response.json()["results"])


def test_records_are_scoped(world, records, alice_api, mgr_api, hr_api):
    url = "/api/v1/training/records/"
    assert _ids(alice_api.get(url)) == ["K001"]
    assert _ids(mgr_api.get(url)) == ["K001", "K002", "K003", "M001"]
    assert _ids(hr_api.get(url)) == ["K001", "K002", "K003", "K004", "M001"]
    assert alice_api.get(f"{url}{records['K002'].pk}/").status_code == 404
    assert mgr_api.get(f"{url}{records['K004'].pk}/").status_code == 404
    assert mgr_api.get(f"{url}{records['K003'].pk}/").status_code == 200


def test_record_fields_follow_the_contract(world, records, alice_api):
    body = alice_api.get("/api/v1/training/records/").json()["results"][0]
    for field in ("staff", "course", "date", "hours", "credits", "result", "source"):
        assert field in body
    assert body["credits"] == "4.00"


def test_the_unit_filter_takes_the_subtree(world, records, hr_api):
    url = "/api/v1/training/records/"
    assert _ids(hr_api.get(url, {"unit": world.gz.pk})) == ["K001", "K002", "K003", "M001"]
    assert _ids(hr_api.get(url, {"unit": world.gz_gov.pk})) == ["K003"]
    assert hr_api.get(url, {"unit": 999999}).status_code == 400
    assert hr_api.get(url, {"staff": "abc"}).status_code == 400


def test_a_manager_cannot_filter_on_someone_outside_the_subtree(world, records, mgr_api):
    assert mgr_api.get("/api/v1/training/records/", {"staff": world.dave.pk}).status_code == 400


def test_training_summary_endpoint(world, hr_api, alice_api, mgr_api):
    etiquette = CourseFactory(code="B01")
    services.requirement_save(
        actor=None,
        level=world.level("L2"),
        min_credits_12m=D("30.00"),
        required_courses=[etiquette],
    )
    today = timezone.localdate()
    RecordFactory(staff=world.alice, date=today - dt.timedelta(days=10), credits=D("12.25"))
    RecordFactory(staff=world.alice, date=today - dt.timedelta(days=400), credits=D("50.00"))
    url = f"/api/v1/org/staff/{world.alice.pk}/training-summary/"
    body = alice_api.get(url).json()
    assert body["credits_12m"] == "12.25"
    assert body["required_credits"] == "30.00"
    assert body["shortfall"] == "17.75"
    assert [c["code"] for c in body["missing_courses"]] == ["B01"]
    assert body["met"] is False
    assert mgr_api.get(url).status_code == 200
    assert (
        hr_api.get(url, {"on_date": "2026-01-01", "level": world.level("L2").pk}).status_code == 200
    )
    # Out of scope: 404, not 403. Garbage query: 400.
    assert client_for(world.bob.user).get(url).status_code == 404
    assert hr_api.get(url, {"on_date": "not-a-date"}).status_code == 400
    assert hr_api.get(url, {"level": 999999}).status_code == 400
    assert hr_api.get("/api/v1/org/staff/999999/training-summary/").status_code == 404


def test_enrol_and_complete_through_the_api(world, hr_api, alice_api):
    session = SessionFactory(capacity=2, pass_mark=D("60"))
    url = f"/api/v1/training/sessions/{session.pk}/"
    assert alice_api.post(f"{url}enrol/", {}).status_code == 201
    assert hr_api.post(f"{url}enrol/", {"staff": world.bob.pk}).status_code == 201
    full = hr_api.post(f"{url}enrol/", {"staff": world.carol.pk})
    assert full.status_code == 409
    assert full.json()["code"] == "session_full"
    assert alice_api.get(url).json()["seats_left"] == 0
    results = {
        "results": [
            {"staff": world.alice.pk, "attended": True, "score": "88.50"},
            {"staff": world.bob.pk, "attended": True, "score": "42"},
        ]
    }
    assert alice_api.post(f"{url}results/", results).status_code == 403
    assert hr_api.post(f"{url}results/", results).status_code == 200
    done = hr_api.post(f"{url}complete/", {})
    assert done.status_code == 200
    assert done.json()["records_written"] == 1
    assert done.json()["session"]["status"] == "completed"
    twice = hr_api.post(f"{url}complete/", {})
    assert (twice.status_code, twice.json()["code"]) == (409, "invalid_transition")
    late = hr_api.post(f"{url}enrol/", {"staff": world.carol.pk})
    assert late.status_code == 409
    assert TrainingRecord.objects.filter(session=session).count() == 1


def test_enrolments_of_a_session_are_scoped(world, hr_api, alice_api):
    session = SessionFactory()
    for s in (world.alice, world.bob, world.dave):
        services.session_enrol(actor=None, session=session, staff=s)
    url = f"/api/v1/training/sessions/{session.pk}/enrolments/"
    assert _ids(alice_api.get(url)) == ["K001"]
    assert _ids(hr_api.get(url)) == ["K001", "K002", "K004"]


def test_enrolling_someone_out_of_scope_is_404_and_in_scope_non_office_403(
    world, mgr_api, alice_api
):
    session = SessionFactory()
    url = f"/api/v1/training/sessions/{session.pk}/enrol/"
    assert alice_api.post(url, {"staff": world.dave.pk}).status_code == 404
    assert mgr_api.post(url, {"staff": world.bob.pk}).status_code == 403
    assert mgr_api.post(url, {"staff": "x"}).status_code == 400
    assert Enrolment.objects.count() == 0


def test_courses_and_requirements_are_written_by_the_office_only(world, hr_api, alice_api):
    payload = {
        "code": "P09",
        "title": "商务谈判",
        "title_en": "Business negotiation",
        "category": "professional",
        "form": "off_job",
        "hours": "12.0",
        "credits": "5.50",
    }
    assert alice_api.post("/api/v1/training/courses/", payload).status_code == 403
    created = hr_api.post("/api/v1/training/courses/", payload)
    assert created.status_code == 201, created.json()
    assert created.json()["credits"] == "5.50"
    assert created.json()["competencies"] == []
    assert hr_api.post("/api/v1/training/courses/", payload).status_code == 400  # code taken
    bad = hr_api.post("/api/v1/training/courses/", {**payload, "code": "P10", "credits": "-1"})
    assert bad.status_code == 400
    requirement = {
        "level": world.level("L3").pk,
        "min_credits_12m": "40.00",
        "required_courses": [created.json()["id"]],
    }
    response = hr_api.post("/api/v1/training/requirements/", requirement)
    assert response.status_code == 201, response.json()
    assert response.json()["min_credits_12m"] == "40.00"
    assert hr_api.post("/api/v1/training/requirements/", requirement).status_code == 400
    listed = alice_api.get("/api/v1/training/requirements/").json()["results"]
    assert [(r["level"], r["required_courses"]) for r in listed] == [
        (world.level("L3").pk, [created.json()["id"]])
    ]


def test_session_dates_are_validated(world, hr_api):
    course = CourseFactory()
    payload = {"course": course.pk, "start": "2026-12-10", "end": "2026-12-09", "capacity": 10}
    assert hr_api.post("/api/v1/training/sessions/", payload).status_code == 400
    payload["end"] = "2026-12-10"
    assert hr_api.post("/api/v1/training/sessions/", payload).status_code == 201
    assert hr_api.post("/api/v1/training/sessions/", {**payload, "capacity": 0}).status_code == 400


def test_list_endpoints_take_a_constant_number_of_queries(
    world, hr_api, django_assert_max_num_queries
):
    courses = [CourseFactory() for _ in range(30)]
    people = [StaffFactory(unit=world.gz_ka) for _ in range(30)]
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            staff=s,
            course=c,
            date=dt.date(2026, 5, 1),
            hours=D(1),
            credits=D(1),
            result="passed",
            source="import",
        )
        for s in people
        for c in courses[:3]
    )
    for c in courses[:20]:
        SessionFactory(course=c)
    services.requirement_save(
        actor=None, level=world.level("L1"), min_credits_12m=D(20), required_courses=courses[:5]
    )
    services.requirement_save(
        actor=None, level=world.level("L2"), min_credits_12m=D(30), required_courses=courses[:5]
    )
    for url in (
        "/api/v1/training/records/?page_size=100",
        "/api/v1/training/courses/?page_size=100",
        "/api/v1/training/sessions/?page_size=100",
        "/api/v1/training/requirements/",
        "/api/v1/training/certificates/",
        "/api/v1/training/packages/",
    ):
        with django_assert_max_num_queries(8):
            assert hr_api.get(url).status_code == 200, url


def test_a_user_without_staff_record_sees_no_records(world, records):
    outsider = client_for(UserFactory(username="outsider", roles=[Role.STAFF]))
    assert outsider.get("/api/v1/training/records/").json()["count"] == 0
    assert (
        outsider.post(f"/api/v1/training/sessions/{SessionFactory().pk}/enrol/", {}).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/api/v1/training/records/?staff=99999999999999999999", None),
        ("get", "/api/v1/training/records/?course=9223372036854775808", None),
        ("get", "/api/v1/training/records/?unit=-1&date_from=2026-02-30", None),
        ("get", "/api/v1/training/records/export/?session=abc", None),
        ("get", "/api/v1/training/courses/?competency=99999999999999999999", None),
        ("get", "/api/v1/training/sessions/?course=99999999999999999999", None),
        ("get", "/api/v1/org/staff/1/training-summary/?level=99999999999999999999", None),
        ("post", "/api/v1/training/sessions/1/enrol/", {"staff": 99999999999999999999}),
        ("post", "/api/v1/training/courses/", {"competencies": [99999999999999999999]}),
        ("post", "/api/v1/training/requirements/", {"level": 99999999999999999999}),
        ("post", "/api/v1/training/packages/1/use/", {"amount": "1e400"}),
    ],
)
def test_garbage_ids_and_numbers_are_400_or_404_never_500(world, hr_api, method, url, data):
    SessionFactory(pk=1)
    response = getattr(hr_api, method)(url, data) if data else getattr(hr_api, method)(url)
    assert response.status_code in (400, 404), response.content[:300]
