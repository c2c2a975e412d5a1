"""The certification services tell exactly the people concerned, in their language, in the
service's transaction; the reminder sources list exactly what is due, in one query."""

import datetime as dt

import pytest
from django.db import transaction

from certification import events, services
from certification.models import Objection
from core.roles import Role
from notifications.models import Notification
from tests.certification.factories import (
    COMMITTEE_ONLY,
    TODAY,
    advance,
    applicant,
    apply_and_qualify,
    committee_member,
    make_cycle,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sent(event):
    return list(Notification.objects.filter(event=event).order_by("recipient_id"))


def only(event):
    rows = sent(event)
    assert len(rows) == 1, rows
    return rows[0]


def submitted_application(hr, ladder, username="applicant"):
    cycle = make_cycle(hr, ladder, name="2026 晋升认证", status="open")
    _staff, user = applicant(ladder[1], username=username)
    app = services.application_create(actor=user, cycle=cycle, statement="业绩", today=TODAY)
    services.application_submit(actor=user, application=app, today=TODAY)
    return cycle, app, user


# --- applications -----------------------------------------------------------------------------


def test_submitting_tells_the_applicant_only(ladder, hr, fake):
    UserFactory(username="someone-else", roles=[Role.STAFF])
    _cycle, app, user = submitted_application(hr, ladder)
    row = only(events.APPLICATION_SUBMITTED)
    assert row.recipient == user
    assert row.language == "zh-hans"
    assert "L3" in row.subject
    assert "2026 晋升认证" in row.body and "2026-11-30" in row.body
    assert row.url == f"/certification/applications/{app.pk}/"


def test_submitted_message_in_english(ladder, hr, fake, settings):
    settings.LANGUAGE_CODE = "en"
    submitted_application(hr, ladder)
    row = only(events.APPLICATION_SUBMITTED)
    assert row.language == "en"
    assert row.subject == "Your application for L3 has been received"
    assert row.body.startswith(
        "Your promotion application for L3 in 2026 晋升认证 was submitted on 2026-11-30."
    )
    assert "You may withdraw the application until the committee review starts." in row.body


def test_returned_tells_the_applicant_the_reason(ladder, hr, fake, settings):
    settings.LANGUAGE_CODE = "en"
    _cycle, app, user = submitted_application(hr, ladder)
    services.application_return(actor=hr, application=app, reason="缺少业绩证明")
    row = only(events.APPLICATION_RETURNED)
    assert row.recipient == user
    assert row.subject == "Your application for L3 was returned for completion"
    assert "Reason: 缺少业绩证明" in row.body
    assert "submit it again" in row.body


def test_rejected_tells_the_applicant_the_reason(ladder, hr, fake):
    _cycle, app, user = submitted_application(hr, ladder)
    services.application_reject(actor=hr, application=app, reason="不符合条件")
    row = only(events.APPLICATION_REJECTED)
    assert (row.recipient, row.language) == (user, "zh-hans")
    assert "不符合条件" in row.body and "L3" in row.subject


def test_qualified_tells_the_applicant(ladder, hr, fake, settings):
    settings.LANGUAGE_CODE = "en"
    cycle = make_cycle(hr, ladder, status="open")
    _, user = applicant(ladder[1], username="q")
    apply_and_qualify(cycle, hr, user)
    row = only(events.APPLICATION_QUALIFIED)
    assert row.recipient == user
    assert row.subject == "Your application for L3 passed the qualification review"


def test_a_rolled_back_decision_leaves_no_notification(ladder, hr, fake):
    _cycle, app, _user = submitted_application(hr, ladder)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.application_reject(actor=hr, application=app, reason="不符合条件")
        assert len(sent(events.APPLICATION_REJECTED)) == 1
        raise RuntimeError("the caller fails after the service")
    assert sent(events.APPLICATION_REJECTED) == []
    app.refresh_from_db()
    assert app.status == "submitted"


# --- committee ----------------------------------------------------------------------------------


def test_panel_assignment_tells_each_new_member_once(ladder, hr, fake, settings):
    settings.LANGUAGE_CODE = "en"
    cycle = make_cycle(hr, ladder, name="C1", status="open")
    chair, chair_staff = committee_member("chair", level=ladder[4])
    m1, _ = committee_member("m1", level=ladder[4])
    m2, _ = committee_member("m2", level=ladder[4])
    panel = services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=chair, members=[m1])
    assert [n.recipient for n in sent(events.PANEL_ASSIGNED)] == [chair, m1]
    row = sent(events.PANEL_ASSIGNED)[0]
    assert row.subject == "You are on the review panel of L3 in C1"
    # the chair by name, never by login
    assert f"(chair: {chair_staff.name})" in row.body
    services.panel_save(
        actor=hr, cycle=cycle, level=ladder[2], chair=chair, members=[m1, m2], panel=panel
    )
    assert [n.recipient for n in sent(events.PANEL_ASSIGNED)] == [chair, m1, m2]


