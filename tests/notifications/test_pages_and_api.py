import pytest
from django.test import Client

from core.roles import Role
from notifications.models import Delivery, Notification
from notifications.services import notify
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _web(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _many(user, n: int) -> None:
    for i in range(n):
        notify(event="tests.ping", recipients=[user], context={"n": i, "total": n}, url=f"/x/{i}/")


@pytest.mark.parametrize("n", [1, 40])
def test_the_notifications_page_runs_a_capped_number_of_queries(n, django_assert_max_num_queries):
    user = UserFactory()
    _many(user, n)
    client = _web(user)
    with django_assert_max_num_queries(6):
        page = client.get("/notifications/?show=all")
    assert page.status_code == 200
    assert page.content.decode().count('href="/notifications/') >= min(n, 30)


def test_unread_and_all_filters_and_marking_read():
    user = UserFactory()
    _many(user, 2)
    first, second = Notification.objects.order_by("pk")
    client = _web(user)

    opened = client.get(f"/notifications/{first.pk}/open/")
    assert (opened.status_code, opened["Location"]) == (302, "/x/0/")
    first.refresh_from_db()
    assert first.read_at is not None

    unread = client.get("/notifications/").content.decode()
    assert f"/notifications/{second.pk}/open/" in unread
    assert f"/notifications/{first.pk}/open/" not in unread
    every = client.get("/notifications/?show=all").content.decode()
    assert f"/notifications/{first.pk}/open/" in every

    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_an_offsite_link_is_not_followed():
    user = UserFactory()
    notify(event="tests.other", recipients=[user], url="https://evil.example.com/")
    n = Notification.objects.get()
    answer = _web(user).get(f"/notifications/{n.pk}/open/")
    assert answer["Location"] == "/notifications/"


def test_another_persons_notification_is_404_on_pages():
    owner, other = UserFactory(), UserFactory()
    notify(event="tests.other", recipients=[owner])
    n = Notification.objects.get()
    client = _web(other)
    assert client.get(f"/notifications/{n.pk}/open/").status_code == 404
    assert client.post(f"/notifications/{n.pk}/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_the_settings_page_saves_language_channels_digest_and_opt_outs():
    user = UserFactory()
    client = _web(user)
    page = client.get("/notifications/settings/").content.decode()
    assert 'value="tests.ping"' in page and 'value="tests.other"' in page

    answer = client.post(
        "/notifications/settings/",
        {"language": "en", "email_enabled": "on", "digest": "on", "sent_events": ["tests.ping"]},
    )
    assert answer.status_code == 302
    prefs = user.notification_settings
    prefs.refresh_from_db()
    assert (prefs.language, prefs.email_enabled, prefs.im_enabled, prefs.digest) == (
        "en",
        True,
        False,
        True,
    )
    assert "tests.other" in prefs.muted_events and "tests.ping" not in prefs.muted_events


@pytest.mark.parametrize("n", [1, 40])
def test_the_delivery_log_is_the_offices_with_capped_queries(n, django_assert_max_num_queries):
    recipients = [UserFactory(email=f"r{i}@example.com") for i in range(n)]
    notify(event="tests.other", recipients=recipients)
    Delivery.objects.update(status="failed", last_error="SMTPServerDisconnected: gone")
    office = UserFactory(username="office", roles=[Role.HR])

    staff = _web(UserFactory(roles=[Role.STAFF]))
    assert staff.get("/notifications/deliveries/").status_code == 403
    client = _web(office)
    with django_assert_max_num_queries(7):
        page = client.get("/notifications/deliveries/?status=failed")
    html = page.content.decode()
    assert "SMTPServerDisconnected: gone" in html
    assert html.count("Retry now") == min(n, 30)

    delivery = Delivery.objects.order_by("pk").first()
    client.post(f"/notifications/deliveries/{delivery.pk}/retry/")
    delivery.refresh_from_db()
    assert delivery.status == "queued"


def test_the_api_lists_the_callers_notifications_with_an_unread_filter(
    django_assert_max_num_queries,
):
    user, other = UserFactory(), UserFactory()
    _many(user, 25)
    notify(event="tests.other", recipients=[other])
    Notification.objects.filter(recipient=user, url="/x/0/").update(read_at="2026-11-30T01:00Z")
    api = client_for(user)

    with django_assert_max_num_queries(2):  # the count and the page
        answer = api.get("/api/v1/notifications/").json()
    assert answer["count"] == 25
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 24
    item = answer["results"][0]
    assert set(item) == {
        "id", "event", "subject", "body", "url", "language", "attachments", "created_at",
        "read_at", "is_read",
    }  # fmt: skip


def test_the_api_marks_read_and_hides_others_notifications():
    user, other = UserFactory(), UserFactory()
    _many(user, 3)
    notify(event="tests.other", recipients=[other])
    theirs = Notification.objects.get(recipient=other)
    mine = Notification.objects.filter(recipient=user).first()
    api = client_for(user)

    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    answer = api.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert (answer.status_code, answer.json()["is_read"]) == (200, True)
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert Notification.objects.get(recipient=other).read_at is None


def test_the_api_reads_and_writes_the_callers_settings():
    user = UserFactory()
    api = client_for(user)
    assert api.get("/api/v1/me/notification-settings/").json() == {
        "language": "zh-hans",
        "email_enabled": True,
        "im_enabled": True,
        "digest": False,
        "muted_events": [],
    }
    body = {
        "language": "en",
        "email_enabled": False,
        "im_enabled": True,
        "digest": True,
        "muted_events": ["tests.other"],
    }
    assert api.put("/api/v1/me/notification-settings/", body).json() == body
    bad = api.put("/api/v1/me/notification-settings/", {**body, "muted_events": ["nope"]})
    assert bad.status_code == 400
    bad = api.put("/api/v1/me/notification-settings/", {**body, "language": "fr"})
    assert bad.status_code == 400


def test_the_delivery_log_api_is_for_the_office_only():
    notify(event="tests.other", recipients=[UserFactory(email="a@example.com")])
    Delivery.objects.update(status="failed")
    staff = client_for(UserFactory(roles=[Role.STAFF]))
    assert staff.get("/api/v1/notifications/deliveries/").status_code == 403
    office = client_for(UserFactory(roles=[Role.HR]))
    answer = office.get("/api/v1/notifications/deliveries/?status=failed").json()
    assert answer["count"] == 1
    assert answer["results"][0]["channel"] == "email"
    assert office.get("/api/v1/notifications/deliveries/?status=sent").json()["count"] == 0


def test_the_navigation_shows_the_unread_badge_source():
    user = UserFactory()
    html = _web(user).get("/notifications/").content.decode()
    assert 'data-inbox-count="/api/v1/notifications/?unread=true&amp;page_size=1"' in html
