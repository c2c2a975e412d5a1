import datetime as dt
import email
import email.policy
import socket

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from core.models import AuditEvent
from core.roles import Role
from notifications.models import Delivery, Notification
from notifications.services import Attachment, backoff, deliveries_send, notify, settings_update
from tests.channels import free_port
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory, make_user_for

pytestmark = pytest.mark.django_db

ICS = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "BEGIN:VEVENT",
        "SUMMARY:Defence",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


def _send_all() -> dict:
    return deliveries_send(ids=list(Delivery.objects.values_list("pk", flat=True)))


def test_an_email_goes_through_a_real_smtp_server_with_its_ics_attachment(smtp_sink, settings):
    settings.EMAIL_SUBJECT_PREFIX = "[Ladder] "
    user = UserFactory(email="li.lei@example.com")
    settings_update(user=user, language="en")
    notify(
        event="tests.other",
        recipients=[user],
        url="/certification/applications/7/",
        attachments=[Attachment("defence.ics", "text/calendar", ICS)],
    )

    assert _send_all() == {"sent": 1, "failed": 0, "retry": 0}

    [raw] = smtp_sink.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "[Ladder] Other thing"
    assert message["To"] == "li.lei@example.com"
    body = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert body == (
        "Something else\n\nOpen in Ladder: http://127.0.0.1:8000/certification/applications/7/"
    )
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "defence.ics"
    assert "SUMMARY:Defence" in attachment.get_content()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 1, "")
    assert delivery.sent_at is not None


def test_a_delivery_is_sent_once_even_when_two_tasks_carry_it(smtp_sink):
    notify(event="tests.other", recipients=[UserFactory(email="a@example.com")])
    _send_all()
    assert _send_all() == {"sent": 0, "failed": 0, "retry": 0}
    assert len(smtp_sink.messages) == 1


