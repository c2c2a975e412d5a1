"""The defence schedule (述职答辩): scheduling, moving and cancelling with their invitations and
notifications, every refusal with its message, the .ics download's scope, the office's
calendar page, the API, the candidate's and the member's pages and the inbox."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import translation
from icalendar import Calendar

from certification import services
from certification.models import Application, DeclaredConflict, Defence
from core.errors import ConflictOfInterest, DomainError, ErrorCode, InvalidTransition, RoleRequired
from core.models import AuditEvent
from notifications.models import Notification
from notifications.services import settings_update
from tests.certification.factories import (
    COMMITTEE_ONLY,
    advance,
    applicant,
    apply_and_qualify,
    committee_member,
    make_cycle,
)
from tests.clock import days
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory, make_user_for
from tests.home import home_page

pytestmark = pytest.mark.django_db
BASE = "/api/v1/certification"
SH = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC


def at(day_offset: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in Beijing time, ``day_offset`` days after the frozen today."""
    return dt.datetime.combine(days(day_offset), dt.time(hour, minute), tzinfo=SH)


def _member(name, ladder):
    user, staff = committee_member(name, level=ladder[4])
    staff.name = f"评委{name}"
    staff.save(update_fields=["name"])
    user.email = f"{name}@example.com"
    user.save(update_fields=["email"])
    return user


def _candidate(cycle, hr, ladder, name):
    staff, user = applicant(ladder[1], username=name)
    staff.name = f"候选人{name}"
    staff.save(update_fields=["name"])
    user.email = f"{name}@example.com"
    user.save(update_fields=["email"])
    return apply_and_qualify(cycle, hr, user)


@pytest.fixture
def setup(ladder, hr, fake):
    """A cycle in review offering L3, a panel of three, two qualified candidates."""
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open", name="2026 晋升认证")
    apps = [_candidate(cycle, hr, ladder, f"cand{i}") for i in range(2)]
    members = [_member(f"m{i}", ladder) for i in range(3)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    advance(cycle, hr, "review")
    return {"cycle": cycle, "apps": apps, "members": members}


def _ics(text):
    cal = Calendar.from_ical(text)
    [event] = cal.walk("VEVENT")
    return cal, event


def _attendees(event):
    values = event.get("attendee")
    values = values if isinstance(values, list) else [values]
    return sorted(str(v) for v in values)


def test_scheduling_books_the_slot_and_invites_the_candidate_and_the_panel(setup, hr, settings):
    settings.DEFAULT_FROM_EMAIL = "office@example.com"
    app = setup["apps"][0]
    defence = services.defence_schedule(
        actor=hr, application=app, starts_at=at(2, 9), place="总部 3 楼会议室"
    )
    defence.refresh_from_db()
    assert (defence.starts_at, defence.ends_at) == (at(2, 9), at(2, 9, 30))  # 30 min default
    assert (defence.sequence, defence.scheduled_by, defence.cancelled) == (0, hr, False)
    rows = Notification.objects.filter(event="certification.defence_scheduled")
    assert sorted(n.recipient.username for n in rows) == ["cand0", "m0", "m1", "m2"]
    assert {n.url for n in rows if n.recipient.username == "cand0"} == {
        f"/certification/applications/{app.pk}/"
    }
    [attachment] = rows[0].attachments
    assert attachment["filename"] == f"defence-{defence.pk}.ics"
    assert attachment["content_type"] == "text/calendar; charset=utf-8"
    cal, event = _ics(attachment["content"])
    assert str(cal["method"]) == "REQUEST"
    assert str(event["uid"]) == f"defence-{defence.pk}@127.0.0.1"
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    assert event.decoded("dtend") == dt.datetime(2026, 12, 2, 1, 30, tzinfo=UTC)
    assert event["dtstart"].to_ical() == b"20261202T010000Z"
    assert str(event["location"]) == "总部 3 楼会议室"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["organizer"]) == "mailto:office@example.com"
    assert _attendees(event) == [
        "mailto:cand0@example.com",
        "mailto:m0@example.com",
        "mailto:m1@example.com",
        "mailto:m2@example.com",
    ]
    assert "候选人cand0" in str(event["summary"])
    assert "2026 晋升认证" in str(event["description"])
    assert AuditEvent.objects.filter(action="schedule_defence", object_id=str(defence.pk)).exists()


