import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from notifications import reminders
from notifications.models import Delivery, Notification, ReminderSent
from notifications.services import notify, settings_update
from tests.clock import days
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_digest_sends_one_email_per_person_summarising_their_held_deliveries(settings):
    settings.EMAIL_SUBJECT_PREFIX = "[Ladder] "
    reader = UserFactory(username="reader", email="reader@example.com")
    settings_update(user=reader, digest=True, language="en")
    single = UserFactory(username="single", email="single@example.com")
    notify(event="tests.other", recipients=[reader, single], url="/inbox/")
    notify(event="tests.ping", recipients=[reader], context={"n": 1, "total": 2})
    assert Delivery.objects.filter(status="held_for_digest").count() == 2

    out = StringIO()
    call_command("notifications_digest", stdout=out)

    assert out.getvalue().strip() == (
        "1 digest message(s) for 2 notification deliveries; 0 failed."
    )
    [message] = mail.outbox
    assert message.to == ["reader@example.com"]
    assert message.subject == "[Ladder] Daily digest of 2026-11-30: 2 notifications"
    assert message.body == (
        "- Other thing\n  http://127.0.0.1:8000/inbox/\n- To do\n\n"
        "Open in Ladder: http://127.0.0.1:8000/notifications/"
    )
    held = Delivery.objects.filter(notification__recipient=reader)
    assert sorted(held.values_list("status", "attempts")) == [("sent", 1), ("sent", 1)]
    # The other person's single e-mail is still the worker's (queued), not the digest's.
    assert Delivery.objects.get(notification__recipient=single).status == "queued"

    call_command("notifications_digest", stdout=StringIO())
    assert len(mail.outbox) == 1  # nothing held any more


def test_the_digest_of_a_past_date_leaves_later_notifications_held(settings):
    reader = UserFactory(email="reader@example.com")
    settings_update(user=reader, digest=True)
    notify(event="tests.other", recipients=[reader])
    call_command("notifications_digest", "--date", "2026-11-29", stdout=StringIO())
    assert mail.outbox == []
    assert Delivery.objects.get().status == "held_for_digest"


def test_the_digest_runs_a_constant_number_of_queries(django_assert_max_num_queries):
    readers = [UserFactory(email=f"r{i}@example.com") for i in range(12)]
    for reader in readers:
        settings_update(user=reader, digest=True)
    notify(event="tests.other", recipients=readers)
    notify(event="tests.other", recipients=readers)
    with django_assert_max_num_queries(4):
        call_command("notifications_digest", stdout=StringIO())
    assert len(mail.outbox) == 12


class Source:
    """A reminder source for the tests: returns what it is given."""

    def __init__(self):
        self.items: list[reminders.Reminder] = []

    def __call__(self, today: dt.date):
        return list(self.items)


@pytest.fixture
def source():
    s = Source()
    reminders.register(s)
    yield s
    reminders.SOURCES.remove(s)


def test_reminders_go_out_three_and_one_days_before_and_only_once(source):
    ann = UserFactory(username="ann")
    ben = UserFactory(username="ben")
    settings_update(user=ann, language="en")
    source.items = [
        reminders.Reminder(ann.pk, "tests.ping", days(3), "sheet:1", "/s/1/", {"n": 1, "total": 3}),
        reminders.Reminder(ben.pk, "tests.ping", days(3), "sheet:1", "/s/1/", {"n": 1, "total": 3}),
        reminders.Reminder(ann.pk, "tests.ping", days(2), "sheet:2", "/s/2/", {"n": 2, "total": 3}),
        reminders.Reminder(ben.pk, "tests.other", days(1), "sheet:3", "", {}),
        reminders.Reminder(ben.pk, "tests.other", days(-1), "sheet:4", "", {}),
    ]

    out = StringIO()
    call_command("notifications_remind", stdout=out)
    assert out.getvalue().strip() == "3 reminder(s) sent."
    sent = sorted(Notification.objects.values_list("recipient__username", "event", "url", "body"))
    assert sent == [
        ("ann", "tests.ping", "/s/1/", "Page 1 of 3"),
        ("ben", "tests.other", "", "Something else"),
        ("ben", "tests.ping", "/s/1/", "第 1 页，共 3 页"),
    ]
    assert ReminderSent.objects.count() == 3

    call_command("notifications_remind", stdout=out)  # a re-run the same night
    assert Notification.objects.count() == 3

    # Two days later the first sheet is due tomorrow: its one-day reminder goes out.
    before = set(Notification.objects.values_list("pk", flat=True))
    call_command("notifications_remind", "--date", days(2).isoformat(), stdout=out)
    assert sorted(
        Notification.objects.exclude(pk__in=before).values_list("recipient__username", "url")
    ) == [("ann", "/s/1/"), ("ben", "/s/1/")]
    assert set(ReminderSent.objects.values_list("days_before", flat=True)) == {3, 1}


def test_the_days_before_are_configurable(source, settings):
    settings.NOTIFY_REMIND_DAYS_BEFORE = [7]
    user = UserFactory()
    source.items = [
        reminders.Reminder(user.pk, "tests.other", days(7), "x", "", {}),
        reminders.Reminder(user.pk, "tests.other", days(3), "y", "", {}),
    ]
    call_command("notifications_remind", stdout=StringIO())
    assert list(ReminderSent.objects.values_list("key", "days_before")) == [("x", 7)]


def test_switching_the_digest_off_sends_what_it_held_and_the_digest_no_longer_does(
    settings, django_capture_on_commit_callbacks
):
    reader = UserFactory(email="reader@example.com")
    settings_update(user=reader, digest=True)
    notify(event="tests.other", recipients=[reader])
    notify(event="tests.ping", recipients=[reader], context={"n": 1, "total": 2})
    assert Delivery.objects.filter(status="held_for_digest").count() == 2

    with django_capture_on_commit_callbacks() as callbacks:
        settings_update(user=reader, digest=False)
    # Released to the worker (queued, handed over after commit), not left for a digest.
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["queued", "queued"]
    assert len(callbacks) == 1

    call_command("notifications_digest", stdout=StringIO())
    assert mail.outbox == []
    # Changing another preference with the digest already off releases nothing twice.
    with django_capture_on_commit_callbacks() as callbacks:
        settings_update(user=reader, language="en")
    assert callbacks == []
