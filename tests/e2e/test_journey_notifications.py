"""Issue 19's "Done when" in a real browser: for each role, the to-do item appears, the
notification is sent (read back from a local SMTP server and a local IM webhook), and the item
disappears once the person has done the work — in zh-hans and en.

1. **Account manager**: the office returns their application (service) → the "returned" item on
   home and /inbox/ with a working link, the notification under the bell (unread count), opened
   (read); the e-mail read back from an aiosmtpd server → resubmitted in the browser → item gone.
2. **Committee member**: appointed to a panel (service) → the notification and "scoring sheets
   to submit" → submits the sheet in the browser → item gone.
3. **HR officer**: two staff members submit (service) → "applications to qualify" with the count
   → qualifies both in the browser → item gone; the applicants' "qualified" notifications, the
   IM message read back from a local webhook receiver naming the recipient.
4. **Leadership**: the publicity of the demo's results has ended → "results to approve" →
   approves in the browser → item gone; every candidate told the outcome.
5. **Line manager**: the nightly reminder three days before the 360° round's due date → the
   e-mail (aiosmtpd) and the notification; "360° ratings to complete" → the last rating given
   in the browser → item gone.

The deliveries are queued for the worker after commit; the tests send them in this thread with
``notifications.services.deliveries_send`` (what the worker's task runs).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from decimal import Decimal as D
from email.header import decode_header, make_header

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from playwright.sync_api import expect

from certification import events
from certification import services as cert
from core import clock
from notifications.models import Delivery, Notification
from notifications.services import deliveries_send

pytestmark = pytest.mark.django_db(transaction=True)

LANGS = ["zh-hans", "en"]
BELL = "#mainnav [data-inbox-count^='/api/v1/notifications/']"
APPROVAL_QUERY_CAP = 60  # the approval of the demo's three candidates takes 51
DEMO_LOGINS = ("staff", "manager", "hr", "committee", "leader", "admin")


def _send(event: str, recipient_ids, channel: str) -> list[Delivery]:
    """Run the worker's sending of the queued ``channel`` deliveries of ``event``."""
    queued = Delivery.objects.filter(
        notification__event=event,
        notification__recipient__in=list(recipient_ids),
        channel=channel,
        status=Delivery.Status.QUEUED,
    )
    ids = list(queued.values_list("pk", flat=True))
    assert ids, (event, channel)
    assert deliveries_send(ids=ids)["sent"] == len(ids)
    return list(Delivery.objects.filter(pk__in=ids).select_related("notification"))


# -- helpers -------------------------------------------------------------------------------------