def reviewed_cycle(hr, ladder, scores=(88,)):
    """A cycle in review with one candidate per score, each scored by one member."""
    cycle = make_cycle(hr, ladder, name="C1", dimensions=COMMITTEE_ONLY, status="open")
    apps = []
    for i, _score in enumerate(scores):
        _, user = applicant(ladder[1], username=f"cand{i}")
        apps.append(apply_and_qualify(cycle, hr, user))
    member, _ = committee_member("m", level=ladder[4])
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=member, members=[member])
    advance(cycle, hr, "review")
    for app, score in zip(apps, scores, strict=True):
        sheet = services.sheet_save(actor=member, application=app, scores={"defence": score})
        services.sheet_submit(actor=member, sheet=sheet)
    return cycle, apps, member


def test_sheet_reopened_tells_the_member_with_the_reason(ladder, hr, fake, settings):
    settings.LANGUAGE_CODE = "en"
    cycle = make_cycle(hr, ladder, name="C1", dimensions=COMMITTEE_ONLY, status="open")
    cand, user = applicant(ladder[1], username="cand")
    app = apply_and_qualify(cycle, hr, user)
    chair, chair_staff = committee_member("chair", level=ladder[4])
    member, _ = committee_member("m", level=ladder[4])
    services.panel_save(
        actor=hr, cycle=cycle, level=ladder[2], chair=chair, members=[chair, member]
    )
    advance(cycle, hr, "review")
    sheet = services.sheet_save(actor=member, application=app, scores={"defence": 70})
    services.sheet_submit(actor=member, sheet=sheet)
    services.sheet_reopen(actor=chair, sheet=sheet, reason="请复核答辩分")
    row = only(events.SHEET_REOPENED)
    assert row.recipient == member
    assert row.subject == f"Your scoring sheet for {cand.name} was reopened"
    assert f"The panel chair {chair_staff.name} reopened" in row.body
    assert "Reason: 请复核答辩分" in row.body
    assert row.url == f"/certification/committee/{app.pk}/"


# --- publicity and approval ---------------------------------------------------------------------


def test_publication_tells_each_candidate_their_own_result(ladder, hr, fake, settings):
    settings.LANGUAGE_CODE = "en"
    cycle, (good, weak), _member = reviewed_cycle(hr, ladder, scores=(88, 50))
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    rows = sent(events.PUBLICITY_OPEN)
    assert [r.recipient_id for r in rows] == [good.staff.user_id, weak.staff.user_id]
    assert rows[0].subject == "The results of C1 are published"
    assert "from 2026-11-30 to 2026-12-04" in rows[0].body
    assert (
        "Your result for L3: final score 88.00, rank 1 among the candidates at or above the "
        "pass line — recommended for promotion." in rows[0].body
    )
    assert (
        "Your result for L3: final score 50.00, under the pass line — not recommended for "
        "promotion." in rows[1].body
    )
    assert "file an objection until 2026-12-04" in rows[1].body


def test_objections_go_to_the_office_and_back_to_the_objector(ladder, hr, fake, settings):
    settings.LANGUAGE_CODE = "en"
    other_hr = UserFactory(username="hr2", roles=[Role.HR])
    UserFactory(username="leader", roles=[Role.LEADERSHIP])
    UserFactory(username="admin", roles=[Role.ADMIN])
    UserFactory(username="inactive-hr", roles=[Role.HR], is_active=False)
    cycle, (app,), _member = reviewed_cycle(hr, ladder)
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    _, objector = applicant(ladder[1], username="objector")
    objection = services.objection_file(
        actor=objector, application=app, reason="业绩材料有误", today=TODAY
    )
    rows = sent(events.OBJECTION_FILED)
    assert {r.recipient for r in rows} == {hr, other_hr}
    assert len(rows) == 2
    assert rows[0].subject == f"Objection filed against the result of {app.staff.name}"
    assert "Objection: 业绩材料有误" in rows[0].body
    assert "the publicity runs until 2026-12-04" in rows[0].body

    services.objection_resolve(actor=hr, objection=objection, upheld=False, reason="查无实据")
    row = only(events.OBJECTION_RESOLVED)
    assert row.recipient == objector
    assert row.subject == f"Your objection about {app.staff.name} was dismissed"
    assert "Reason: 查无实据" in row.body


