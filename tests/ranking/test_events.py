"""Re-certification tells the staff member at each step (opened, proposed, approved, appeal
decided) and the certification office of an appeal; the appeal-deadline reminder lists exactly
the open windows, in one query.

Dates: the frozen today is Mon 30 Nov 2026; publicity 30 Nov – 4 Dec; approved Mon 7 Dec;
appeal window until Mon 14 Dec."""

import datetime as dt

import pytest
from django.db import transaction

from core.roles import Role
from notifications.models import Notification
from ranking import events, services
from ranking.models import RecertificationAppeal, RecertificationCase
from tests.factories import StaffFactory, UserFactory, make_user_for
from tests.ranking.factories import at, leader, preview, score_with, staff_with_scores

pytestmark = pytest.mark.django_db


def sent(event):
    return list(Notification.objects.filter(event=event).order_by("recipient_id"))


def only(event):
    rows = sent(event)
    assert len(rows) == 1, rows
    return rows[0]


def committed_band(scores, ladder, hr_user, *, level_index=2):
    """A committed 2025 run of 20 staff at one level, the lowest alone in the bottom band; the
    lowest and the best have logins. Returns (run, case, staff, user, best_user)."""
    scores.kpi.year = 2025
    people = staff_with_scores(scores, ladder[level_index], [50] + [70 + i for i in range(19)])
    user = make_user_for(people[0])
    best = make_user_for(people[-1])
    run = preview(hr_user, ladder[0].track, year=2025)
    services.run_commit(actor=hr_user, run=run)
    case = RecertificationCase.objects.get(run=run, staff=people[0])
    return run, case, people[0], user, best


@pytest.fixture
def proposed(scores, ladder, hr_user):
    """A case at L3 scored 50/52/54 (52.00: demoted) and proposed today; the person has a login."""
    _run, case, staff, user, _best = committed_band(scores, ladder, hr_user)
    score_with(hr_user, case, [50, 52, 54])
    case = services.recertification_case_propose(actor=hr_user, case=case, reason="panel")
    return case, staff, user


def approve(case):
    with at(dt.date(2026, 12, 7)):
        return services.recertification_case_approve(actor=leader(), case=case, reason="同意")


def test_a_committed_run_tells_each_staff_member_in_the_band(scores, ladder, hr_user, settings):
    settings.LANGUAGE_CODE = "en"
    run, case, _staff, user, _best = committed_band(scores, ladder, hr_user)
    run.refresh_from_db()
    row = only(events.CASE_OPENED)
    assert row.recipient == user  # the best of the run is not in the band: not told
    assert row.subject == "A re-certification at L3 has been opened for you"
    assert "your current level L3: you are in the bottom band of the 2025 annual ranking." in (
        row.body
    )
    assert f"pass line ({run.pass_line})" in row.body
    assert f"elimination line ({run.elimination_line})" in row.body
    assert "publishes it for 5 working days for objections" in row.body
    assert "you may appeal within 5 working days after the approval" in row.body
    assert "you cannot apply for promotion" in row.body
    assert row.url == f"/ranking/recertifications/{case.pk}/"


def test_a_referral_tells_the_staff_member_why(ladder, hr_user, settings):
    settings.LANGUAGE_CODE = "en"
    staff = StaffFactory(level=ladder[1], level_since=dt.date(2020, 1, 1))
    user = make_user_for(staff)
    services.recertification_case_open(actor=hr_user, staff=staff, reason="续聘评审转入")
    row = only(events.CASE_OPENED)
    assert row.recipient == user
    assert "L2: your term-end re-appointment review referred you to re-certification." in row.body


def test_the_proposal_tells_the_staff_member_only(proposed):
    _case, _staff, user = proposed
    row = only(events.OUTCOME_PROPOSED)
    assert (row.recipient, row.language) == (user, "zh-hans")
    assert "降一级使用" in row.subject  # the outcome label, in the default language
    assert "52.00" in row.body and "2026-12-04" in row.body


def test_the_proposal_in_english(scores, ladder, hr_user, settings):
    settings.LANGUAGE_CODE = "en"
    _run, case, _staff, _user, _best = committed_band(scores, ladder, hr_user)
    score_with(hr_user, case, [50, 52, 54])
    services.recertification_case_propose(actor=hr_user, case=case)
    row = only(events.OUTCOME_PROPOSED)
    assert row.subject == "Proposed re-certification outcome: demoted one level"
    assert "from the committee score 52.00 (pass line 60.00)" in row.body
    assert "demoted one level (under the pass line)" in row.body
    assert "from 2026-11-30 to 2026-12-04; any staff member may object until 2026-12-04" in (
        row.body
    )


def test_approval_gives_the_appeal_deadline(proposed, settings):
    settings.LANGUAGE_CODE = "en"
    case, _staff, user = proposed
    approve(case)
    row = only(events.DECISION_APPROVED)
    assert row.recipient == user
    assert row.subject == "Re-certification decision: demoted one level"
    assert "on 2026-12-07: demoted one level." in row.body
    assert "You may appeal until 2026-12-14" in row.body