def test_moving_keeps_the_uid_and_raises_the_sequence(setup, hr):
    app = setup["apps"][0]
    defence = services.defence_schedule(
        actor=hr, application=app, starts_at=at(2, 9), video_url="https://meet.example.com/x"
    )
    again = services.defence_schedule(
        actor=hr, application=app, starts_at=at(2, 9), video_url="https://meet.example.com/x"
    )
    assert again.sequence == 0  # the same slot asked again: nothing moves, nobody is told twice
    assert Notification.objects.filter(event__startswith="certification.defence").count() == 4
    # m1 reads English: their message is written in it, the others' in Chinese
    settings_update(user=get_user_model().objects.get(username="m1"), language="en")
    moved = services.defence_schedule(
        actor=hr,
        application=app,
        starts_at=at(3, 14),
        ends_at=at(3, 15),
        video_url="https://meet.example.com/x",
    )
    assert (moved.pk, moved.sequence) == (defence.pk, 1)
    rows = Notification.objects.filter(event="certification.defence_moved")
    assert rows.count() == 4
    _cal, event = _ics(rows[0].attachments[0]["content"])
    assert str(event["uid"]) == f"defence-{defence.pk}@127.0.0.1"
    assert event["sequence"] == 1
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    assert event.decoded("dtend") == dt.datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    assert str(event["url"]) == "https://meet.example.com/x"
    assert "location" not in event
    assert rows.get(recipient__username="m1").subject == (
        "Defence of 候选人cand0 moved to 2026-12-03 14:00–15:00"
    )
    assert rows.exclude(recipient__username="m1").filter(language="zh-hans").count() == 3
    event_row = AuditEvent.objects.get(action="move_defence", object_id=str(defence.pk))
    assert event_row.changes["starts_at"] == [
        "2026-12-02T01:00:00+00:00",
        "2026-12-03T06:00:00+00:00",
    ]


