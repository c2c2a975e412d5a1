"""Self-service password change, reset by e-mail, and the forced change at the first sign-in
of accounts the certification office creates or resets."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import AccountSecurity
from core.models import AuditEvent

CHANGE = "/accounts/password/"
NEW = "Ladder-Ascent-2026"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_change_requires_the_current_password(person):
    client = signed_in(person)
    response = client.post(
        CHANGE, {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.check_password("pw")


def test_change_applies_the_password_validators(person):
    client = signed_in(person)
    response = client.post(
        CHANGE, {"old_password": "pw", "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    person.refresh_from_db()
    assert person.check_password("pw")


def test_change_with_the_current_password_keeps_the_session(person):
    client = signed_in(person)
    response = client.post(
        CHANGE, {"old_password": "pw", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert client.get("/").status_code == 200
    assert (
        AuditEvent.objects.filter(action="password_changed", object_id=str(person.pk)).count() == 1
    )


def test_reset_by_email_sets_a_new_password(person):
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": "amy@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW)
    # the link works once
    assert client.get(link, follow=True).context["validlink"] is False


def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(db):
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_office_reset_sets_a_temporary_password_and_forces_a_change(person, office_client):
    token = (
        APIClient()
        .post("/api/v1/auth/token/", {"username": "amy", "password": "pw"}, format="json")
        .json()["token"]
    )
    own_session = signed_in(person)
    response = office_client.post(
        "/accounts/office/reset-password/", {"username": "amy", "reason": "forgot it"}
    )
    assert response.status_code == 200
    temporary = re.search(
        r'data-testid="temporary-password">([^<]+)<', response.content.decode()
    ).group(1)
    person.refresh_from_db()
    assert person.check_password(temporary)
    assert AccountSecurity.objects.get(user=person).must_change_password is True
    assert AuthToken.objects.filter(user=person).count() == 0
    assert own_session.get("/").status_code == 302  # signed out everywhere
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/org/staff/").status_code == 401
    event = AuditEvent.objects.get(action="password_reset")
    assert event.actor_name == "office" and event.reason == "forgot it"

    # the first sign-in with the temporary password leads to the change page, everywhere
    client = Client()
    response = client.post("/accounts/login/", {"username": "amy", "password": temporary})
    assert response.status_code == 302
    assert client.get("/").url == CHANGE
    assert client.get("/org/ladder/").url == CHANGE
    api = client.get("/api/v1/org/staff/")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"
    assert client.get(CHANGE).status_code == 200
    response = client.post(
        CHANGE, {"old_password": temporary, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/org/staff/").status_code == 200
    assert AccountSecurity.objects.get(user=person).must_change_password is False


def test_only_the_office_resets_and_a_reason_is_required(person, office_client):
    staff_client = signed_in(person)
    response = staff_client.post(
        "/accounts/office/reset-password/", {"username": "amy", "reason": "x"}
    )
    assert response.status_code == 403
    response = office_client.post("/accounts/office/reset-password/", {"username": "amy"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("pw")


def test_the_office_cannot_reset_an_administrator(office_client, db):
    get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    response = office_client.post(
        "/accounts/office/reset-password/", {"username": "root", "reason": "x"}
    )
    assert response.status_code == 403


def test_an_account_created_in_the_admin_must_change_its_password(db):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client = signed_in(admin)
    response = client.post(
        "/admin/auth/user/add/",
        {"username": "newbie", "password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newbie = get_user_model().objects.get(username="newbie")
    assert AccountSecurity.objects.get(user=newbie).must_change_password is True
    assert AuditEvent.objects.filter(
        action="password_change_required", object_id=str(newbie.pk)
    ).exists()
