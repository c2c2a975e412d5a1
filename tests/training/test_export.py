"""The ledger's XLSX export: filters (unit incl. subtree, period, course), content, scope."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from training.imports import import_records
from training.models import TrainingRecord

from .factories import CourseFactory, RecordFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def ledger(world):
    b01 = CourseFactory(code="B01", title="商务礼仪")
    p01 = CourseFactory(code="P01", title="大客户拜访策划")
    RecordFactory(staff=world.alice, course=b01, date=dt.date(2026, 1, 10), credits=D("2.00"))
    RecordFactory(staff=world.alice, course=p01, date=dt.date(2026, 3, 10), credits=D("6.50"))
    RecordFactory(staff=world.bob, course=p01, date=dt.date(2025, 12, 31), credits=D("6.50"))
    RecordFactory(staff=world.carol, course=p01, date=dt.date(2026, 3, 11), credits=D("6.00"))
    RecordFactory(staff=world.dave, course=p01, date=dt.date(2026, 3, 12), credits=D("6.00"))
    return b01, p01


def _rows(response):
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_export_matches_the_filters(world, ledger, hr_api):
    _b01, p01 = ledger
    response = hr_api.get(
        "/api/v1/training/records/export/",
        {"unit": world.gz.pk, "date_from": "2026-01-01", "date_to": "2026-12-31", "course": p01.pk},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = _rows(response)
    assert rows[0] == [
        "employee_no",
        "name",
        "unit",
        "course",
        "title",
        "date",
        "hours",
        "credits",
        "result",
        "source",
    ]
    # GZ's subtree (GZ-KA and GZ-GOV), 2026, P01: alice and carol; bob is 2025, dave is SZ.
    assert [(r[0], r[3], r[5].date(), r[7]) for r in rows[1:]] == [
        ("K001", "P01", dt.date(2026, 3, 10), 6.5),
        ("K003", "P01", dt.date(2026, 3, 11), 6),
    ]
    assert rows[1][1:3] == ["爱丽", "GZ-KA"]
    assert rows[1][8:] == ["passed", "import"]
    from core.models import DownloadRecord

    assert DownloadRecord.objects.get().object_repr == "training-ledger-20261130.xlsx"


def test_the_page_export_uses_the_same_filters_and_scope(world, ledger, client):
    client.force_login(world.mgr.user)
    response = client.get("/training/records/export.xlsx", {"date_from": "2026-01-01"})
    assert response.status_code == 200
    # The manager sees GZ's subtree only: dave (SZ) is not exported.
    assert sorted(r[0] for r in _rows(response)[1:]) == ["K001", "K001", "K003"]


def test_a_staff_member_exports_only_their_own_records(world, ledger, alice_api):
    rows = _rows(alice_api.get("/api/v1/training/records/export/"))
    assert {r[0] for r in rows[1:]} == {"K001"}
    assert len(rows) == 3


def test_an_exported_file_imports_back_without_changes(world, ledger, hr_api):
    content = b"".join(hr_api.get("/api/v1/training/records/export/").streaming_content)
    before = list(TrainingRecord.objects.order_by("pk").values_list("pk", "credits", "result"))
    result = import_records(
        actor=None, content=content, filename="x.xlsx", today=dt.date(2026, 11, 28)
    )
    assert (result.created, result.updated) == (0, 5)
    after = list(TrainingRecord.objects.order_by("pk").values_list("pk", "credits", "result"))
    assert after == before


def test_export_queries_do_not_grow_with_the_rows(world, hr_api, django_assert_max_num_queries):
    course = CourseFactory(code="B02")
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            staff=s,
            course=course,
            date=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            hours=D("2"),
            credits=D("1"),
            result="passed",
            source="import",
        )
        for i in range(60)
        for s in (world.alice, world.bob, world.carol)
    )
    with django_assert_max_num_queries(6):
        response = hr_api.get("/api/v1/training/records/export/")
        rows = _rows(response)
    assert len(rows) == 181


def test_a_formula_like_certificate_title_is_written_as_text(world, hr_api):
    RecordFactory(staff=world.alice, course=None, title='=HYPERLINK("http://x","y")')
    RecordFactory(staff=world.bob, course=None, title="@SUM(A1)")
    response = hr_api.get("/api/v1/training/records/export/")
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    titles = {row[0].value: row[4] for row in sheet.iter_rows(min_row=2)}
    assert titles["K001"].data_type == "s"
    assert titles["K001"].value == '\'=HYPERLINK("http://x","y")'
    assert titles["K002"].value == "'@SUM(A1)"
