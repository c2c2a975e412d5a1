"""One check for every uploaded file: what the file *is* is decided by parsing it, never by its
name or the type the browser declared.

- a PDF must start with ``%PDF-``, carry no HTML in its first kilobyte and open in pypdf with at
  least one page;
- a JPEG or PNG must decode fully in Pillow, within ``UPLOAD_MAX_IMAGE_PIXELS``, with nothing
  after its last chunk (``IEND`` / ``EOI``) and no HTML inside (image + HTML polyglots);
- a DOCX or XLSX must be a ZIP whose members unpack to at most
  ``UPLOAD_MAX_UNCOMPRESSED_BYTES`` and whose ``[Content_Types].xml`` declares the main part of
  that kind (any other ZIP, a macro-enabled document, is refused).

The file is stored with the extension of the kind decoded (:attr:`CheckedUpload.extension`),
and served with its content type and ``nosniff``.
"""

from __future__ import annotations

import re
import struct
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

from defusedxml import ElementTree
from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode


class FileKind(StrEnum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    DOCX = "docx"
    XLSX = "xlsx"


EXTENSIONS = {
    FileKind.PDF: "pdf",
    FileKind.JPEG: "jpg",
    FileKind.PNG: "png",
    FileKind.DOCX: "docx",
    FileKind.XLSX: "xlsx",
}
CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IMAGES = frozenset({FileKind.JPEG, FileKind.PNG})
DOCUMENTS = frozenset({FileKind.PDF, FileKind.JPEG, FileKind.PNG, FileKind.DOCX, FileKind.XLSX})

# The main part each OOXML kind must declare in [Content_Types].xml (macro-enabled variants
# have other types and are refused).
_OOXML_MAIN = {
    FileKind.DOCX: (
        "/word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    FileKind.XLSX: (
        "/xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What a browser sniffing the bytes would take for a web page. Each marker is at least six
# bytes long, so that compressed image data matches one by chance about once in 10^12 bytes.
_HTML_MARKERS = re.compile(
    rb"<(?:!doctype\s+html|html[\s>]|body[\s>]|script|iframe|object|embed|meta[\s>])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CheckedUpload:
    """What the file was decoded as; store it as ``<name>.<extension>`` with ``content_type``."""

    kind: FileKind
    extension: str
    content_type: str
    size: int


def max_image_pixels() -> int:
    return int(settings.UPLOAD_MAX_IMAGE_PIXELS)


def max_uncompressed_bytes() -> int:
    return int(settings.UPLOAD_MAX_UNCOMPRESSED_BYTES)


def _refuse(message: str) -> DomainError:
    return DomainError(message, code=ErrorCode.FILE_TYPE, details={"field": "file"})


def _names(kinds: Iterable[FileKind]) -> str:
    order = [k for k in FileKind if k in set(kinds)]
    return ", ".join(k.value.upper() for k in order)


def check_upload(upload, *, kinds: Iterable[FileKind], max_bytes: int) -> CheckedUpload:
    """The checked kind of ``upload`` (a Django ``UploadedFile`` or any seekable binary file
    with ``size``), if it is one of ``kinds`` and at most ``max_bytes``; else a
    :class:`DomainError` (``file_empty``, ``file_too_large`` or ``file_type``).
    The file is left at position 0."""
    allowed = frozenset(kinds)
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if not size:
        raise DomainError(_("The file is empty."), code=ErrorCode.FILE_EMPTY)
    if size > max_bytes:
        raise DomainError(
            _("The file is larger than %(mb)s MB.") % {"mb": round(max_bytes / 1024 / 1024, 1)},
            code=ErrorCode.FILE_TOO_LARGE,
            details={"field": "file", "max_bytes": max_bytes},
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    try:
        kind = _decode(upload, head, allowed)
    finally:
        upload.seek(0)
    if kind is None or kind not in allowed:
        raise _refuse(
            _("The file is not an accepted type (%(kinds)s).") % {"kinds": _names(allowed)}
        )
    return CheckedUpload(
        kind=kind, extension=EXTENSIONS[kind], content_type=CONTENT_TYPES[kind], size=size
    )


def _decode(upload, head: bytes, allowed: frozenset[FileKind]) -> FileKind | None:
    if head.startswith(b"%PDF-") and FileKind.PDF in allowed:
        _check_pdf(upload, head)
        return FileKind.PDF
    if head.startswith(_PNG_SIGNATURE) or head.startswith(b"\xff\xd8\xff"):
        if not allowed & IMAGES:
            return None
        return _check_image(upload)
    if head.startswith(b"PK\x03\x04") and allowed & _OOXML_MAIN.keys():
        return check_ooxml(upload, kinds=allowed & _OOXML_MAIN.keys())
    return None


def _check_pdf(upload, head: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if _HTML_MARKERS.search(head):
        raise _refuse(_("The PDF file contains a web page."))
    try:
        # Lenient, as viewers are: real-world PDFs often have repairable cross-reference
        # tables. A file without a document catalogue or pages still fails.
        reader = PdfReader(upload, strict=False)
        pages = len(reader.pages)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # pypdf reports a broken structure with its own errors and, on some damage, with the
        # built-in ones listed here.
        raise _refuse(_("The file is not a readable PDF document.")) from exc
    if pages < 1:
        raise _refuse(_("The PDF document has no pages."))


def _check_image(upload) -> FileKind:
    from PIL import Image

    data = upload.read()
    upload.seek(0)
    if _HTML_MARKERS.search(data):
        raise _refuse(_("The image contains a web page."))
    try:
        # The pixel cap below is ours (a setting); Pillow's own warning would only repeat it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload)
        with image:
            fmt = image.format
            width, height = image.size
            if width * height > max_image_pixels():
                raise _refuse(
                    _("The image is too large (%(mp)s megapixels; at most %(max)s).")
                    % {
                        "mp": round(width * height / 1_000_000, 1),
                        "max": round(max_image_pixels() / 1_000_000, 1),
                    }
                )
            image.load()  # a full decode: a truncated or corrupt image fails here
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        # What Pillow raises on a broken or foreign file.
        raise _refuse(_("The file is not a readable JPEG or PNG image.")) from exc
    if fmt == "PNG":
        _check_png_end(data)
        return FileKind.PNG
    if fmt == "JPEG":
        if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
            raise _refuse(_("The image carries data after its end."))
        return FileKind.JPEG
    raise _refuse(_("The file is not a readable JPEG or PNG image."))


def _check_png_end(data: bytes) -> None:
    """Walk the chunks: the file must end exactly after ``IEND``."""
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunk = data[pos + 4 : pos + 8]
        pos += 12 + length
        if chunk == b"IEND":
            if pos != len(data):
                raise _refuse(_("The image carries data after its end."))
            return
    raise _refuse(_("The file is not a readable JPEG or PNG image."))


def check_zip_members(upload: IO[bytes], *, limit: int | None = None) -> zipfile.ZipFile:
    """Open ``upload`` as a ZIP after checking, from its central directory alone, that its
    members unpack to at most ``limit`` bytes (``UPLOAD_MAX_UNCOMPRESSED_BYTES``) — a zip
    bomb is refused before anything is decompressed."""
    limit = max_uncompressed_bytes() if limit is None else limit
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(_("The file is not a readable Office document.")) from exc
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if len(infos) > 10_000 or total > limit:
        archive.close()
        raise DomainError(
            _("The file unpacks to more than %(mb)s MB.") % {"mb": round(limit / 1024 / 1024)},
            code=ErrorCode.FILE_TOO_LARGE,
            details={"field": "file", "max_uncompressed_bytes": limit},
        )
    return archive


def check_ooxml(upload: IO[bytes], *, kinds: Iterable[FileKind]) -> FileKind:
    """The OOXML kind (DOCX or XLSX) that ``[Content_Types].xml`` declares, if one of ``kinds``
    and its main part is present; else a :class:`DomainError`."""
    chosen = set(kinds)
    wanted = [k for k in FileKind if k in chosen and k in _OOXML_MAIN]
    archive = check_zip_members(upload)
    with archive:
        names = set(archive.namelist())
        try:
            with archive.open("[Content_Types].xml") as fh:
                raw = fh.read(1024 * 1024 + 1)
            if len(raw) > 1024 * 1024:
                raise ValueError("content types too large")
            root = ElementTree.fromstring(raw)
        except (KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
            raise _refuse(_("The file is not a readable Office document.")) from exc
        declared = {
            el.get("PartName", ""): el.get("ContentType", "")
            for el in root.iter(f"{_CT_NS}Override")
        }
        for kind in wanted:
            part, content_type = _OOXML_MAIN[kind]
            if declared.get(part) == content_type and part.lstrip("/") in names:
                return kind
    kinds_text = " / ".join(k.upper() for k in wanted)
    raise _refuse(_("The file is not a %(kinds)s document.") % {"kinds": kinds_text})
