"""What every tabular import (KPI actuals, the training ledger) shares: the file's limits, read
before any row is, and cell checks that turn a bad cell into a row error (400 with line and
column), never a 500.

- the file is at most ``IMPORT_MAX_BYTES``;
- an XLSX workbook is checked as a ZIP first — its members may unpack to at most
  ``IMPORT_MAX_UNCOMPRESSED_BYTES`` (a zip bomb is refused from the central directory, before
  anything is decompressed) and its ``[Content_Types].xml`` must declare a workbook;
- rows are streamed (openpyxl ``read_only``, ``csv.reader``) and counted as they come: the
  file is refused at row ``IMPORT_MAX_ROWS + 1``, so a million-row file costs the reading of
  the first rows only;
- a cell holding a NUL character is a row error (PostgreSQL cannot store one);
- a number is digits with an optional decimal point, or thousands grouped by commas in threes
  (``1,000.5``): ``1,0,0`` is an error, never 100.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import IO
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError, ImportRejected
from core.uploads import FileKind, check_ooxml

XLSX_MAGIC = b"PK\x03\x04"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?")


def max_bytes() -> int:
    return int(settings.IMPORT_MAX_BYTES)


def max_rows() -> int:
    return int(settings.IMPORT_MAX_ROWS)


def max_uncompressed_bytes() -> int:
    return int(settings.IMPORT_MAX_UNCOMPRESSED_BYTES)


def row_error(line: int, column: str, message: str) -> dict:
    return {"line": line, "column": column, "message": str(message)}


def file_error(message: str) -> ImportRejected:
    return ImportRejected([row_error(0, "", message)])


def check_size(size: int) -> None:
    """Refuse a file above ``IMPORT_MAX_BYTES`` (before it is read)."""
    limit = max_bytes()
    if size > limit:
        raise file_error(
            _("The file is larger than %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)}
        )


def is_xlsx(head: bytes, filename: str) -> bool:
    return head.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx")


def check_xlsx(fileobj: IO[bytes]) -> None:
    """The workbook's limits, before openpyxl parses anything: the unpacked size from the ZIP
    directory alone, the declared content types, and the row count — the sheets' XML is
    scanned for row tags (a C-speed search, stopped at ``IMPORT_MAX_ROWS + 2``), since
    openpyxl needs seconds for fifty thousand rows."""
    from core.uploads import check_zip_members

    try:
        archive = check_zip_members(fileobj, limit=max_uncompressed_bytes())
        with archive:
            too_many = _rows_beyond(archive, max_rows() + 1)
        if too_many:
            raise file_error(_("At most %(n)s rows per file.") % {"n": max_rows()})
        fileobj.seek(0)
        check_ooxml(fileobj, kinds=[FileKind.XLSX])
    except DomainError as exc:
        if isinstance(exc, ImportRejected):
            raise
        raise file_error(exc.message) from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:  # a damaged member
        raise file_error(_("The XLSX workbook cannot be read.")) from exc
    finally:
        fileobj.seek(0)


_ROW_TAG = re.compile(rb"<(?:[A-Za-z0-9_]+:)?row[\s>/]")


def _rows_beyond(archive: zipfile.ZipFile, limit: int) -> bool:
    """Whether a worksheet of ``archive`` holds more than ``limit`` rows (header included)."""
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        count = 0
        carry = b""
        with archive.open(name) as member:
            while chunk := member.read(1 << 20):
                data = carry + chunk
                cut = data.rfind(b"<")  # a tag split between chunks is counted with the next
                data, carry = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
                count += len(_ROW_TAG.findall(data))
                if count > limit:
                    return True
        if count + len(_ROW_TAG.findall(carry + b" ")) > limit:
            return True
    return False


def xlsx_rows(fileobj: IO[bytes]) -> Iterator[list]:
    """The first sheet's rows as lists of cell values, streamed (``read_only``). Call
    :func:`check_xlsx` first. A sheet that breaks while being read rejects the file."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # blind on purpose (re-raised): openpyxl raises many kinds
        raise file_error(_("The XLSX workbook cannot be read.")) from exc
    try:
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except (ParseError, zipfile.BadZipFile, ValueError, KeyError, TypeError) as exc:
                raise file_error(_("The XLSX workbook cannot be read.")) from exc
            yield list(row)
    finally:
        workbook.close()


def capped(rows: Iterable[list], *, limit: int | None = None) -> Iterator[list]:
    """``rows`` (header first) passed through, refused as soon as data row ``limit + 1``
    (``IMPORT_MAX_ROWS``) arrives — the rest of the file is never read."""
    limit = max_rows() if limit is None else limit
    for count, row in enumerate(rows):
        if count > limit:  # count 0 is the header
            raise file_error(_("At most %(n)s rows per file.") % {"n": limit})
        yield row


def nul_errors(line: int, values: dict[str, str]) -> list[dict]:
    """A row error for each cell holding a NUL character."""
    return [
        row_error(line, column, _("Contains a NUL character, which is not allowed."))
        for column, value in values.items()
        if "\x00" in value
    ]


def parse_number(text: str) -> Decimal | None:
    """A finite Decimal from ``text``, or None when it is not a well-formed number
    (see the module docstring)."""
    text = text.strip()
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
