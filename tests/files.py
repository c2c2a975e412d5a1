"""Real files for upload tests: the upload check parses what it receives."""

from __future__ import annotations

import io
import zipfile


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = pdf_bytes()


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (40, 50)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def ooxml_bytes(main_part: str, content_type: str) -> bytes:
    """A minimal OOXML package declaring ``main_part`` with ``content_type``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="{main_part}" ContentType="{content_type}"/></Types>',
        )
        archive.writestr(main_part.lstrip("/"), "<document/>")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return ooxml_bytes(
        "/word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    )