def test_the_backoff_doubles_from_the_base(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_smtp_server_fails_the_delivery_and_queues_a_retry(settings, time_machine):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.NOTIFY_MAX_ATTEMPTS = 3
    user = UserFactory(email="a@example.com")
    other = UserFactory(username="decided")

    with transaction.atomic():  # the caller: a state change and its notification
        other.first_name = "Decided"
        other.save()
        notify(event="tests.other", recipients=[user])

    # The caller's change committed and the delivery was queued once, after commit.
    other.refresh_from_db()
    assert other.first_name == "Decided"
    assert Notification.objects.filter(recipient=user).count() == 1
    first_task = DBTaskResult.objects.get()

    assert _send_all() == {"sent": 0, "failed": 0, "retry": 1}
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in delivery.last_error
    started = delivery.next_attempt_at - dt.timedelta(seconds=60)
    retry_task = DBTaskResult.objects.exclude(pk=first_task.pk).get()
    assert retry_task.run_after == delivery.next_attempt_at
    assert retry_task.args_kwargs["args"] == [[delivery.pk]]

    assert _send_all() == {"sent": 0, "failed": 0, "retry": 0}  # not due yet
    second = started + dt.timedelta(seconds=61)
    time_machine.move_to(second, tick=False)
    assert _send_all() == {"sent": 0, "failed": 0, "retry": 1}
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at == second + dt.timedelta(seconds=120)  # doubled

    time_machine.move_to(delivery.next_attempt_at, tick=False)
    assert _send_all() == {"sent": 0, "failed": 1, "retry": 0}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert "ConnectionRefusedError" in delivery.last_error


def test_a_message_reaches_the_wecom_robot_with_the_recipients_name(robot):
    staff = StaffFactory(name="韩梅梅")
    user = make_user_for(staff)
    settings_update(user=user, language="en")
    notify(event="tests.other", recipients=[user], url="/inbox/")

    assert _send_all() == {"sent": 1, "failed": 0, "retry": 0}

    [post] = robot.posts
    assert robot.paths == ["/cgi-bin/webhook/send?key=k"]
    assert post["msgtype"] == "markdown"
    assert post["markdown"]["content"] == (
        "### Other thing\nTo: 韩梅梅\n\nSomething else\n\n"
        "[Open in Ladder](http://127.0.0.1:8000/inbox/)"
    )


def test_the_dingtalk_style_has_a_title_and_a_text(robot, settings):
    settings.NOTIFY_WEBHOOK_STYLE = "dingtalk"
    user = UserFactory(username="plain")
    settings_update(user=user, language="en")
    notify(event="tests.other", recipients=[user])
    _send_all()
    [post] = robot.posts
    assert post["msgtype"] == "markdown"
    assert post["markdown"]["title"] == "Other thing"
    assert post["markdown"]["text"].startswith("### Other thing\nTo: plain\n")


@pytest.mark.parametrize(
    ("status", "answer", "error"),
    [
        (200, {"errcode": 93000, "errmsg": "invalid webhook url"}, "errcode 93000"),
        (500, {"errcode": 0}, "HTTP 500"),
        (302, {}, "HTTP 302"),  # a redirect is not followed
    ],
)
def test_a_robot_that_refuses_fails_the_attempt(robot, status, answer, error):
    robot.status, robot.answer = status, answer
    robot.headers = {"Location": "http://127.0.0.1:1/elsewhere"} if status == 302 else {}
    notify(event="tests.other", recipients=[UserFactory()])
    assert _send_all() == {"sent": 0, "failed": 0, "retry": 1}
    delivery = Delivery.objects.get()
    assert delivery.last_error.startswith(error)
    assert len(robot.posts) == 1


def test_a_webhook_host_outside_the_allow_list_is_refused_at_start_and_at_send(robot, settings):
    settings.NOTIFY_WEBHOOK_ALLOWED_HOSTS = ["qyapi.weixin.qq.com"]
    errors = [e for e in run_checks() if e.id == "notifications.E001"]
    assert len(errors) == 1
    assert "127.0.0.1" in errors[0].msg

    notify(event="tests.other", recipients=[UserFactory()])
    _send_all()
    delivery = Delivery.objects.get()
    assert (
        "127.0.0.1" in delivery.last_error and "NOTIFY_WEBHOOK_ALLOWED_HOSTS" in delivery.last_error
    )
    assert robot.posts == []


def test_no_check_error_when_the_webhook_is_allowed_or_unset(robot, settings):
    assert not [e for e in run_checks() if e.id.startswith("notifications.")]
    settings.NOTIFY_WEBHOOK_URL = ""
    assert not [e for e in run_checks() if e.id.startswith("notifications.")]


def test_the_office_retries_a_failed_delivery_now(settings, django_capture_on_commit_callbacks):
    notify(event="tests.other", recipients=[UserFactory(email="a@example.com")])
    Delivery.objects.update(status="failed", attempts=5, last_error="SMTP down")
    delivery = Delivery.objects.get()
    office = UserFactory(username="office", roles=[Role.HR])

    staff_answer = client_for(UserFactory(roles=[Role.STAFF])).post(
        f"/api/v1/notifications/deliveries/{delivery.pk}/retry/"
    )
    assert staff_answer.status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        answer = client_for(office).post(f"/api/v1/notifications/deliveries/{delivery.pk}/retry/")
    assert answer.status_code == 202
    assert (answer.json()["status"], answer.json()["attempts"]) == ("queued", 5)
    assert DBTaskResult.objects.get().args_kwargs["args"] == [[delivery.pk]]
    assert AuditEvent.objects.filter(action="retry", object_id=str(delivery.pk)).count() == 1

    # The worker's attempt: the locmem outbox of the test profile.
    assert _send_all() == {"sent": 1, "failed": 0, "retry": 0}
    assert len(mail.outbox) == 1

    again = client_for(office).post(f"/api/v1/notifications/deliveries/{delivery.pk}/retry/")
    assert again.status_code == 409


def test_one_more_failure_after_a_manual_retry_leaves_it_failed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    notify(event="tests.other", recipients=[UserFactory(email="a@example.com")])
    Delivery.objects.update(status="queued", attempts=5)
    assert _send_all() == {"sent": 0, "failed": 1, "retry": 0}
    assert Delivery.objects.get().attempts == 6


def test_closed_port_is_really_closed():
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.connect(("127.0.0.1", free_port()))