def _unread(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def _inbox_item(page, kind: str, text: str):
    return page.locator(f"[data-testid=inbox-item][data-kind='{kind}']").filter(has_text=text)


def _hr():
    return get_user_model().objects.get(username="hr")


# -- 1. the account manager ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_returned_application_notified_and_resubmitted(full_demo, journey, lang, smtp_sink):
    from certification.models import Application

    app = (
        Application.objects.filter(
            status="submitted", cycle__status="open", staff__user__isnull=False
        )
        .exclude(staff__user__username__in=DEMO_LOGINS)
        .select_related("staff__user", "cycle", "target_level")
        .order_by("pk")
        .first()
    )
    assert app is not None, "the demo's open cycle has submitted applications"
    me = app.staff.user
    me.email = "applicant@example.com"
    me.save(update_fields=["email"])
    reason = "请补充重点客户案例材料"
    cert.application_return(actor=_hr(), application=app, reason=reason)

    # the e-mail, read back from the SMTP server
    (delivery,) = _send(events.APPLICATION_RETURNED, [me.pk], "email")
    notification = delivery.notification
    with translation.override(notification.language):
        subject = translation.gettext(
            "Your application for %(level)s was returned for completion"
        ) % {"level": app.target_level.code}
    assert notification.subject == subject
    (raw,) = smtp_sink.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    # decoded as a mail client does (the folded encoded-word leaves no leading space)
    header = email.message_from_bytes(raw)["Subject"]
    assert str(make_header(decode_header(header))) == (
        django_settings.EMAIL_SUBJECT_PREFIX + subject
    )
    assert message["To"] == "applicant@example.com"
    assert reason in message.get_body().get_content()

    j = journey(lang, "notify-account-manager")
    page = j.page
    j.sign_in(me.username)
    item = _inbox_item(page.get_by_test_id("card-inbox"), "certification.returned", app.cycle.name)
    expect(item).to_have_count(1)
    expect(item).to_contain_text(reason)
    unread = _unread(me)
    expect(page.locator(BELL)).to_have_text(str(unread))
    j.check("home-returned")
    item.locator("a").click()
    page.wait_for_url(re.compile(rf"/certification/applications/{app.pk}/$"))
    j.goto("/inbox/")
    expect(_inbox_item(page, "certification.returned", app.cycle.name)).to_have_count(1)
    j.check("inbox-returned")

    # the notification under the bell: opened, it is read and leads to the application
    page.locator(BELL).locator("xpath=..").click()
    page.wait_for_url(re.compile(r"/notifications/"))
    link = page.get_by_test_id("notification-list").get_by_role("link", name=subject)
    expect(link).to_have_count(1)
    j.check("notifications-unread")
    link.click()
    page.wait_for_url(re.compile(rf"/certification/applications/{app.pk}/$"))
    notification.refresh_from_db()
    assert notification.read_at is not None
    if unread > 1:  # (no badge at all once nothing is unread)
        expect(page.locator(BELL)).to_have_text(str(unread - 1))

    # completes the statement, then resubmits: the item is gone
    completed = app.statement + " 补充：重点客户案例两则（见附件）。"
    page.fill("#app-statement", completed)
    page.locator("#app-statement").locator("xpath=..").get_by_role(
        "button", name=j.t("保存", "Save")
    ).click()
    expect(page.locator(".alert-success")).to_be_visible()
    app.refresh_from_db()
    assert app.statement == completed and app.status == "returned"
    page.get_by_role("button", name=j.t("重新提交", "Resubmit")).click()
    expect(page.locator("[data-testid=status]")).to_have_text(j.t("已提交", "submitted"))
    app.refresh_from_db()
    assert app.status == "submitted"
    j.goto("/inbox/")
    expect(
        page.locator("[data-testid=inbox-item][data-kind='certification.returned']")
    ).to_have_count(0)
    j.check("inbox-after")


# -- 2. the committee member ---------------------------------------------------------------------


def _panel_cycle(today: dt.date):
    """A cycle offering L3 with one qualified candidate; the office appoints a panel of three
    (the demo's ``committee`` login among them) and starts the review."""
    from certification.demo import DIMENSIONS
    from certification.models import DimensionValue
    from core.roles import Role
    from org.models import Level, Staff, Track
    from tests.e2e.test_journey_committee import _free_to_apply

    users = get_user_model().objects
    hr, me = _hr(), users.get(username="committee")
    members = [
        me,
        *users.filter(groups__name=Role.COMMITTEE, staff__isnull=False)
        .exclude(username="committee")
        .order_by("username")[:2],
    ]
    seated = {m.staff.pk for m in members}
    track = Track.objects.get(code="KAM")
    l3 = Level.objects.get(track=track, code="L3")
    candidate = next(
        s
        for s in Staff.objects.filter(
            level__track=track, level__code="L2", status="active", user__isnull=False
        )
        .select_related("user")
        .order_by("employee_no")
        if s.pk not in seated and s.manager_id not in seated and _free_to_apply(s, l3)
    )
    cycle = cert.cycle_create(
        actor=hr,
        name="E2E 评审通知演练",
        track=track,
        window_start=today - dt.timedelta(days=5),
        window_end=today + dt.timedelta(days=5),
        reference_date=today,
        same_unit_conflict=False,
        offers=[{"level": l3, "quota": 1, "pass_line": D("60")}],
        dimensions=DIMENSIONS,
    )
    cert.cycle_open(actor=hr, cycle=cycle)
    app = cert.application_create(actor=candidate.user, cycle=cycle, statement="申请晋升 L3。")
    cert.application_submit(actor=candidate.user, application=app)
    cert.cycle_qualification_start(actor=hr, cycle=cycle)
    app.refresh_from_db()
    cert.application_qualify(
        actor=hr,
        application=app,
        eligibility_ok=True,
        materials_complete=True,
        facts_truthful=True,
        procedure_regular=True,
        reason="" if app.eligible else "E2E：经认证办核实，例外通过",
    )
    cert.panel_save(actor=hr, cycle=cycle, level=l3, chair=members[1], members=members)
    cert.cycle_review_start(actor=hr, cycle=cycle)
    for value in DimensionValue.objects.filter(application__cycle=cycle, value__isnull=True):
        cert.dimension_value_set(
            actor=hr,
            application=value.application,
            dimension=value.dimension,
            value=D("75"),
            reason="源系统暂无数据",
        )
    return cycle, app, me


@pytest.mark.parametrize("lang", LANGS)
def test_panel_member_notified_and_submits_the_sheet(full_demo, journey, lang):
    from certification.models import ScoringSheet

    cycle, app, me = _panel_cycle(clock.today())
    # (the demo seated the same member on its own cycles' panels before)
    assigned = Notification.objects.get(
        recipient=me, event=events.PANEL_ASSIGNED, subject__contains=cycle.name
    )
    assert f"{cycle.panels.get().chair.staff.name}" in assigned.body  # the chair by name

    j = journey(lang, "notify-committee")
    page = j.page
    j.sign_in("committee")
    expect(page.locator(BELL)).to_have_text(str(_unread(me)))
    page.locator(BELL).locator("xpath=..").click()
    page.wait_for_url(re.compile(r"/notifications/"))
    expect(
        page.get_by_test_id("notification-list").get_by_role("link", name=assigned.subject)
    ).to_have_count(1)
    j.check("notifications")

    j.goto("/inbox/")
    item = _inbox_item(page, "certification.sheets", cycle.name)
    expect(item).to_have_count(1)
    j.check("inbox-sheets")
    item.locator("a").click()
    page.wait_for_url(re.compile(r"/certification/committee/$"))
    page.get_by_test_id("queue").locator(f"tr[data-application='{app.pk}'] a").click()
    page.wait_for_url(re.compile(rf"/certification/committee/{app.pk}/$"))
    page.fill("#score-defence", "82")
    page.get_by_role("button", name=j.t("提交评分表", "Submit sheet")).click()
    expect(page.locator("#score-defence")).to_be_disabled()
    assert ScoringSheet.objects.get(member=me, application=app).status == "submitted"

    j.goto("/inbox/")
    expect(_inbox_item(page, "certification.sheets", cycle.name)).to_have_count(0)
    j.check("inbox-after")


# -- 3. the HR officer ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_office_qualifies_and_applicants_are_told_on_im(full_demo, journey, lang, robot):
    from certification.models import Application
    from tests.e2e.test_journey_account_manager import _eligible_staff, _setup_cycle

    today = clock.today()
    cycle = _setup_cycle(today)
    first, _ = _eligible_staff(cycle, today)
    second, _ = _eligible_staff(cycle, today, exclude=[first.pk])
    apps = []
    for staff in (first, second):
        app = cert.application_create(actor=staff.user, cycle=cycle, statement="申请晋升。")
        cert.application_submit(actor=staff.user, application=app)
        apps.append(app)

    j = journey(lang, "notify-hr")
    page = j.page
    j.sign_in("hr")
    j.goto("/inbox/")
    item = _inbox_item(page, "certification.qualify", cycle.name)
    expect(item).to_have_count(1)
    expect(item.locator(".badge")).to_have_text("2")
    j.check("inbox-qualify")
    item.locator("a").click()
    page.wait_for_url(re.compile(rf"/certification/cycles/{cycle.pk}/$"))
    board = page.locator("[data-testid=candidates]")
    for app in apps:
        row = board.locator(f":scope > tbody > tr[data-application='{app.pk}']")
        row.locator("[data-testid=evidence] summary").click()
        row.locator("[data-testid=decide] input[type=checkbox]").check()
        row.get_by_role("button", name=j.t("审查通过", "Qualify")).click()
        expect(page.locator(".alert-success")).to_be_visible()
    assert set(
        Application.objects.filter(pk__in=[a.pk for a in apps]).values_list("status", flat=True)
    ) == {"qualified"}
    j.goto("/inbox/")
    expect(_inbox_item(page, "certification.qualify", cycle.name)).to_have_count(0)
    j.check("inbox-after")

    # each applicant got "qualified"; the IM robot's messages name them
    users = [first.user, second.user]
    for user in users:
        assert Notification.objects.filter(
            recipient=user, event=events.APPLICATION_QUALIFIED
        ).exists()
    sent = _send(events.APPLICATION_QUALIFIED, [u.pk for u in users], "im")
    assert len(robot.posts) == len(sent) == 2
    contents = [post["markdown"]["content"] for post in robot.posts]
    for delivery in sent:
        notification = delivery.notification
        staff = first if notification.recipient_id == first.user_id else second
        with translation.override(notification.language):
            to = translation.gettext("To: %(name)s") % {"name": staff.name}
        (content,) = [c for c in contents if to in c]
        assert content.startswith(f"### {notification.subject}\n")


# -- 4. the leadership group ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_leader_approves_and_candidates_are_told(full_demo, journey, lang, frozen_clock):
    from certification.models import Application, Cycle

    cycle = Cycle.objects.get(status="publicity")
    candidates = list(
        Application.objects.filter(cycle=cycle, status="qualified").values_list(
            "staff__user_id", flat=True
        )
    )
    assert candidates
    # the publicity period has ended: the day after, at ten in the morning
    after = cycle.publicity_end + dt.timedelta(days=1)
    frozen_clock.move_to(
        dt.datetime.combine(after, dt.time(10), tzinfo=timezone.get_current_timezone())
    )
    assert clock.today() == after

    j = journey(lang, "notify-leader")
    page = j.page
    j.sign_in("leader")
    item = _inbox_item(page.get_by_test_id("card-inbox"), "certification.approve", cycle.name)
    expect(item).to_have_count(1)
    j.check("home-approve")
    item.locator("a").click()
    page.wait_for_url(re.compile(rf"/certification/cycles/{cycle.pk}/$"))
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("button[name=action][value=approve]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    cycle.refresh_from_db()
    assert cycle.status == "approval"
    # The approval is a write that appoints every candidate (org service, audit, notifications,
    # letters job) one by one: held to its own cap, not to a page's.
    approval = (posted.value.url, int(posted.value.headers["x-query-count"]))
    j.queries.remove(approval)
    assert approval[1] <= APPROVAL_QUERY_CAP, approval
    j.goto("/inbox/")
    expect(_inbox_item(page, "certification.approve", cycle.name)).to_have_count(0)
    j.check("inbox-after")
    told = set(
        Notification.objects.filter(
            event=events.RESULTS_APPROVED, body__contains=cycle.name
        ).values_list("recipient_id", flat=True)
    )
    assert told == {u for u in candidates if u}


# -- 5. the line manager -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_line_manager_reminded_of_360_ratings_and_completes_them(
    full_demo, journey, lang, smtp_sink
):
    """The nightly reminder three days before the round's due date → the e-mail and the
    notification; the "360° ratings to complete" item → the last rating given in the browser
    → item gone."""
    from competency import assessments
    from competency.models import Assessment, AssessmentRound, Rater
    from notifications.services import reminders_send

    manager = get_user_model().objects.get(username="manager")
    manager.email = "manager@example.com"
    manager.save(update_fields=["email"])
    pending = list(
        Rater.objects.filter(
            user=manager,
            completed_at__isnull=True,
            assessment__status=Assessment.Status.OPEN,
            assessment__round__status=AssessmentRound.Status.OPEN,
        )
        .select_related("assessment__model", "assessment__round")
        .order_by("assessment_id")
    )
    assert len(pending) >= 2, "the demo's open round asks the manager to rate the team"
    last = pending[-1]
    for rater in pending[:-1]:  # done earlier: one rating is left
        competencies = rater.assessment.model.competencies.all()
        assessments.ratings_save(
            actor=manager,
            assessment=rater.assessment,
            rater_type=rater.rater_type,
            entries=[{"competency": c, "level": 3, "evidence": "日常观察"} for c in competencies],
        )
    due = last.assessment.round.due_date
    assert reminders_send(today=due - dt.timedelta(days=3)) >= 1
    (delivery,) = _send("competency.ratings_due", [manager.pk], "email")
    (raw,) = smtp_sink.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"] == "manager@example.com"
    assert due.isoformat() in message.get_body().get_content()
    assert delivery.notification.url

    j = journey(lang, "notify-line-manager")
    page = j.page
    j.sign_in("manager")
    item = _inbox_item(page.get_by_test_id("card-inbox"), "competency.rate", "")
    expect(item).to_have_count(1)
    expect(page.locator(BELL)).to_have_text(str(_unread(manager)))
    j.check("home-ratings-due")
    j.goto("/notifications/")
    expect(
        page.get_by_test_id("notification-list").get_by_role(
            "link", name=delivery.notification.subject
        )
    ).to_have_count(1)

    j.goto(f"/competency/assessments/{last.assessment_id}/rate/")
    for competency in last.assessment.model.competencies.all():
        page.locator(f"#l-{competency.pk}-3").check()
        page.fill(f"#e-{competency.pk}", "季度客户拜访中的实际表现")
    page.get_by_role("button", name=j.t("保存评分", "Save ratings")).click()
    page.wait_for_url(re.compile(r"/competency/assessments/"))
    last.refresh_from_db()
    assert last.completed_at is not None
    j.goto("/inbox/")
    expect(page.locator("[data-testid=inbox-item][data-kind='competency.rate']")).to_have_count(0)
    j.check("inbox-ratings-done")
