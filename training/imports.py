"""Bulk import of the training ledger (API.md: ``training/records/import/``).

Columns ``employee_no, course, date, hours, credits, result`` in a CSV (UTF-8, header row) or an
XLSX file (first sheet, header row). All-or-nothing: every bad row is reported with its line
(the header is line 1), column and reason, and nothing is written (``ImportRejected``).
Idempotent: a line's key is (staff, course, date) among imported records; importing the same
file again updates those records instead of adding new ones (``updated`` counts the lines that
matched an existing record; only those whose hours, credits or result differ are written).

Set-based: the staff, the courses and the existing records are each fetched in one query, and
the writes are one ``bulk_create`` and one ``bulk_update`` — a constant number of queries
whatever the file's length.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, clock
from core import imports as core_imports
from core.errors import ImportRejected
from org.models import Staff

from .models import Course, RecordImport, TrainingRecord
from .services import require_office

COLUMNS = ("employee_no", "course", "date", "hours", "credits", "result")
RESULT_ALIASES = {
    "passed": TrainingRecord.Result.PASSED,
    "pass": TrainingRecord.Result.PASSED,
    "合格": TrainingRecord.Result.PASSED,
    "通过": TrainingRecord.Result.PASSED,
    "completed": TrainingRecord.Result.COMPLETED,
    "完成": TrainingRecord.Result.COMPLETED,
    "已完成": TrainingRecord.Result.COMPLETED,
    "failed": TrainingRecord.Result.FAILED,
    "fail": TrainingRecord.Result.FAILED,
    "不合格": TrainingRecord.Result.FAILED,
    "未通过": TrainingRecord.Result.FAILED,
}
MAX_HOURS = Decimal("99999.9")
MAX_CREDITS = Decimal("9999.99")


@dataclass
class ImportResult:
    created: int
    updated: int
    batch: RecordImport


def _error(line: int, column: str, message: str) -> dict:
    return {"line": line, "column": column, "message": str(message)}


def read_rows(content: bytes, filename: str = "") -> list[tuple[int, dict[str, str]]]:
    """``[(line, {column: text})]`` from a CSV or XLSX file; raises ImportRejected for a file
    that breaks the limits of :mod:`core.imports` (size, unpacked size, rows — counted while
    streaming), cannot be read or has a header without the required columns."""
    core_imports.check_size(len(content))
    if core_imports.is_xlsx(content[:4], filename):
        table = _xlsx_table(content)
    else:
        table = _csv_table(content)
    lines = core_imports.capped(table)
    first = next(lines, None)
    if first is None:
        raise ImportRejected([_error(1, "", _("The file is empty."))])
    header = [str(h or "").strip().lower().lstrip("\ufeff") for h in first]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRejected(
            [_error(1, c, _("Missing column “%(column)s”.") % {"column": c}) for c in missing]
        )
    index = {c: header.index(c) for c in COLUMNS}
    rows = []
    for offset, cells in enumerate(lines, start=2):
        values = {c: _cell(cells, i) for c, i in index.items()}
        if not any(values.values()):
            continue  # blank lines are not rows
        rows.append((offset, values))
    return rows


def _cell(cells, i) -> str:
    if i >= len(cells) or cells[i] is None:
        return ""
    value = cells[i]
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return str(value).strip()


def _csv_table(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            [_error(0, "", _("The file is not UTF-8 encoded text (CSV) or an XLSX workbook."))]
        ) from exc
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as exc:
        raise ImportRejected([_error(0, "", _("The CSV file cannot be read: %s") % exc)]) from exc


def _xlsx_table(content: bytes) -> Iterator[list]:
    fileobj = io.BytesIO(content)
    core_imports.check_xlsx(fileobj)
    return core_imports.xlsx_rows(fileobj)


def _parse_decimal(text: str, *, maximum: Decimal, places: int) -> Decimal | str:
    """A Decimal, or an error message."""
    value = core_imports.parse_number(text)
    if value is None:
        return _("Not a number.")
    if value < 0:
        return _("Cannot be negative.")
    if value > maximum:
        return _("Too large (at most %(max)s).") % {"max": maximum}
    if value != value.quantize(Decimal(1).scaleb(-places)):
        return _("At most %(n)s decimal places.") % {"n": places}
    return value


def _parse_date(text: str) -> dt.date | str:
    for fmt in ("%Y-%m-%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return _("Not a date (YYYY-MM-DD).")


def validate(rows, *, today: dt.date) -> tuple[list[dict], list[dict]]:
    """``(clean rows, errors)``. Two queries: the staff and the courses named in the file."""
    employee_nos = {v["employee_no"] for _line, v in rows if v["employee_no"]}
    codes = {v["course"] for _line, v in rows if v["course"]}
    staff = dict(
        Staff.objects.filter(employee_no__in=employee_nos).values_list("employee_no", "pk")
    )
    courses = {c.code: c for c in Course.objects.filter(code__in=codes)}
    errors: list[dict] = []
    clean: list[dict] = []
    seen: dict[tuple, int] = {}
    for line, v in rows:
        nul = core_imports.nul_errors(line, v)
        if nul:
            errors.extend(nul)
            continue
        row_errors = []
        staff_id = None
        if not v["employee_no"]:
            row_errors.append(_error(line, "employee_no", _("Required.")))
        else:
            staff_id = staff.get(v["employee_no"])
            if staff_id is None:
                row_errors.append(
                    _error(
                        line,
                        "employee_no",
                        _("Unknown employee number “%(no)s”.") % {"no": v["employee_no"]},
                    )
                )
        course = None
        if not v["course"]:
            row_errors.append(_error(line, "course", _("Required.")))
        else:
            course = courses.get(v["course"])
            if course is None:
                row_errors.append(
                    _error(line, "course", _("Unknown course “%(code)s”.") % {"code": v["course"]})
                )
        date = _parse_date(v["date"]) if v["date"] else _("Required.")
        if isinstance(date, str):
            row_errors.append(_error(line, "date", date))
            date = None
        elif date > today:
            row_errors.append(_error(line, "date", _("The date lies in the future.")))
        values = {}
        for column, maximum, places in (
            ("hours", MAX_HOURS, 1),
            ("credits", MAX_CREDITS, 2),
        ):
            if not v[column]:
                # Empty hours / credits take the catalogue's figure.
                values[column] = getattr(course, column) if course else None
                continue
            parsed = _parse_decimal(v[column], maximum=maximum, places=places)
            if isinstance(parsed, str):
                row_errors.append(_error(line, column, parsed))
            else:
                values[column] = parsed
        result = RESULT_ALIASES.get(v["result"].strip().lower()) if v["result"] else None
        if result is None:
            row_errors.append(
                _error(
                    line,
                    "result",
                    _("Unknown result “%(value)s” (passed, completed or failed).")
                    % {"value": v["result"]},
                )
            )
        if staff_id and course and date:
            key = (staff_id, course.pk, date)
            if key in seen:
                row_errors.append(
                    _error(
                        line,
                        "course",
                        _("Duplicate of line %(line)s (same employee, course and date).")
                        % {"line": seen[key]},
                    )
                )
            else:
                seen[key] = line
        if row_errors:
            errors.extend(row_errors)
            continue
        clean.append(
            {
                "line": line,
                "staff_id": staff_id,
                "course": course,
                "date": date,
                "hours": values["hours"],
                "credits": values["credits"],
                "result": result,
            }
        )
    return clean, errors


@transaction.atomic
def import_records(*, actor, content: bytes, filename: str = "", today: dt.date) -> ImportResult:
    """Import ledger lines (all-or-nothing, idempotent). See the module docstring."""
    require_office(actor)
    rows = read_rows(content, filename)
    if not rows:
        raise ImportRejected([_error(2, "", _("The file has no data rows."))])
    clean, errors = validate(rows, today=today)
    if errors:
        raise ImportRejected(errors)
    existing = {
        (r.staff_id, r.course_id, r.date): r
        for r in TrainingRecord.objects.filter(
            source=TrainingRecord.Source.IMPORT,
            staff_id__in={c["staff_id"] for c in clean},
            course_id__in={c["course"].pk for c in clean},
            date__in={c["date"] for c in clean},
        )
    }
    batch = RecordImport.objects.create(
        filename=(filename or "upload")[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        rows=len(clean),
        created=0,
        updated=0,
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    to_create, to_update = [], []
    matched = 0
    for c in clean:
        record = existing.get((c["staff_id"], c["course"].pk, c["date"]))
        if record is None:
            to_create.append(
                TrainingRecord(
                    staff_id=c["staff_id"],
                    course=c["course"],
                    date=c["date"],
                    hours=c["hours"],
                    credits=c["credits"],
                    result=c["result"],
                    source=TrainingRecord.Source.IMPORT,
                    batch=batch,
                )
            )
        else:
            matched += 1
            values = (c["hours"], c["credits"], c["result"])
            if (record.hours, record.credits, record.result) == values:
                continue  # same line as before: nothing to write
            record.hours, record.credits, record.result = values
            record.batch = batch
            to_update.append(record)
    TrainingRecord.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        # bulk_update skips auto_now; stamp updated_at explicitly. Small batches keep the
        # CASE expressions of each UPDATE short.
        now = clock.now()
        for record in to_update:
            record.updated_at = now
        TrainingRecord.objects.bulk_update(
            to_update, ["hours", "credits", "result", "batch", "updated_at"], batch_size=250
        )
    batch.created, batch.updated = len(to_create), matched
    batch.save(update_fields=["created", "updated"])
    audit.record(
        actor=actor,
        obj=batch,
        action="import",
        changes={"created": batch.created, "updated": batch.updated, "sha256": batch.sha256},
    )
    return ImportResult(created=batch.created, updated=batch.updated, batch=batch)
