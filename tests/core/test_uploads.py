"""The one upload check: what a file is, is decided by parsing it."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.errors import DomainError
from core.uploads import DOCUMENTS, IMAGES, FileKind, check_upload
from tests.files import PDF_BYTES, docx_bytes, image_bytes, ooxml_bytes

MB = 1024 * 1024


def upload(content: bytes, name: str = "file.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def english():
    """The messages below are read in English (the default language is Chinese)."""
    with translation.override("en"):
        yield


def refused(content: bytes, kinds=DOCUMENTS) -> DomainError:
    with pytest.raises(DomainError) as err:
        check_upload(upload(content), kinds=kinds, max_bytes=10 * MB)
    return err.value


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width × height`` pixels (greyscale) with one tiny IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("content", "kind", "extension", "content_type"),
    [
        (PDF_BYTES, FileKind.PDF, "pdf", "application/pdf"),
        (image_bytes("PNG"), FileKind.PNG, "png", "image/png"),
        (image_bytes("JPEG"), FileKind.JPEG, "jpg", "image/jpeg"),
        (docx_bytes(), FileKind.DOCX, "docx", None),
    ],
)
def test_a_real_file_is_accepted_as_what_it_decodes_to_whatever_its_name(
    content, kind, extension, content_type
):
    checked = check_upload(upload(content, "misleading.exe"), kinds=DOCUMENTS, max_bytes=10 * MB)
    assert (checked.kind, checked.extension, checked.size) == (kind, extension, len(content))
    if content_type:
        assert checked.content_type == content_type


def test_html_after_a_pdf_prefix_is_refused():
    err = refused(b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n")
    assert err.code == "file_type"
    assert "web page" in err.message


def test_a_pdf_prefix_on_garbage_is_refused():
    assert refused(b"%PDF-1.7\n" + b"x" * 2000).code == "file_type"


def test_a_png_with_html_after_iend_is_refused():
    polyglot = image_bytes("PNG") + b"<html><script>alert(1)</script></html>"
    assert "web page" in refused(polyglot).message


def test_a_png_with_any_data_after_iend_is_refused():
    assert "after its end" in refused(image_bytes("PNG") + b"\x01\x02\x03").message


def test_a_jpeg_with_html_appended_is_refused():
    assert refused(image_bytes("JPEG") + b"<!DOCTYPE html><p>x").code == "file_type"


def test_html_hidden_in_a_png_text_chunk_is_refused():
    png = image_bytes("PNG")
    hidden = png[:33] + _chunk(b"tEXt", b"Comment\x00<script>alert(1)</script>") + png[33:]
    assert "web page" in refused(hidden).message


def test_a_144_megapixel_png_is_refused_before_it_is_decoded():
    err = refused(png_header_only(12_000, 12_000), kinds=IMAGES)
    assert err.code == "file_type"
    assert "144.0 megapixels" in err.message


def test_the_pixel_cap_is_a_setting(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 40 * 50 - 1
    assert "megapixels" in refused(image_bytes("PNG", size=(40, 50))).message
    settings.UPLOAD_MAX_IMAGE_PIXELS = 40 * 50
    image = upload(image_bytes("PNG", size=(40, 50)))
    assert check_upload(image, kinds=IMAGES, max_bytes=MB).kind == FileKind.PNG


def test_a_truncated_image_is_refused():
    assert refused(image_bytes("PNG", size=(200, 200))[:-40]).code == "file_type"


def test_any_zip_is_not_a_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert refused(buffer.getvalue()).message == "The file is not a readable Office document."
    declared_other = ooxml_bytes("/content.xml", "application/xml")
    assert refused(declared_other).message == "The file is not a DOCX / XLSX document."


def test_a_macro_enabled_document_is_not_a_docx():
    docm = ooxml_bytes(
        "/word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"
    )
    assert refused(docm).code == "file_type"


def test_a_docx_is_not_accepted_where_only_images_are():
    assert refused(docx_bytes(), kinds=IMAGES).code == "file_type"


def test_a_zip_that_unpacks_beyond_the_cap_is_refused_before_decompressing(settings):
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 10_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * 20_000)
    assert refused(buffer.getvalue()).code == "file_too_large"


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "file_empty"), (b"MZ\x90\x00", "file_type"), (b"<html>", "file_type")],
)
def test_empty_and_foreign_files_are_refused(content, code):
    assert refused(content).code == code


def test_the_size_cap_is_checked_first():
    with pytest.raises(DomainError) as err:
        check_upload(upload(PDF_BYTES), kinds=DOCUMENTS, max_bytes=len(PDF_BYTES) - 1)
    assert err.value.code == "file_too_large"
