"""External certificates with an expiry date: validity shown in the ledger and the staff file,
reminders 60 and 14 days ahead (once each), HR's "expiring" filter, the API field."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from notifications.models import Notification, ReminderSent
from tests.clock import days
from tests.files import PDF_BYTES as PDF
from training.events import certificate_expiry_reminders
from training.models import ExternalCertificate, TrainingRecord

pytestmark = pytest.mark.django_db
URL = "/api/v1/training/certificates/"


def _cert(staff, *, expires_on, status=ExternalCertificate.Status.VERIFIED, title="CCNA"):
    cert = ExternalCertificate.objects.create(
        staff=staff,
        title=title,
        issuer="Cisco",
        issued_on=days(-400),
        expires_on=expires_on,
        hours=Decimal("40.0"),
        credits=Decimal("5.00"),
        file="training/certificates/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=10,
        status=status,
    )
    if status == ExternalCertificate.Status.VERIFIED:
        TrainingRecord.objects.create(
            staff=staff,
            title=title,
            date=cert.issued_on,
            hours=cert.hours,
            credits=cert.credits,
            result=TrainingRecord.Result.PASSED,
            source=TrainingRecord.Source.EXTERNAL,
            certificate=cert,
        )
    return cert


def _remind(on):
    out = StringIO()
    call_command("notifications_remind", "--date", on.isoformat(), stdout=out)
    return out.getvalue().strip()


def test_the_api_takes_and_shows_the_expiry_date(alice_api, hr_api, private_root):
    form = {
        "title": "PMP",
        "issuer": "PMI",
        "issued_on": days(-30).isoformat(),
        "expires_on": days(700).isoformat(),
        "file": SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
    }
    response = alice_api.post(URL, form, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["expires_on"] == days(700).isoformat()
    pk = response.json()["id"]
    # HR corrects the date while verifying.
    verified = hr_api.post(f"{URL}{pk}/verify/", {"expires_on": days(365).isoformat()})
    assert verified.status_code == 200
    assert hr_api.get(f"{URL}{pk}/").json()["expires_on"] == days(365).isoformat()


def test_a_certificate_cannot_expire_before_its_issue(alice_api, private_root):
    form = {
        "title": "PMP",
        "issuer": "PMI",
        "issued_on": days(-30).isoformat(),
        "expires_on": days(-31).isoformat(),
        "file": SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
    }
    response = alice_api.post(URL, form, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_dates"
    assert not ExternalCertificate.objects.exists()


def test_reminders_go_out_60_and_14_days_before_expiry_and_only_once(world):
    cert = _cert(world.alice, expires_on=days(60))
    _cert(world.bob, expires_on=days(60), status=ExternalCertificate.Status.SUBMITTED)
    _cert(world.carol, expires_on=days(59))  # not on one of the days tonight
    _cert(world.dave, expires_on=None)

    assert _remind(days(0)) == "1 reminder(s) sent."
    note = Notification.objects.get()
    assert (note.recipient_id, note.event, note.url) == (
        world.alice.user_id,
        "training.certificate_expiring",
        "/training/",
    )
    assert days(60).isoformat() in note.subject
    assert _remind(days(0)) == "0 reminder(s) sent."  # a re-run the same night
    # The configured 3-and-1-day reminders do not apply to certificates.
    assert _remind(days(57)) == "0 reminder(s) sent."
    assert _remind(days(46)) == "1 reminder(s) sent."  # alice 14 days before; carol 13: no
    assert _remind(days(45)) == "1 reminder(s) sent."  # carol 14 days before
    assert _remind(days(45)) == "0 reminder(s) sent."
    assert set(ReminderSent.objects.values_list("key", "days_before")) == {
        (f"certificate:{cert.pk}", 14),
        (f"certificate:{cert.pk}", 60),
        (f"certificate:{cert.pk + 2}", 14),
    }
    assert ReminderSent.objects.count() == 3


def test_the_reminder_source_is_one_query(world, django_assert_num_queries):
    for staff in (world.alice, world.bob, world.carol):
        _cert(staff, expires_on=days(14))
    with django_assert_num_queries(1):
        found = certificate_expiry_reminders(days(0))
    assert sorted(r.user_id for r in found) == sorted(
        s.user_id for s in (world.alice, world.bob, world.carol)
    )
    assert {r.days_before for r in found} == {(60, 14)}


def test_hr_filters_expiring_and_expired_certificates(world, hr_api, hr_client):
    soon = _cert(world.alice, expires_on=days(60), title="即将到期证书")
    later = _cert(world.bob, expires_on=days(61), title="有效证书")
    past = _cert(world.carol, expires_on=days(-1), title="已过期证书")
    today = _cert(world.dave, expires_on=days(0), title="今日到期证书")

    def ids(validity):
        rows = hr_api.get(URL, {"validity": validity}).json()["results"]
        return sorted(r["id"] for r in rows)

    assert ids("expiring") == sorted([soon.pk, today.pk])
    assert ids("expired") == [past.pk]
    assert ids("valid") == sorted([soon.pk, later.pk, today.pk])

    page = hr_client.get(
        "/training/certificates/", {"validity": "expiring"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert "即将到期证书" in html and "今日到期证书" in html
    assert "有效证书" not in html and "已过期证书" not in html
    assert f"valid until {days(60):%Y-%m-%d}" in html


def test_the_ledger_and_the_staff_file_show_the_validity(
    world, hr_client, django_assert_max_num_queries
):
    _cert(world.alice, expires_on=days(30), title="证书甲")
    _cert(world.alice, expires_on=days(-1), title="证书乙")
    for n in range(5):
        _cert(world.bob, expires_on=days(100 + n), title=f"证书{n}")
    with django_assert_max_num_queries(15):
        html = hr_client.get("/training/records/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"valid until {days(30):%Y-%m-%d}" in html
    assert f"expired on {days(-1):%Y-%m-%d}" in html
    with django_assert_max_num_queries(30):
        page = hr_client.get(f"/org/staff/{world.alice.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert f"valid until {days(30):%Y-%m-%d}" in html
    assert f"expired on {days(-1):%Y-%m-%d}" in html