def test_an_upheld_objection_names_its_outcome(ladder, hr, fake, settings):
    settings.LANGUAGE_CODE = "en"
    cycle, (app,), _member = reviewed_cycle(hr, ladder)
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    _, objector = applicant(ladder[1], username="objector")
    objection = services.objection_file(actor=objector, application=app, reason="造假", today=TODAY)
    services.objection_resolve(
        actor=hr, objection=objection, upheld=True, outcome="reject", reason="经查属实"
    )
    row = only(events.OBJECTION_RESOLVED)
    assert row.recipient == objector
    assert "upheld: the application is rejected" in row.body
    assert Objection.objects.get().status == "upheld"


def test_approval_tells_each_candidate_their_outcome(ladder, hr, leader, fake, settings):
    settings.LANGUAGE_CODE = "en"
    cycle, (good, weak), _member = reviewed_cycle(hr, ladder, scores=(88, 50))
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    services.cycle_approve(actor=leader, cycle=cycle, today=dt.date(2026, 12, 7))
    rows = sent(events.RESULTS_APPROVED)
    assert [r.recipient_id for r in rows] == [good.staff.user_id, weak.staff.user_id]
    assert rows[0].subject == "Outcome of your promotion application: promoted"
    assert "approved the results of C1 on 2026-12-07" in rows[0].body
    assert "Your appointment at L3 starts on 2026-12-07" in rows[0].body
    assert rows[1].subject == "Outcome of your promotion application: not promoted"
    assert "You keep your current level." in rows[1].body


def test_approval_messages_default_to_chinese_rendering(ladder, hr, leader, fake):
    cycle, (good,), _member = reviewed_cycle(hr, ladder)
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    services.cycle_approve(actor=leader, cycle=cycle, today=dt.date(2026, 12, 7))
    row = only(events.RESULTS_APPROVED)
    assert (row.recipient_id, row.language) == (good.staff.user_id, "zh-hans")
    assert "C1" in row.body and "2026-12-07" in row.body


# --- reminders ------------------------------------------------------------------------------------


def test_window_closing_reminds_applicants_with_a_draft(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, name="C1", status="open")
    _draft_staff, draft_user = applicant(ladder[1], username="drafter")
    draft = services.application_create(actor=draft_user, cycle=cycle, statement="x", today=TODAY)
    _cycle, _submitted, _user = submitted_application(hr, ladder, username="sender")
    closed = make_cycle(hr, ladder, name="C0", window=(TODAY, TODAY), status="open")
    _, late_user = applicant(ladder[1], username="late")
    services.application_create(actor=late_user, cycle=closed, statement="x", today=TODAY)
    reminders = events.window_closing_reminders(TODAY + dt.timedelta(days=1))
    assert [(r.user_id, r.event, r.due, r.key) for r in reminders] == [
        (draft_user.pk, events.WINDOW_CLOSING, cycle.window_end, f"application:{draft.pk}")
    ]
    assert reminders[0].context == {"cycle": "C1", "level": "L3", "due": "2026-12-31"}
    assert reminders[0].url == f"/certification/applications/{draft.pk}/"


def test_window_closing_reminders_take_one_query(ladder, hr, fake, django_assert_max_num_queries):
    cycle = make_cycle(hr, ladder, status="open")
    for i in range(6):
        _, user = applicant(ladder[1], username=f"d{i}")
        services.application_create(actor=user, cycle=cycle, statement="x", today=TODAY)
    with django_assert_max_num_queries(1):
        assert len(events.window_closing_reminders(TODAY)) == 6


def test_publicity_ending_reminds_the_candidates_on_the_list(
    ladder, hr, fake, django_assert_max_num_queries
):
    cycle, (good, weak), _member = reviewed_cycle(hr, ladder, scores=(88, 50))
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    with django_assert_max_num_queries(1):
        reminders = events.publicity_ending_reminders(TODAY)
    assert [(r.user_id, r.due, r.key) for r in reminders] == [
        (good.staff.user_id, dt.date(2026, 12, 4), f"cycle:{cycle.pk}"),
        (weak.staff.user_id, dt.date(2026, 12, 4), f"cycle:{cycle.pk}"),
    ]
    assert events.publicity_ending_reminders(dt.date(2026, 12, 5)) == []
