"""No drawn seal: a blank space for the company's stamp by default; an e-seal image uploaded by
an administrator is printed instead, each use audited; the signatory block comes from settings."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.audit import AuditEvent
from core.errors import RoleRequired
from core.roles import Role
from letters import seals, services
from letters.models import LetterSeal
from tests.factories import UserFactory

from .helpers import pdf_text

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 0, 0)).save(buf, format="PNG")
    return buf.getvalue()


def _pdf_images(pdf: bytes) -> int:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return len(reader.pages[0].images)


def test_by_default_no_seal_is_printed_and_the_signatory_block_is(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)
    pdf = services.letter_path(letter).read_bytes()
    text = pdf_text(pdf)
    assert "签发人：人力资源部总经理" in text
    assert "盖章" not in text
    assert letter.seal_id is None
    assert _pdf_images(pdf) == 0
    assert not AuditEvent.objects.filter(action="letter_seal:use").exists()


def test_signatories_per_kind_from_settings(promoted, office, settings):
    settings.LETTER_SIGNATORIES = {
        "default": {"title": "总经理", "title_en": "General Manager", "name": "王强"},
        "promotion": {"title": "认证领导小组组长", "name": "陈静", "name_en": "Chen Jing"},
    }
    zh = services.signatory_for("promotion", "zh-hans")
    assert zh == {"signatory_title": "认证领导小组组长", "signatory_name": "陈静"}
    assert services.signatory_for("demotion", "en") == {
        "signatory_title": "General Manager",
        "signatory_name": "王强",
    }
    letter = services.letter_issue(actor=office, appointment=promoted)
    assert "签发人：认证领导小组组长陈静" in pdf_text(services.letter_path(letter).read_bytes())


def test_only_an_administrator_uploads_the_e_seal(office):
    upload = SimpleUploadedFile("seal.png", _png(), content_type="image/png")
    with pytest.raises(RoleRequired):
        seals.letter_seal_upload(actor=office, name="公章", file=upload)
    assert not LetterSeal.objects.exists()


def test_an_uploaded_e_seal_is_printed_stored_privately_and_each_use_audited(
    promoted, office, private_media
):
    admin = UserFactory(roles=[Role.ADMIN])
    first = seals.letter_seal_upload(
        actor=admin, name="旧章", file=SimpleUploadedFile("a.png", _png())
    )
    seal = seals.letter_seal_upload(
        actor=admin, name="电子公章", file=SimpleUploadedFile("b.png", _png())
    )
    first.refresh_from_db()
    assert not first.active and seal.active
    assert str(private_media) in seal.file.path
    with pytest.raises(ValueError):
        seal.file.url  # noqa: B018 - private: no URL

    letter = services.letter_issue(actor=office, appointment=promoted)

    assert letter.seal_id == seal.pk
    assert _pdf_images(services.letter_path(letter).read_bytes()) == 1
    use = AuditEvent.objects.get(action="letter_seal:use")
    assert use.object_id == str(seal.pk)
    assert use.changes["letter"] == letter.number
    assert use.actor == office

    seals.letter_seal_deactivate(actor=admin, seal=seal)
    assert seals.active_seal() is None
