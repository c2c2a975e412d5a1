"""The audit trail: one event per state change with actor, from→to, reason and changed data;
append-only in the model, the queryset and the database; readable by the office only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from core import audit
from core.models import AuditEvent
from core.roles import Role
from org import services
from org.models import Level, OrgUnit, Staff, Track
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory, make_ladder, make_unit, make_user_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory(username="officer", roles=[Role.HR])


def new_events(before_id):
    return list(AuditEvent.objects.filter(id__gt=before_id).order_by("id"))


def last_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- one event per service call ----------------------------------------------------------


def test_unit_create_and_move_each_write_one_event(actor):
    co = make_unit("CO")
    b = make_unit("B", co)
    start = last_id()
    unit = services.unit_create(actor=actor, code="A", name="甲", parent=co)
    services.unit_update(actor=actor, unit=unit, parent=b, name="甲乙")
    created, moved = new_events(start)
    assert (created.action, created.actor, created.actor_name) == ("create", actor, "officer")
    assert created.object_id == str(unit.pk)
    assert created.content_type == ContentType.objects.get_for_model(OrgUnit)
    assert created.changes["code"] == "A"
    assert created.changes["parent_id"] == co.pk
    assert moved.action == "update"
    assert moved.changes == {
        "depth": [1, 2],
        "name": ["甲", "甲乙"],
        "parent_id": [co.pk, b.pk],
        "path": [f"/{co.pk}/{unit.pk}/", f"/{co.pk}/{b.pk}/{unit.pk}/"],
    }


def test_an_update_that_changes_nothing_writes_no_event(actor):
    unit = make_unit("CO", name="公司")
    start = last_id()
    services.unit_update(actor=actor, unit=unit, name="公司")
    assert new_events(start) == []


def test_track_and_level_saves_write_one_event_each(actor):
    start = last_id()
    track = services.track_save(actor=actor, track=Track(code="T", name="序列"))
    level = services.level_save(
        actor=actor, level=Level(track=track, code="T1", name="一级", order=1, term_years=2)
    )
    level.allowance = Decimal("1234.50")
    services.level_save(actor=actor, level=level)
    events = new_events(start)
    assert [(e.action, e.content_type.model) for e in events] == [
        ("create", "track"),
        ("create", "level"),
        ("update", "level"),
    ]
    # Only the allowance changed: an unsaved default (int 0) and the stored "0.00" are the
    # same amount and must not show up as a change.
    assert events[2].changes == {"allowance": ["0.00", "1234.50"]}


def test_staff_create_with_level_writes_a_create_and_an_appointment_event(actor):
    l1, *_ = make_ladder()
    unit = make_unit("CO")
    start = last_id()
    staff = services.staff_create(
        actor=actor,
        employee_no="E9",
        name="新人",
        unit=unit,
        track=l1.track,
        hire_date=dt.date(2024, 1, 2),
        level=l1,
    )
    created, appointed = new_events(start)
    assert created.action == "create"
    assert created.changes["employee_no"] == "E9"
    assert created.changes["hire_date"] == "2024-01-02"
    assert appointed.action == "appoint:initial"
    assert (appointed.from_state, appointed.to_state) == ("", "L1")
    assert appointed.object_id == str(staff.pk)


def test_appoint_records_actor_from_to_reason_and_the_term(actor):
    l1, l2, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2021, 3, 1))
    start = last_id()
    appointment = services.appoint(
        actor=actor,
        staff=staff,
        level=l2,
        start=dt.date(2024, 1, 1),
        reason="promotion",
        decision="2024 认证批次",
        audit_reason="通过评审",
    )
    (event,) = new_events(start)
    assert event.actor == actor
    assert event.action == "appoint:promotion"
    assert (event.from_state, event.to_state) == ("L1", "L2")
    assert event.reason == "通过评审"
    assert event.changes == {
        "appointment": appointment.pk,
        "start": "2024-01-01",
        "end": "2027-01-01",
        "decision": "2024 认证批次",
    }
    assert event.content_type == ContentType.objects.get_for_model(Staff)


def test_staff_update_records_only_the_changed_fields(actor):
    unit_a = make_unit("A")
    unit_b = make_unit("B")
    staff = StaffFactory(unit=unit_a, name="旧名")
    start = last_id()
    services.staff_update(actor=actor, staff=staff, unit=unit_b, name="新名", status="active")
    (event,) = new_events(start)
    assert event.changes == {"name": ["旧名", "新名"], "unit_id": [unit_a.pk, unit_b.pk]}


def test_a_refused_change_leaves_no_event(actor):
    l1, l2, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2024, 5, 1))
    start = last_id()
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        services.appoint(
            actor=actor, staff=staff, level=l2, start=dt.date(2024, 1, 1), reason="promotion"
        )
    assert new_events(start) == []


def test_system_jobs_are_recorded_as_system():
    event = audit.record(actor=None, obj=make_unit("CO"), action="sync")
    assert event.actor is None
    assert event.actor_name == "system"


def test_history_lists_one_objects_events_newest_first(actor):
    unit = make_unit("CO")
    other = make_unit("X")
    services.unit_update(actor=actor, unit=unit, name="改一")
    services.unit_update(actor=actor, unit=unit, name="改二")
    services.unit_update(actor=actor, unit=other, name="别的")
    events = list(audit.history(unit))
    assert [(e.action, e.changes.get("name")) for e in events] == [
        ("update", ["改一", "改二"]),
        ("update", ["CO", "改一"]),
        ("create", "CO"),
    ]
    assert all(e.object_id == str(unit.pk) for e in events)


def test_diff_lists_only_changed_keys():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


# --- append-only -------------------------------------------------------------------------


@pytest.fixture
def event():
    return audit.record(actor=None, obj=make_unit("CO"), action="create", reason="原因")


def test_an_event_cannot_be_saved_again(event):
    event.reason = "改写"
    with pytest.raises(TypeError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == "原因"


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(TypeError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_queryset_refuses_update_and_delete(event):
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="改写")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == "原因"


def test_the_database_refuses_a_raw_update(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'forged' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == "原因"


@pytest.mark.postgres_only
def test_the_database_refuses_a_raw_delete_on_postgresql(event):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE possible: Django's test flush deletes rows there")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- API ---------------------------------------------------------------------------------


@pytest.fixture
def trail(actor):
    l1, l2, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2021, 3, 1))
    services.appoint(
        actor=actor, staff=staff, level=l2, start=dt.date(2024, 1, 1), reason="promotion"
    )
    make_unit("CO")
    return staff


def test_hr_reads_the_audit_trail_filtered_by_object_type(trail, hr_api):
    body = hr_api.get("/api/v1/audit/events/", {"object_type": "org.staff"}).json()
    assert body["count"] == 3  # create, appoint:initial, appoint:promotion
    assert {row["object_type"] for row in body["results"]} == {"org.staff"}
    assert [row["action"] for row in body["results"]] == [
        "appoint:promotion",
        "appoint:initial",
        "create",
    ]
    newest = body["results"][0]
    assert set(newest) >= {
        "id",
        "at",
        "actor",
        "actor_name",
        "object_type",
        "object_id",
        "object_repr",
        "action",
        "from_state",
        "to_state",
        "reason",
        "changes",
    }
    assert (newest["actor_name"], newest["from_state"], newest["to_state"]) == (
        "officer",
        "L1",
        "L2",
    )
    assert newest["object_id"] == str(trail.pk)


def test_audit_filters_by_object_id_and_action(trail, hr_api):
    body = hr_api.get(
        "/api/v1/audit/events/", {"object_id": trail.pk, "action": "appoint:promotion"}
    ).json()
    assert body["count"] == 1
    units = hr_api.get("/api/v1/audit/events/", {"object_type": "org.orgunit"}).json()
    # the staff member's default unit ROOT and the unit CO
    assert sorted(row["object_repr"] for row in units["results"]) == ["CO", "ROOT"]


def test_audit_api_is_read_only(trail, hr_api):
    event = AuditEvent.objects.first()
    assert hr_api.post("/api/v1/audit/events/", {"action": "x"}).status_code == 405
    assert hr_api.patch(f"/api/v1/audit/events/{event.pk}/", {"reason": "x"}).status_code == 405
    assert hr_api.delete(f"/api/v1/audit/events/{event.pk}/").status_code == 405


@pytest.mark.parametrize("roles", [[Role.STAFF], [Role.STAFF, Role.MANAGER], [Role.LEADERSHIP]])
def test_audit_api_is_403_for_everyone_but_the_office(trail, roles):
    user = make_user_for(trail, *roles) if Role.STAFF in roles else UserFactory(roles=roles)
    response = client_for(user).get("/api/v1/audit/events/")
    assert response.status_code == 403


def test_administrator_reads_the_audit_trail(trail):
    admin = UserFactory(username="root", roles=[Role.ADMIN])
    assert client_for(admin).get("/api/v1/audit/events/").status_code == 200


# --- admin -------------------------------------------------------------------------------


@pytest.fixture
def hr_admin_client(client):
    user = UserFactory(username="hr-desk", roles=[Role.HR], is_staff=True)
    client.force_login(user)
    return client


def test_hr_sees_the_audit_changelist_read_only(trail, hr_admin_client):
    response = hr_admin_client.get("/admin/core/auditevent/")
    assert response.status_code == 200
    assert "appoint:promotion" in response.content.decode()
    event = AuditEvent.objects.first()
    change_url = f"/admin/core/auditevent/{event.pk}/change/"
    page = hr_admin_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert hr_admin_client.get("/admin/core/auditevent/add/").status_code == 403
    assert hr_admin_client.post(change_url, {"reason": "forged"}).status_code == 403
    assert hr_admin_client.get(f"/admin/core/auditevent/{event.pk}/delete/").status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_staff_desk_user_without_office_role_cannot_open_the_audit_admin(trail, client):
    user = UserFactory(username="clerk", roles=[Role.LEADERSHIP], is_staff=True)
    client.force_login(user)
    assert client.get("/admin/core/auditevent/").status_code == 403
