"""External certificates: file checks, private storage, scoped download, HR verification."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import client_for
from tests.files import PDF_BYTES as PDF
from tests.files import image_bytes
from training import selectors
from training.models import ExternalCertificate, TrainingRecord

pytestmark = pytest.mark.django_db
URL = "/api/v1/training/certificates/"
PNG = image_bytes("PNG")


def _form(name="cert.pdf", content=PDF, **extra):
    data = {
        "title": "PMP 项目管理专业人士",
        "issuer": "PMI",
        "issued_on": "2026-06-30",
        "credits": "5.00",
        "hours": "35.0",
        "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    }
    data.update(extra)
    return data


def test_a_pdf_is_stored_outside_the_web_root_under_a_random_name(alice_api, private_root):
    response = alice_api.post(URL, _form(), format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["original_name"], body["size"]) == (
        "submitted",
        "cert.pdf",
        len(PDF),
    )
    cert = ExternalCertificate.objects.get()
    path = Path(cert.file.path)
    assert path.is_relative_to(private_root)
    assert path.read_bytes() == PDF
    assert path.name != "cert.pdf"
    assert cert.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("cert.exe", b"MZ\x90\x00", "file_type"),
        ("cert.html", b"<html><script>", "file_type"),
        ("cert.pdf", b"<html>not a pdf</html>", "file_type"),  # extension lies
        ("cert.pdf", b"", "file_empty"),
    ],
)
def test_wrong_file_types_are_refused(alice_api, private_root, name, content, code):
    response = alice_api.post(URL, _form(name=name, content=content), format="multipart")
    assert response.status_code == 400
    assert response.json().get("code") == code or "file" in response.json()
    assert ExternalCertificate.objects.count() == 0
    assert not any(Path(private_root).rglob("*.*"))


def test_the_size_limit_is_inclusive(alice_api, private_root, settings):
    settings.TRAINING_CERTIFICATE_MAX_BYTES = len(PNG)
    assert alice_api.post(URL, _form("a.png", PNG), format="multipart").status_code == 201
    settings.TRAINING_CERTIFICATE_MAX_BYTES = len(PNG) - 1
    over = PNG
    response = alice_api.post(URL, _form("b.png", over), format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "file_too_large"
    assert ExternalCertificate.objects.count() == 1


def test_the_default_limit_is_5_mb(alice_api, private_root):
    big = PDF + b"0" * (5 * 1024 * 1024 + 1 - len(PDF))
    response = alice_api.post(URL, _form(content=big), format="multipart")
    assert response.json()["code"] == "file_too_large"


def test_download_is_scoped(world, alice_api, mgr_api, hr_api, private_root):
    alice_api.post(URL, _form(), format="multipart")
    cert = ExternalCertificate.objects.get()
    # Owner, her manager and HR get the bytes.
    for client in (alice_api, mgr_api, hr_api):
        response = client.get(f"{URL}{cert.pk}/file/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
    from core.models import DownloadRecord

    records = DownloadRecord.objects.order_by("id").values_list("kind", "object_id", "user_id")
    assert list(records)[:2] == [
        ("certificate", str(cert.pk), world.alice.user.pk),
        ("certificate", str(cert.pk), world.mgr.user.pk),
    ]
    assert len(records) == 3
    # A colleague and someone in another branch do not even learn it exists.
    for other in (world.bob, world.dave):
        assert client_for(other.user).get(f"{URL}{cert.pk}/file/").status_code == 404
        assert client_for(other.user).get(f"{URL}{cert.pk}/").status_code == 404


def test_the_page_download_is_scoped_too(world, alice_api, private_root, client):
    alice_api.post(URL, _form(), format="multipart")
    cert = ExternalCertificate.objects.get()
    client.force_login(world.alice.user)
    assert client.get(f"/training/certificates/{cert.pk}/file/").status_code == 200
    client.force_login(world.bob.user)
    assert client.get(f"/training/certificates/{cert.pk}/file/").status_code == 404


def test_verification_writes_one_external_record_and_only_once(
    world, alice_api, hr_api, private_root
):
    alice_api.post(URL, _form(), format="multipart")
    cert = ExternalCertificate.objects.get()
    response = hr_api.post(f"{URL}{cert.pk}/verify/", {"credits": "4.50"})
    assert response.status_code == 200, response.json()
    record = TrainingRecord.objects.get()
    assert (record.staff_id, record.date, record.credits, record.source, record.certificate_id) == (
        world.alice.pk,
        dt.date(2026, 6, 30),
        Decimal("4.50"),
        "external",
        cert.pk,
    )
    assert selectors.credits_12m(staff_ids=[world.alice.pk], on_date=dt.date(2026, 11, 28))[
        world.alice.pk
    ] == Decimal("4.50")
    again = hr_api.post(f"{URL}{cert.pk}/verify/", {})
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    assert TrainingRecord.objects.count() == 1


def test_rejection_needs_a_reason_and_writes_no_record(alice_api, hr_api, private_root):
    alice_api.post(URL, _form(), format="multipart")
    cert = ExternalCertificate.objects.get()
    assert hr_api.post(f"{URL}{cert.pk}/reject/", {}).status_code == 400
    response = hr_api.post(f"{URL}{cert.pk}/reject/", {"reason": "证书无法核实"})
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert TrainingRecord.objects.count() == 0


def test_staff_cannot_verify_or_submit_for_others(world, alice_api, mgr_api, private_root):
    # Out of scope: not found; in scope but not the office: forbidden.
    response = alice_api.post(URL, _form(staff=world.bob.pk), format="multipart")
    assert response.status_code == 404
    response = mgr_api.post(URL, _form(staff=world.bob.pk), format="multipart")
    assert response.status_code == 403
    alice_api.post(URL, _form(), format="multipart")
    cert = ExternalCertificate.objects.get()
    assert alice_api.post(f"{URL}{cert.pk}/verify/", {}).status_code == 403
