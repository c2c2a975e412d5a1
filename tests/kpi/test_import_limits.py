"""The import's limits (core.imports): refused as a 400 with line and column, never a 500, and
a million-row workbook refused before its rows are read."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kpi.models import Actual
from tests.files import docx_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
URL = "/api/v1/kpi/actuals/import/"
HEADER = ["employee_no", "indicator", "period", "value"]
ROW = (
    '<c t="inlineStr"><is><t>A001</t></is></c><c t="inlineStr"><is><t>REV</t></is></c>'
    '<c t="inlineStr"><is><t>2026-03</t></is></c><c><v>95</v></c>'
)


def _post(hr_api, content: bytes, name: str):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return hr_api.post(URL, {"file": upload}, format="multipart", HTTP_ACCEPT_LANGUAGE="en")


def _csv(*lines: str) -> bytes:
    return (",".join(HEADER) + "\n" + "".join(f"{line}\n" for line in lines)).encode()


def test_a_million_row_workbook_is_refused_in_under_2_s_and_100_mb(world, hr_api):
    content = xlsx_bytes(HEADER, ROW, 1_000_000)
    assert len(content) < 1_100_000
    # The first request loads the URL configuration and the views' modules: not the import's.
    assert _post(hr_api, b"x", "warm-up.csv").status_code == 400
    tracemalloc.start()
    started = time.perf_counter()
    response = _post(hr_api, content, "actuals.xlsx")
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 0
    assert "unpacks to more than" in response.json()["errors"][0]["message"]
    assert elapsed < 2
    assert peak < 100 * 1024 * 1024
    assert not Actual.objects.exists()


def test_rows_beyond_the_cap_are_refused_before_openpyxl_reads_them(
    world, hr_api, settings, monkeypatch
):
    settings.IMPORT_MAX_ROWS = 1000
    opened = []
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1))
    response = _post(hr_api, xlsx_bytes(HEADER, ROW, 1001), "actuals.xlsx")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"line": 0, "column": "", "message": "At most 1000 rows per file."}
    ]
    assert opened == []


def test_a_workbook_at_the_row_cap_is_read(world, hr_api, settings):
    settings.IMPORT_MAX_ROWS = 3
    response = _post(hr_api, xlsx_bytes(HEADER, ROW, 1), "actuals.xlsx")
    assert response.status_code == 201, response.json()


def test_csv_rows_are_counted_while_streaming(world, hr_api, settings):
    settings.IMPORT_MAX_ROWS = 2
    ok = _csv("A001,REV,2026-03,95", "B001,REV,2026-03,80")
    assert _post(hr_api, ok, "a.csv").status_code == 201
    over = _csv("A001,REV,2026-03,95", "B001,REV,2026-03,80", "C001,REV,2026-03,70")
    response = _post(hr_api, over, "a.csv")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "At most 2 rows per file."


def test_a_file_above_the_size_cap_is_refused(world, hr_api, settings):
    settings.IMPORT_MAX_BYTES = 50
    response = _post(hr_api, _csv("A001,REV,2026-03,95", "B001,REV,2026-03,80"), "a.csv")
    assert response.status_code == 400
    assert "larger than" in response.json()["errors"][0]["message"]


def test_a_zip_bomb_is_refused_from_its_directory(world, hr_api, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (2 * 1024 * 1024))
    response = _post(hr_api, buffer.getvalue(), "bomb.xlsx")
    assert response.status_code == 400
    assert "unpacks to more than 1 MB" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "content", [docx_bytes(), b"PK\x03\x04garbage", xlsx_bytes(HEADER, ROW, 2)[:-60]]
)
def test_a_zip_that_is_not_a_readable_workbook_answers_400(world, hr_api, content):
    response = _post(hr_api, content, "actuals.xlsx")
    assert response.status_code == 400
    assert response.json()["code"] == "import_rejected"


def test_a_nul_byte_is_a_row_error_with_line_and_column(world, hr_api):
    response = _post(hr_api, _csv("A001,REV,2026-03,95", "B001,RE\x00V,2026-03,80"), "a.csv")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "line": 3,
            "column": "indicator",
            "message": "Contains a NUL character, which is not allowed.",
        }
    ]
    assert not Actual.objects.exists()


@pytest.mark.parametrize("value", ["1,0,0", "1.0.0", "1e3", "NaN", "--1"])
def test_a_malformed_number_is_a_row_error(world, hr_api, value):
    response = _post(hr_api, _csv(f'A001,REV,2026-03,"{value}"'), "a.csv")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["line"], error["column"]) == (2, "value")
    assert not Actual.objects.exists()