def test_cancelling_sends_the_cancellation_of_the_same_event(setup, hr):
    app = setup["apps"][0]
    defence = services.defence_schedule(actor=hr, application=app, starts_at=at(2, 9), place="A101")
    with translation.override("en"), pytest.raises(DomainError) as exc:
        services.defence_cancel(actor=hr, defence=defence, reason="  ")
    assert exc.value.code == ErrorCode.REASON_REQUIRED
    services.defence_cancel(actor=hr, defence=defence, reason="评委出差")
    defence.refresh_from_db()
    assert (defence.cancelled, defence.cancel_reason, defence.sequence) == (True, "评委出差", 1)
    rows = Notification.objects.filter(event="certification.defence_cancelled")
    assert sorted(n.recipient.username for n in rows) == ["cand0", "m0", "m1", "m2"]
    cal, event = _ics(rows[0].attachments[0]["content"])
    assert str(cal["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert (str(event["uid"]), event["sequence"]) == (f"defence-{defence.pk}@127.0.0.1", 1)
    with translation.override("en"), pytest.raises(InvalidTransition) as exc:
        services.defence_cancel(actor=hr, defence=defence, reason="again")
    assert str(exc.value) == "This defence is already cancelled."
    # scheduled again: the same invitation comes back to life with a higher sequence
    revived = services.defence_schedule(actor=hr, application=app, starts_at=at(4, 9), place="A101")
    assert (revived.pk, revived.sequence, revived.cancelled) == (defence.pk, 2, False)


def _refusal(exc_type, **kwargs):
    with translation.override("en"), pytest.raises(exc_type) as exc:
        services.defence_schedule(**kwargs)
    return exc.value


def test_a_slot_that_ends_before_it_starts_is_refused(setup, hr):
    err = _refusal(
        DomainError,
        actor=hr,
        application=setup["apps"][0],
        starts_at=at(2, 9),
        ends_at=at(2, 8, 30),
        place="A101",
    )
    assert err.code == ErrorCode.INVALID_SLOT
    assert str(err) == "The defence must end after it starts (2026-12-02 09:00 – 2026-12-02 08:30)."


def test_a_place_or_a_link_is_required(setup, hr):
    err = _refusal(DomainError, actor=hr, application=setup["apps"][0], starts_at=at(2, 9))
    assert err.code == ErrorCode.PLACE_REQUIRED
    assert str(err) == "Give the place of the defence or its video link (or both)."


def test_only_the_office_schedules(setup):
    err = _refusal(
        RoleRequired,
        actor=setup["members"][0],
        application=setup["apps"][0],
        starts_at=at(2, 9),
        place="A101",
    )
    assert str(err) == "Only the certification office (HR) may schedule defences."


def test_an_application_that_is_not_a_candidate_has_no_defence(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    _staff, user = applicant(ladder[1])
    app = services.application_create(actor=user, cycle=cycle, statement="业绩")
    services.application_submit(actor=user, application=app)
    err = _refusal(InvalidTransition, actor=hr, application=app, starts_at=at(2, 9), place="A1")
    assert str(err) == (
        "A defence is scheduled for a qualified candidate while the cycle is in qualification "
        "or committee review; this application is submitted and the cycle open for "
        "applications."
    )


def test_a_panel_member_cannot_be_in_two_places_at_once_even_across_cycles(setup, hr, ladder):
    """m1 sits on the L3 panel of this cycle and on the L4 panel of another cycle."""
    services.defence_schedule(
        actor=hr, application=setup["apps"][0], starts_at=at(2, 9), place="A101"
    )
    other = make_cycle(
        hr,
        ladder,
        dimensions=COMMITTEE_ONLY,
        status="open",
        name="2026 资深认证",
        offers=[{"level": ladder[3], "quota": 1, "pass_line": 60}],
    )
    _staff, user = applicant(ladder[2], username="senior")
    app = apply_and_qualify(other, hr, user)
    outsider = _member("x9", ladder)
    services.panel_save(
        actor=hr,
        cycle=other,
        level=ladder[3],
        chair=outsider,
        members=[outsider, setup["members"][1]],
    )
    advance(other, hr, "qualification")
    err = _refusal(DomainError, actor=hr, application=app, starts_at=at(2, 9, 15), place="B202")
    assert err.code == ErrorCode.DOUBLE_BOOKED
    assert str(err) == (
        "评委m1 already sits on the defence of 候选人cand0 (2026 晋升认证) at "
        "2026-12-02 09:00–09:30 and cannot be in two places at once."
    )
    # back to back is fine: the first one ends at 09:30
    done = services.defence_schedule(actor=hr, application=app, starts_at=at(2, 9, 30), place="B")
    assert done.starts_at == at(2, 9, 30)


def test_two_candidates_of_one_panel_cannot_overlap(setup, hr):
    services.defence_schedule(
        actor=hr, application=setup["apps"][0], starts_at=at(2, 9), place="A101"
    )
    err = _refusal(
        DomainError,
        actor=hr,
        application=setup["apps"][1],
        starts_at=at(2, 9, 20),
        place="A101",
    )
    assert str(err) == (
        "评委m0, 评委m1, 评委m2 already sits on the defence of 候选人cand0 (2026 晋升认证) at "
        "2026-12-02 09:00–09:30 and cannot be in two places at once."
    )


def test_a_candidate_cannot_have_two_overlapping_defences(setup, hr, ladder):
    app = setup["apps"][0]
    other = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, name="2026 专项认证")
    # an earlier application of the same person, booked in another cycle (set up directly)
    earlier = Application.objects.create(
        cycle=other,
        staff=app.staff,
        from_level=app.from_level,
        target_level=app.target_level,
        status=Application.Status.QUALIFIED,
    )
    Defence.objects.create(application=earlier, starts_at=at(2, 9), ends_at=at(2, 10), place="C303")
    err = _refusal(DomainError, actor=hr, application=app, starts_at=at(2, 9, 45), place="A1")
    assert err.code == ErrorCode.DOUBLE_BOOKED
    assert str(err) == (
        "候选人cand0 already has a defence (2026 专项认证) at 2026-12-02 09:00–10:00."
    )


def test_a_conflicted_panel_member_blocks_the_defence(setup, hr):
    app = setup["apps"][0]
    DeclaredConflict.objects.create(member=setup["members"][2], staff=app.staff, kind="relative")
    err = _refusal(ConflictOfInterest, actor=hr, application=app, starts_at=at(2, 9), place="A")
    assert err.code == ErrorCode.CONFLICT_OF_INTEREST
    assert str(err) == (
        "评委m2 has a conflict of interest with 候选人cand0 and may not sit on the defence; "
        "change the panel first."
    )
    assert not Defence.objects.exists()
    assert not Notification.objects.filter(event__startswith="certification.defence").exists()


def test_the_invitation_downloads_for_the_candidate_the_panel_and_the_office_only(
    setup, hr, ladder, client
):
    app = setup["apps"][0]
    defence = services.defence_schedule(actor=hr, application=app, starts_at=at(2, 9), place="A")
    url = f"/certification/defences/{defence.pk}.ics"
    stranger = StaffFactory()
    for user, expected in [
        (app.staff.user, 200),
        (setup["members"][1], 200),
        (hr, 200),
        (setup["apps"][1].staff.user, 404),
        (make_user_for(stranger), 404),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, user
        if expected == 200:
            assert response["Content-Type"] == "text/calendar; charset=utf-8"
            _cal, event = _ics(response.content)
            assert str(event["uid"]) == f"defence-{defence.pk}@127.0.0.1"


def test_a_member_who_declares_a_conflict_later_no_longer_sees_the_defence(setup, hr, client):
    app = setup["apps"][0]
    defence = services.defence_schedule(actor=hr, application=app, starts_at=at(2, 9), place="A")
    services.conflict_declare(
        actor=setup["members"][1], member=setup["members"][1], staff=app.staff, kind="relative"
    )
    client.force_login(setup["members"][1])
    assert client.get(f"/certification/defences/{defence.pk}.ics").status_code == 404


def _many(setup, hr, ladder, n):
    apps = list(setup["apps"])
    apps += [_candidate(setup["cycle"], hr, ladder, f"extra{i}") for i in range(n)]
    return apps


@pytest.mark.parametrize("n", [0, 8])
def test_the_calendar_page_costs_the_same_for_few_and_many(
    n, ladder, hr, fake, client, django_assert_max_num_queries
):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open", name="2026 晋升认证")
    apps = [_candidate(cycle, hr, ladder, f"c{i}") for i in range(2 + n)]
    members = [_member(f"m{i}", ladder) for i in range(3)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    advance(cycle, hr, "review")
    for i, app in enumerate(apps[1:]):
        services.defence_schedule(
            actor=hr, application=app, starts_at=at(1 + i // 4, 9 + i % 4), place=f"R{i}"
        )
    client.force_login(hr)
    with django_assert_max_num_queries(14):
        response = client.get(
            f"/certification/cycles/{cycle.pk}/defences/", HTTP_ACCEPT_LANGUAGE="en"
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="slot"') == 1 + n
    assert f'data-testid="defence-form-{apps[0].pk}"' in html  # unscheduled, with its form
    assert "评委m0, 评委m1, 评委m2" in html
    assert 'data-confirm="Cancel this defence?' in html
    assert 'name="viewport"' in home_page(client)  # responsive shell


def test_the_calendar_page_schedules_and_shows_a_refusal_on_the_form(setup, hr, client):
    app0, app1 = setup["apps"]
    services.defence_schedule(actor=hr, application=app0, starts_at=at(2, 9), place="A101")
    client.force_login(hr)
    url = f"/certification/cycles/{setup['cycle'].pk}/defences/"
    p = f"a{app1.pk}-"
    post = {
        "action": "schedule",
        "application": app1.pk,
        p + "date": days(2).isoformat(),
        p + "start": "09:15",
        p + "minutes": "30",
        p + "place": "A102",
    }
    response = client.post(url, post, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert "already sits on the defence of 候选人cand0" in html
    assert 'data-testid="defence-error"' in html
    post[p + "start"] = "09:30"
    response = client.post(url, post)
    assert response.status_code == 302
    assert Defence.objects.get(application=app1).starts_at == at(2, 9, 30)
    d0 = Defence.objects.get(application=app0)
    response = client.post(url, {"action": "cancel", "defence": d0.pk, "reason": "改期"})
    assert response.status_code == 302
    d0.refresh_from_db()
    assert d0.cancelled


def test_the_calendar_is_the_offices_and_linked_from_the_cycle(setup, hr, client):
    url = f"/certification/cycles/{setup['cycle'].pk}/defences/"
    client.force_login(setup["members"][0])
    assert client.get(url).status_code == 403
    client.force_login(hr)
    assert url in client.get(f"/certification/cycles/{setup['cycle'].pk}/").content.decode()


def test_the_candidate_sees_the_defence_and_the_member_sees_the_panels(setup, hr, client):
    app = setup["apps"][0]
    defence = services.defence_schedule(
        actor=hr,
        application=app,
        starts_at=at(2, 9),
        place="A101",
        video_url="https://meet.example.com/d",
    )
    client.force_login(app.staff.user)
    html = client.get(f"/certification/applications/{app.pk}/").content.decode()
    assert 'data-testid="my-defence"' in html
    assert "2026-12-02" in html and "09:00–09:30" in html and "A101" in html
    assert "https://meet.example.com/d" in html
    assert f"/certification/defences/{defence.pk}.ics" in html
    client.force_login(setup["members"][1])
    html = client.get("/certification/committee/").content.decode()
    assert f'data-defence="{defence.pk}"' in html
    assert "候选人cand0" in html


def test_the_api_schedules_moves_lists_and_cancels(setup, hr, django_assert_max_num_queries):
    cycle = setup["cycle"]
    app0, app1 = setup["apps"]
    api = client_for(hr)
    url = f"{BASE}/cycles/{cycle.pk}/defences/"
    created = api.post(
        url,
        {"application": app0.pk, "starts_at": "2026-12-02T09:00:00+08:00", "place": "A101"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["starts_at"], body["ends_at"]) == (
        "2026-12-02T09:00:00+08:00",
        "2026-12-02T09:30:00+08:00",
    )
    clash = api.post(
        url,
        {"application": app1.pk, "starts_at": "2026-12-02T09:10:00+08:00", "place": "A1"},
        format="json",
    )
    assert (clash.status_code, clash.json()["code"]) == (400, "double_booked")
    api.post(
        url,
        {"application": app1.pk, "starts_at": "2026-12-02T10:00:00+08:00", "place": "A1"},
        format="json",
    )
    with django_assert_max_num_queries(6):
        listed = api.get(url).json()["results"]
    assert [r["application"] for r in listed] == [app0.pk, app1.pk]
    moved = api.patch(
        f"{BASE}/defences/{body['id']}/", {"starts_at": "2026-12-03T14:00:00+08:00"}, format="json"
    )
    assert moved.status_code == 200
    assert (moved.json()["ends_at"], moved.json()["sequence"]) == ("2026-12-03T14:30:00+08:00", 1)
    no_reason = api.delete(f"{BASE}/defences/{body['id']}/")
    assert no_reason.status_code == 400
    cancelled = api.delete(f"{BASE}/defences/{body['id']}/?reason=改期")
    assert cancelled.status_code == 200
    assert (cancelled.json()["cancelled"], cancelled.json()["cancel_reason"]) == (True, "改期")
    member_api = client_for(setup["members"][0])
    assert member_api.get(url).status_code == 403
    assert member_api.post(url, {}, format="json").status_code == 403
    assert member_api.delete(f"{BASE}/defences/{listed[1]['id']}/?reason=x").status_code == 403


def test_the_api_lists_ones_own_defences(setup, hr, django_assert_max_num_queries):
    app0, app1 = setup["apps"]
    d0 = services.defence_schedule(actor=hr, application=app0, starts_at=at(2, 9), place="A")
    d1 = services.defence_schedule(actor=hr, application=app1, starts_at=at(2, 10), place="A")
    mine = client_for(app0.staff.user).get(f"{BASE}/defences/mine/").json()["results"]
    assert [r["id"] for r in mine] == [d0.pk]
    assert client_for(app0.staff.user).get(f"{BASE}/defences/{d1.pk}/").status_code == 404
    api = client_for(setup["members"][2])
    with django_assert_max_num_queries(8):
        mine = api.get(f"{BASE}/defences/mine/").json()["results"]
    assert [r["id"] for r in mine] == [d0.pk, d1.pk]
    outsider = client_for(UserFactory(username="nobody"))
    assert outsider.get(f"{BASE}/defences/mine/").json()["results"] == []


def _inbox(user, kind):
    items = client_for(user).get("/api/v1/inbox/", HTTP_ACCEPT_LANGUAGE="en").json()
    return [i for i in items if i["kind"] == kind]


def test_the_inbox_reminds_the_candidate_and_the_panel(setup, hr):
    app0, app1 = setup["apps"]
    d0 = services.defence_schedule(actor=hr, application=app0, starts_at=at(2, 9), place="A101")
    services.defence_schedule(actor=hr, application=app1, starts_at=at(20, 9), place="A101")
    [item] = _inbox(app0.staff.user, "certification.defence")
    assert item["title"] == "Attend your defence for 2026 晋升认证 on 2026-12-02 09:00"
    assert item["why"] == "The office scheduled your defence before the panel: A101."
    assert item["due"] == "2026-12-02"
    assert item["url"] == f"/certification/applications/{app0.pk}/"
    [item] = _inbox(setup["members"][0], "certification.defences")
    # the second defence is 20 days away: beyond the 14-day horizon
    assert (item["title"], item["count"], item["due"]) == (
        "Attend 1 defence in 2026 晋升认证",
        1,
        "2026-12-02",
    )
    services.defence_cancel(actor=hr, defence=d0, reason="改期")
    assert _inbox(app0.staff.user, "certification.defence") == []
    assert _inbox(setup["members"][0], "certification.defences") == []


@pytest.mark.parametrize("n", [1, 6])
def test_the_members_defence_inbox_costs_the_same_for_one_as_for_many(
    n, ladder, hr, fake, django_assert_max_num_queries
):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open", name="C")
    apps = [_candidate(cycle, hr, ladder, f"c{i}") for i in range(n)]
    member = _member("mm", ladder)
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=member, members=[member])
    advance(cycle, hr, "review")
    for i, app in enumerate(apps):
        services.defence_schedule(actor=hr, application=app, starts_at=at(1, 9 + i), place="A")
    with django_assert_max_num_queries(16):
        [item] = _inbox(member, "certification.defences")
    assert item["count"] == n


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_offices_booking_one_member_at_once_cannot_both_succeed(ladder, hr, fake):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (select_for_update is a no-op on SQLite)")
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    apps = [_candidate(cycle, hr, ladder, f"p{i}") for i in range(2)]
    members = [_member(f"pm{i}", ladder) for i in range(2)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    advance(cycle, hr, "review")
    barrier = threading.Barrier(2)
    outcomes = []

    def run(app):
        try:
            barrier.wait()
            services.defence_schedule(actor=hr, application=app, starts_at=at(2, 9), place="A")
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(app,)) for app in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [ErrorCode.DOUBLE_BOOKED, "ok"]
    assert Defence.objects.count() == 1


def test_the_demo_books_the_defences_of_the_cycle_in_review_once():
    from certification import demo
    from org import demo as org_demo

    today = dt.date(2026, 11, 27)  # a Friday: the first defences are on Monday
    org_demo.build(staff_count=150, today=today)
    demo.build(today=today, stdout=None)
    booked = Defence.objects.filter(application__cycle__status="review")
    assert booked.count() >= 5
    first = booked.order_by("starts_at").first()
    assert first.starts_at == dt.datetime(2026, 11, 30, 9, 0, tzinfo=SH)
    assert Notification.objects.filter(event="certification.defence_scheduled").exists()
    count = booked.count()
    demo.build(today=today, stdout=None)
    assert Defence.objects.count() == count
