"""The ledger import's limits (core.imports): 400 with line and column, never a 500."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.files import xlsx_bytes
from training.models import TrainingRecord

from .factories import CourseFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/training/records/import/"
HEADER = ["employee_no", "course", "date", "hours", "credits", "result"]
ROW = "".join(
    f'<c t="inlineStr"><is><t>{v}</t></is></c>'
    for v in ("K001", "B01", "2026-03-01", "4", "2", "passed")
)


@pytest.fixture
def course(world):
    return CourseFactory(code="B01")


def _post(hr_api, content: bytes, name: str):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return hr_api.post(URL, {"file": upload}, format="multipart", HTTP_ACCEPT_LANGUAGE="en")


def _csv(*lines: str) -> bytes:
    return (",".join(HEADER) + "\n" + "".join(f"{line}\n" for line in lines)).encode()


def test_a_million_row_workbook_is_refused_in_under_2_s_and_100_mb(course, hr_api):
    content = xlsx_bytes(HEADER, ROW, 1_000_000)
    assert len(content) < 1_200_000  # about 1.1 MB, as in the report
    assert _post(hr_api, b"x", "warm-up.csv").status_code == 400  # loads the URL conf
    tracemalloc.start()
    started = time.perf_counter()
    response = _post(hr_api, content, "ledger.xlsx")
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 0
    assert elapsed < 2
    assert peak < 100 * 1024 * 1024
    assert not TrainingRecord.objects.exists()


def test_rows_beyond_the_cap_are_refused(course, hr_api, settings):
    settings.IMPORT_MAX_ROWS = 100
    response = _post(hr_api, xlsx_bytes(HEADER, ROW, 101), "ledger.xlsx")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"line": 0, "column": "", "message": "At most 100 rows per file."}
    ]
    rows = ["K001,B01,2026-03-01,4,2,passed", "K002,B01,2026-03-01,4,2,passed"]
    settings.IMPORT_MAX_ROWS = 1
    response = _post(hr_api, _csv(*rows), "ledger.csv")
    assert response.json()["errors"][0]["message"] == "At most 1 rows per file."


def test_a_workbook_within_the_caps_is_imported(course, hr_api):
    response = _post(hr_api, xlsx_bytes(HEADER, ROW, 1), "ledger.xlsx")
    assert response.status_code == 201, response.json()


def test_a_nul_byte_is_a_row_error_with_line_and_column(course, hr_api):
    response = _post(hr_api, _csv("K001,B01,2026-03-01,4,2,pa\x00ssed"), "ledger.csv")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "line": 2,
            "column": "result",
            "message": "Contains a NUL character, which is not allowed.",
        }
    ]


@pytest.mark.parametrize("hours", ["1,0,0", "1.0.0", "1e2", "Infinity", "12,34"])
def test_a_malformed_number_is_a_row_error_never_read_as_another(course, hr_api, hours):
    response = _post(hr_api, _csv(f'K001,B01,2026-03-01,"{hours}",2,passed'), "ledger.csv")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"line": 2, "column": "hours", "message": "Not a number."}]
    assert not TrainingRecord.objects.exists()


def test_thousands_grouped_in_threes_are_a_number(course, hr_api):
    response = _post(hr_api, _csv('K001,B01,2026-03-01,"1,000.5",2,passed'), "ledger.csv")
    assert response.status_code == 201, response.json()
    assert str(TrainingRecord.objects.get().hours) == "1000.5"
