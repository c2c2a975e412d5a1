import logging

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from notifications import selectors
from notifications.models import Delivery, Notification, NotificationSettings
from notifications.services import Message, notify, notify_each, settings_update
from notifications.tasks import send_deliveries
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_recipient_reads_the_message_in_their_language():
    zh = UserFactory(username="zh")
    en = UserFactory(username="en")
    settings_update(user=en, language="en")

    rows = notify(event="tests.ping", recipients=[zh, en, zh, None], context={"n": 2, "total": 7})

    by_user = {n.recipient_id: n for n in rows}
    assert len(rows) == 2
    assert (by_user[zh.pk].subject, by_user[zh.pk].body, by_user[zh.pk].language) == (
        "待办",
        "第 2 页，共 7 页",
        "zh-hans",
    )
    assert (by_user[en.pk].subject, by_user[en.pk].body, by_user[en.pk].language) == (
        "To do",
        "Page 2 of 7",
        "en",
    )


def test_language_of_is_the_default_until_chosen():
    user = UserFactory()
    assert selectors.language_of(user=user) == "zh-hans"
    assert not NotificationSettings.objects.exists()  # read without writing
    settings_update(user=user, language="en")
    user.refresh_from_db()
    assert selectors.language_of(user=user) == "en"


def _queries_of_notify(users) -> int:
    with CaptureQueriesContext(connection) as ctx:
        notify(event="tests.ping", recipients=users, context={"n": 1, "total": 1})
    return len(ctx.captured_queries)


def test_notify_runs_the_same_three_queries_for_one_or_thirty_recipients(settings):
    settings.NOTIFY_WEBHOOK_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"
    settings.NOTIFY_WEBHOOK_ALLOWED_HOSTS = ["qyapi.weixin.qq.com"]
    one = [UserFactory(email="a@example.com")]
    thirty = [UserFactory(email=f"u{i}@example.com") for i in range(30)]
    for i, user in enumerate(thirty[:10]):  # some with preferences, some without
        settings_update(user=user, language="en" if i % 2 else "zh-hans", digest=i % 3 == 0)

    # Recipients with their preferences; the notifications; their deliveries.
    assert _queries_of_notify(one) == 3
    assert _queries_of_notify(thirty) == 3
    assert Notification.objects.count() == 31
    assert Delivery.objects.count() == 62  # e-mail and IM for everyone


def test_notify_each_gives_everyone_their_own_message_in_the_same_three_queries():
    """Each candidate's own result, each case's own link: one message per person, in the same
    queries as notify() however many; a person named twice gets their first message."""
    users = [UserFactory() for _ in range(12)]
    settings_update(user=users[1], language="en")
    messages = [
        Message(user, {"n": i + 1, "total": 12}, f"/cases/{i + 1}/") for i, user in enumerate(users)
    ]
    with CaptureQueriesContext(connection) as ctx:
        rows = notify_each(
            event="tests.ping", messages=[*messages, Message(users[0], {"n": 99, "total": 99})]
        )
    # the recipients with their preferences; the notifications (no channel reaches these users,
    # so no deliveries — with channels it is a third, see above)
    assert len(ctx.captured_queries) == 2
    by_user = {n.recipient_id: n for n in rows}
    assert len(rows) == 12
    assert (by_user[users[0].pk].body, by_user[users[0].pk].url) == (
        "第 1 页，共 12 页",
        "/cases/1/",
    )
    assert (by_user[users[1].pk].body, by_user[users[1].pk].url) == ("Page 2 of 12", "/cases/2/")


def test_deliveries_follow_each_recipients_channels_and_preferences(settings):
    settings.NOTIFY_WEBHOOK_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"
    settings.NOTIFY_WEBHOOK_ALLOWED_HOSTS = ["qyapi.weixin.qq.com"]
    plain = UserFactory(email="plain@example.com")
    no_address = UserFactory(email="")
    digest = UserFactory(email="digest@example.com")
    settings_update(user=digest, digest=True)
    muted = UserFactory(email="muted@example.com")
    settings_update(user=muted, muted_events=["tests.other"])
    no_mail = UserFactory(email="nomail@example.com")
    settings_update(user=no_mail, email_enabled=False)

    notify(event="tests.other", recipients=[plain, no_address, digest, muted, no_mail])

    rows = {
        (d.notification.recipient.username, d.channel): d.status
        for d in Delivery.objects.select_related("notification__recipient")
    }
    assert rows == {
        (plain.username, "email"): "queued",
        (plain.username, "im"): "queued",
        (no_address.username, "im"): "queued",
        (digest.username, "email"): "held_for_digest",
        (digest.username, "im"): "held_for_digest",
        (muted.username, "email"): "skipped",
        (muted.username, "im"): "skipped",
        (no_mail.username, "email"): "skipped",
        (no_mail.username, "im"): "queued",
    }


def test_the_queued_deliveries_are_handed_to_the_worker_after_commit(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="a@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(event="tests.other", recipients=[user])
    assert DBTaskResult.objects.count() == 0  # nothing before the commit
    for callback in callbacks:
        callback()
    task = DBTaskResult.objects.get()
    assert task.task_path == "notifications.tasks.send_deliveries"
    assert task.args_kwargs["args"] == [[Delivery.objects.get().pk]]


def test_a_queue_that_cannot_be_written_is_logged_and_never_raised(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    user = UserFactory(email="a@example.com")

    def broken(*args, **kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(type(send_deliveries), "enqueue", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        notify(event="tests.other", recipients=[user])
    assert "Could not queue notification deliveries" in caplog.text
    assert Delivery.objects.get().status == "queued"


@pytest.mark.django_db(transaction=True)
def test_the_callers_transaction_commits_even_when_the_queue_fails(monkeypatch):
    user = UserFactory(email="a@example.com")

    def broken(*args, **kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(type(send_deliveries), "enqueue", broken)
    with transaction.atomic():
        notify(event="tests.other", recipients=[user])
    assert Notification.objects.filter(recipient=user).count() == 1
    assert Delivery.objects.get().status == "queued"


def test_an_unknown_event_is_refused():
    from core.errors import DomainError

    with pytest.raises(DomainError):
        notify(event="tests.nothing", recipients=[UserFactory()])
