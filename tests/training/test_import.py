"""Ledger import: all-or-nothing with line/column errors, idempotent, set-based."""

import datetime as dt
import io
import math
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook

from core.errors import ImportRejected
from tests.clock import days
from training.imports import import_records
from training.models import RecordImport, TrainingRecord

from .factories import CourseFactory

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = days(-2)
URL = "/api/v1/training/records/import/"
HEADER = "employee_no,course,date,hours,credits,result\n"


@pytest.fixture
def courses(world):
    return [
        CourseFactory(code="B01", hours=D("4.0"), credits=D("2.00")),
        CourseFactory(code="P01", hours=D("16.0"), credits=D("6.00")),
    ]


def _csv(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode("utf-8")


def _upload(content: bytes, name="ledger.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


GOOD = _csv(
    "K001,B01,2026-03-01,4,2,passed",
    "K002,P01,2026-04-15,16.0,6.50,合格",
    "K003,P01,2026/05/20,,,completed",
)


def test_import_creates_records_and_answers_created(hr_api, courses):
    response = hr_api.post(URL, {"file": _upload(GOOD)}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 3, "updated": 0}
    rows = list(
        TrainingRecord.objects.order_by("staff__employee_no").values_list(
            "staff__employee_no", "course__code", "date", "hours", "credits", "result", "source"
        )
    )
    assert rows == [
        ("K001", "B01", dt.date(2026, 3, 1), D("4.0"), D("2.00"), "passed", "import"),
        ("K002", "P01", dt.date(2026, 4, 15), D("16.0"), D("6.50"), "passed", "import"),
        # Empty hours and credits take the catalogue's figures.
        ("K003", "P01", dt.date(2026, 5, 20), D("16.0"), D("6.00"), "completed", "import"),
    ]


def test_re_importing_the_same_file_updates_and_duplicates_nothing(hr_api, courses):
    assert hr_api.post(URL, {"file": _upload(GOOD)}, format="multipart").status_code == 201
    again = hr_api.post(URL, {"file": _upload(GOOD)}, format="multipart")
    assert again.status_code == 201
    assert again.json() == {"created": 0, "updated": 3}
    assert TrainingRecord.objects.count() == 3
    # A corrected figure updates the line in place.
    fixed = _csv("K002,P01,2026-04-15,16,7.00,passed", "K004,B01,2026-06-01,4,2,failed")
    answer = hr_api.post(URL, {"file": _upload(fixed)}, format="multipart").json()
    assert answer == {"created": 1, "updated": 1}
    assert TrainingRecord.objects.get(staff__employee_no="K002").credits == D("7.00")
    assert TrainingRecord.objects.count() == 4
    assert RecordImport.objects.count() == 3


def test_every_bad_row_is_reported_with_line_and_column_and_nothing_is_written(hr_api, courses):
    content = _csv(
        "K001,B01,2026-03-01,4,2,passed",  # line 2: fine
        "K999,B01,2026-03-01,4,2,passed",  # line 3: unknown employee
        "K002,XX9,2026-03-01,4,2,passed",  # line 4: unknown course
        "K002,B01,2026-13-01,4,2,passed",  # line 5: bad date
        "K002,B01,2026-03-02,four,-1,passed",  # line 6: hours not a number, credits negative
        "K002,B01,2026-03-03,4,2,maybe",  # line 7: unknown result
        "K001,B01,2026-03-01,4,2,passed",  # line 8: duplicate of line 2
        f"K002,B01,{days(1).isoformat()},4,2,passed",  # line 9: tomorrow, in the future
        "K002,B01,2026-03-04,4,2.125,passed",  # line 10: three decimal places
    )
    response = hr_api.post(URL, {"file": _upload(content)}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected"
    assert [(e["line"], e["column"]) for e in body["errors"]] == [
        (3, "employee_no"),
        (4, "course"),
        (5, "date"),
        (6, "hours"),
        (6, "credits"),
        (7, "result"),
        (8, "course"),
        (9, "date"),
        (10, "credits"),
    ]
    assert "K999" in body["errors"][0]["message"]
    assert "2" in body["errors"][6]["message"]  # names the line it duplicates
    assert TrainingRecord.objects.count() == 0
    assert RecordImport.objects.count() == 0


def test_one_bad_row_among_good_ones_writes_nothing(world, courses):
    content = _csv(*[f"K00{i % 4 + 1},B01,2026-03-{i + 1:02d},4,2,passed" for i in range(20)])
    content += b"K001,B01,2026-04-01,4,2,passd\n"
    with pytest.raises(ImportRejected) as err:
        import_records(actor=None, content=content, today=TODAY)
    assert err.value.errors == [
        {"line": 22, "column": "result", "message": err.value.errors[0]["message"]}
    ]
    assert TrainingRecord.objects.count() == 0


def test_a_header_without_the_required_columns_is_rejected(world):
    content = b"employee,course,date\nK001,B01,2026-03-01\n"
    with pytest.raises(ImportRejected) as err:
        import_records(actor=None, content=content, today=TODAY)
    assert [(e["line"], e["column"]) for e in err.value.errors] == [
        (1, "employee_no"),
        (1, "hours"),
        (1, "credits"),
        (1, "result"),
    ]


def test_a_file_that_is_neither_utf8_nor_xlsx_is_rejected(hr_api, world):
    content = (HEADER + "K001,B01,2026-03-01,4,2,合格\n").encode("gbk")
    response = hr_api.post(URL, {"file": _upload(content)}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 0


def test_an_xlsx_file_imports_the_same_way(hr_api, courses):
    wb = Workbook()
    ws = wb.active
    ws.append(["employee_no", "course", "date", "hours", "credits", "result"])
    ws.append(["K001", "P01", dt.date(2026, 2, 1), 16, 6.5, "passed"])
    ws.append(["K003", "B01", dt.datetime(2026, 2, 2, 0, 0), 4, 2, "failed"])
    ws.append([None, None, None, None, None, None])  # blank rows are skipped
    buf = io.BytesIO()
    wb.save(buf)
    upload = SimpleUploadedFile(
        "ledger.xlsx",
        buf.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response = hr_api.post(URL, {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 2, "updated": 0}
    record = TrainingRecord.objects.get(staff__employee_no="K001")
    assert (record.date, record.credits) == (dt.date(2026, 2, 1), D("6.50"))


def test_an_xlsx_with_a_bad_cell_names_its_line(world, courses):
    wb = Workbook()
    ws = wb.active
    ws.append(["employee_no", "course", "date", "hours", "credits", "result"])
    ws.append(["K001", "P01", "2026-02-01", 16, 6, "passed"])
    ws.append(["K002", "P01", "yesterday", 16, 6, "passed"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ImportRejected) as err:
        import_records(actor=None, content=buf.getvalue(), filename="x.xlsx", today=TODAY)
    assert [(e["line"], e["column"]) for e in err.value.errors] == [(3, "date")]


def test_the_import_takes_a_constant_number_of_queries(
    world, courses, django_assert_max_num_queries
):
    """Reads are one query each (staff, courses, existing records) and writes are bulk. The
    only growth is the backend's own batching of bulk statements (SQLite caps the variables
    of one statement; PostgreSQL takes the 400 rows in one INSERT)."""

    def file_of(n, course, credits="2"):
        staff = ["K001", "K002", "K003", "K004", "M001"]
        lines = []
        for i in range(n):
            day = dt.date(2024, 1, 1) + dt.timedelta(days=i // len(staff))
            lines.append(f"{staff[i % len(staff)]},{course},{day},4,{credits},passed")
        return _csv(*lines)

    fields = [f for f in TrainingRecord._meta.concrete_fields if not f.primary_key]
    chunks = math.ceil(400 / connection.ops.bulk_batch_size(fields, [None] * 400))
    with django_assert_max_num_queries(12) as small:
        import_records(actor=None, content=file_of(10, "B01"), today=TODAY)
    with django_assert_max_num_queries(12 + chunks) as big:
        import_records(actor=None, content=file_of(400, "P01"), today=TODAY)
    assert len(big.captured_queries) <= len(small.captured_queries) + chunks - 1
    assert TrainingRecord.objects.count() == 410
    # Re-importing (all updates) is set-based as well: one UPDATE per backend batch.
    with django_assert_max_num_queries(12 + chunks) as again:
        result = import_records(actor=None, content=file_of(400, "P01"), today=TODAY)
    assert (result.created, result.updated) == (0, 400)
    assert not any('INSERT INTO "training_trainingrecord"' in q["sql"] for q in again)


def test_only_the_office_imports(alice_api, mgr_api, courses):
    for client in (alice_api, mgr_api):
        response = client.post(URL, {"file": _upload(GOOD)}, format="multipart")
        assert response.status_code == 403
    assert TrainingRecord.objects.count() == 0


def test_import_without_a_file_is_a_400(hr_api, world):
    response = hr_api.post(URL, {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()
