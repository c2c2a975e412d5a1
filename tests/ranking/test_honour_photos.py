"""Honour-roll photos (光荣榜, photos optional): the office adds them to top-band members of a
committed run; every signed-in user sees them on the honour roll; nobody else gets the file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from core.errors import DomainError, RoleRequired
from core.models import AuditEvent
from core.roles import Role
from ranking import services
from ranking.models import HonourPhoto, RankingEntry
from tests.factories import UserFactory
from tests.ranking.factories import band_case, preview, staff_with_scores


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def image(kind="PNG", name="photo.png", size=(40, 50), colour=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    content_type = "image/png" if kind == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def top(scores, ladder, hr_user):
    """A committed run of 60 staff; returns (run, the three top-band entries)."""
    run, _case, _staff = band_case(scores, ladder, hr_user, n=60)
    entries = list(RankingEntry.objects.filter(run=run, in_top_band=True).order_by("rank"))
    assert len(entries) == 3  # ⌈60 × 5 %⌉
    return run, entries


def test_the_office_adds_a_photo_everyone_signed_in_sees_it_on_the_honour_roll(
    top, hr_user, private_root, django_assert_max_num_queries
):
    run, entries = top
    upload = image()
    response = login(hr_user).post(
        reverse("ranking:honour-photo-add"),
        {"run": run.pk, "staff": entries[0].staff_id, "photo": upload},
    )
    assert response.status_code == 302
    photo = HonourPhoto.objects.get(run=run, staff_id=entries[0].staff_id)
    assert photo.content_type == "image/png" and (private_root / photo.file.name).exists()
    assert AuditEvent.objects.filter(action="photo_add", object_id=str(photo.pk)).exists()

    colleague = login(UserFactory(roles=[Role.STAFF]))
    with django_assert_max_num_queries(13):
        html = colleague.get(reverse("ranking:honour-roll")).content.decode()
    url = reverse("ranking:honour-photo", args=[photo.pk])
    assert html.count(f'src="{url}"') == 1 and f'alt="{entries[0].staff.name}"' in html
    assert html.count("honour-initial") == 2  # the two others show their initial
    assert "Add photo" not in html and "添加照片" not in html  # no editing for staff
    served = colleague.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == upload.file.getvalue()
    from core.models import DownloadRecord

    assert list(DownloadRecord.objects.values_list("kind", "object_id")) == [
        ("photo", str(photo.pk))
    ]
    assert Client().get(url).status_code == 302  # sign in first


def test_replacing_a_photo_keeps_one_file(
    top, hr_user, private_root, django_capture_on_commit_callbacks
):
    run, entries = top
    staff = entries[1].staff
    first = services.honour_photo_set(actor=hr_user, run=run, staff=staff, upload=image())
    old_name = first.file.name
    jpeg = image("JPEG", "new.jpg", colour=(10, 200, 10))
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.honour_photo_set(actor=hr_user, run=run, staff=staff, upload=jpeg)
    assert HonourPhoto.objects.filter(run=run, staff=staff).count() == 1
    assert photo.pk == first.pk and photo.content_type == "image/jpeg"
    assert photo.file.name.endswith(".jpg") and not (private_root / old_name).exists()


def test_removing_a_photo_deletes_the_file_and_the_url(
    top, hr_user, private_root, django_capture_on_commit_callbacks
):
    run, entries = top
    photo = services.honour_photo_set(
        actor=hr_user, run=run, staff=entries[0].staff, upload=image()
    )
    path = private_root / photo.file.name
    client = login(hr_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ranking:honour-photo-delete", args=[photo.pk]))
    assert response.status_code == 302
    assert not HonourPhoto.objects.exists() and not path.exists()
    assert client.get(reverse("ranking:honour-photo", args=[photo.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="photo_remove", object_id=str(photo.pk)).exists()


def test_a_photo_only_for_the_top_band_of_a_committed_run(top, scores, ladder, hr_user):
    run, _entries = top
    bottom = RankingEntry.objects.filter(run=run, in_bottom_band=True).first().staff
    with pytest.raises(DomainError) as err:
        services.honour_photo_set(actor=hr_user, run=run, staff=bottom, upload=image())
    assert err.value.code == "not_on_honour_roll"
    draft = preview(hr_user, ladder[0].track, year=2026)
    (someone,) = staff_with_scores(scores, ladder[1], [None])
    with pytest.raises(DomainError):
        services.honour_photo_set(actor=hr_user, run=draft, staff=someone, upload=image())
    assert not HonourPhoto.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.png", b"not an image at all"), "not an accepted type (JPEG, PNG)"),
        (image("GIF", "x.gif"), "not an accepted type (JPEG, PNG)"),
        (SimpleUploadedFile("big.png", b"0" * (2 * 1024 * 1024 + 1)), "larger than 2.0 MB"),
    ],
)
def test_a_file_that_is_not_a_small_jpeg_or_png_is_refused_with_the_reason(
    top, hr_user, upload, message
):
    run, entries = top
    client = login(hr_user)
    response = client.post(
        reverse("ranking:honour-photo-add"),
        {"run": run.pk, "staff": entries[0].staff_id, "photo": upload},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert message in response.content.decode()
    assert not HonourPhoto.objects.exists()


def test_only_the_office_manages_photos(top, hr_user):
    run, entries = top
    staff_user = UserFactory(roles=[Role.STAFF])
    with pytest.raises(RoleRequired):
        services.honour_photo_set(actor=staff_user, run=run, staff=entries[0].staff, upload=image())
    response = login(staff_user).post(
        reverse("ranking:honour-photo-add"),
        {"run": run.pk, "staff": entries[0].staff_id, "photo": image()},
    )
    assert response.status_code == 403
    photo = services.honour_photo_set(
        actor=hr_user, run=run, staff=entries[0].staff, upload=image()
    )
    delete = reverse("ranking:honour-photo-delete", args=[photo.pk])
    assert login(staff_user).post(delete).status_code == 403
    assert HonourPhoto.objects.filter(pk=photo.pk).exists()


def test_a_photo_is_stored_with_the_extension_of_what_it_decodes_to(top, hr_user, private_root):
    """Not the uploader's: a PNG named ``.html`` is stored and served as a PNG."""
    run, entries = top
    upload = image("PNG", "portrait.html")
    photo = services.honour_photo_set(actor=hr_user, run=run, staff=entries[2].staff, upload=upload)
    assert photo.file.name.endswith(".png") and ".html" not in photo.file.name
    assert photo.content_type == "image/png"