def test_a_kept_level_is_final_at_approval(scores, ladder, hr_user, settings):
    settings.LANGUAGE_CODE = "en"
    _run, case, _staff, user, _best = committed_band(scores, ladder, hr_user)
    score_with(hr_user, case, [80, 82, 84])
    case = services.recertification_case_propose(actor=hr_user, case=case)
    approve(case)
    row = only(events.DECISION_APPROVED)
    assert row.recipient == user
    assert row.subject == "Re-certification decision: kept the level"
    assert "The decision is final" in row.body and "appeal" not in row.body


def test_an_appeal_goes_to_the_office_and_its_decision_to_the_staff_member(proposed, hr_user):
    other_hr = UserFactory(username="hr2", roles=[Role.HR])
    UserFactory(username="admin", roles=[Role.ADMIN])
    case, staff, user = proposed
    case = approve(case)
    appeal = services.recertification_appeal_file(actor=user, case=case, reason="客户案例未计入")
    rows = sent(events.APPEAL_FILED)
    assert [r.recipient for r in rows] == sorted([hr_user, other_hr], key=lambda u: u.pk)
    assert staff.name in rows[0].subject
    assert "客户案例未计入" in rows[0].body and "降一级使用" in rows[0].body
    services.recertification_appeal_resolve(
        actor=hr_user, appeal=appeal, decision="rescore", reason="评委回避不当"
    )
    row = only(events.APPEAL_DECIDED)
    assert row.recipient == user
    assert "评委回避不当" in row.body and "降一级使用" in row.body


def test_an_appeal_decision_in_english(proposed, hr_user, settings):
    settings.LANGUAGE_CODE = "en"
    case, _staff, user = proposed
    case = approve(case)
    appeal = services.recertification_appeal_file(actor=user, case=case, reason="x")
    services.recertification_appeal_resolve(
        actor=hr_user, appeal=appeal, decision="kept", reason="案例已核实"
    )
    row = only(events.APPEAL_DECIDED)
    assert row.subject == "Your re-certification appeal was decided: upheld: you keep your level"
    assert "(demoted one level)" in row.body
    assert "The outcome is changed to kept; the case is closed." in row.body


def test_a_rolled_back_proposal_leaves_no_notification(scores, ladder, hr_user):
    _run, case, _staff, _user, _best = committed_band(scores, ladder, hr_user)
    score_with(hr_user, case, [50, 52, 54])
    with pytest.raises(RuntimeError), transaction.atomic():
        services.recertification_case_propose(actor=hr_user, case=case)
        raise RuntimeError("the caller fails")
    assert sent(events.OUTCOME_PROPOSED) == []


# --- reminder ---------------------------------------------------------------------------------


def approved_case(level, *, until, user=True, outcome="demoted"):
    staff = StaffFactory(level=level, level_since=dt.date(2020, 1, 1))
    if user:
        make_user_for(staff)
    return RecertificationCase.objects.create(
        staff=staff,
        level=level,
        status=RecertificationCase.Status.APPROVED,
        outcome=outcome,
        appeal_until=until,
    )


def test_the_appeal_deadline_reminder_lists_open_windows_only(ladder):
    today = dt.date(2026, 11, 30)
    due = approved_case(ladder[2], until=dt.date(2026, 12, 7))
    approved_case(ladder[2], until=dt.date(2026, 11, 27))  # the window is over
    approved_case(ladder[2], until=dt.date(2026, 12, 7), user=False)  # no login
    appealed = approved_case(ladder[2], until=dt.date(2026, 12, 7))
    RecertificationAppeal.objects.create(case=appealed, filed_by=appealed.staff.user, reason="x")
    reminders = events.appeal_deadline_reminders(today)
    assert [(r.user_id, r.event, r.due, r.key) for r in reminders] == [
        (
            due.staff.user_id,
            events.APPEAL_DEADLINE,
            dt.date(2026, 12, 7),
            f"recertification:{due.pk}",
        )
    ]
    assert reminders[0].context["due"] == "2026-12-07"
    assert str(reminders[0].context["outcome"]) == "降一级使用"


def test_the_appeal_deadline_reminder_takes_one_query(ladder, django_assert_max_num_queries):
    for _ in range(5):
        approved_case(ladder[2], until=dt.date(2026, 12, 7))
    with django_assert_max_num_queries(1):
        assert len(events.appeal_deadline_reminders(dt.date(2026, 11, 30))) == 5


def test_a_panel_assignment_tells_each_new_member_once(scores, ladder, hr_user, settings):
    settings.LANGUAGE_CODE = "en"
    _run, case, staff, _user, _best = committed_band(scores, ladder, hr_user)
    first = UserFactory(username="p1", roles=[Role.COMMITTEE])
    second = UserFactory(username="p2", roles=[Role.COMMITTEE])
    services.recertification_panel_assign(actor=hr_user, case=case, members=[first])
    (row,) = sent(events.PANEL_ASSIGNED)
    assert row.recipient == first
    assert row.subject == f"You are on the re-certification panel of {staff.name}"
    assert f"re-certifying {staff.name} at L3 (chair: p1)" in row.body
    services.recertification_panel_assign(actor=hr_user, case=case, members=[first, second])
    assert [r.recipient for r in sent(events.PANEL_ASSIGNED)] == [first, second]
