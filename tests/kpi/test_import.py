"""Bulk import of actuals: all-or-nothing, every bad row with line and column, idempotent."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.errors import ImportRejected
from core.models import AuditEvent
from kpi.imports import import_actuals
from kpi.models import Actual, AnnualScore, ImportBatch, Period, PeriodScore

from .factories import make_period

HEADER = "employee_no,indicator,period,value\n"


def _csv(*lines: str) -> io.BytesIO:
    return io.BytesIO((HEADER + "\n".join(lines) + "\n").encode())


def _import(content, hr_user, name="actuals.csv"):
    return import_actuals(actor=hr_user, fileobj=content, filename=name)


def test_import_creates_actuals_and_scores(world, hr_user):
    result = _import(
        _csv(
            "A001,REV,2026-03,95",
            "A001,CPL,2026-03,5",
            "A001,VIS,2026-03,10",
            "A001,RAT,2026-03,b",
            "A001,CMP,2026-03,1",
            "B001,REV,2026-03,110.5",
        ),
        hr_user,
    )
    assert (result.created, result.updated) == (6, 0)
    assert Actual.objects.get(staff=world.alice, indicator=world.rat).grade == "B"
    assert Actual.objects.get(staff=world.bob, indicator=world.rev).value == D("110.5")
    assert PeriodScore.objects.get(staff=world.alice, period=world.mar).total == D("92.00")
    assert PeriodScore.objects.get(staff=world.bob, period=world.mar).total == D("110.50")
    assert AnnualScore.objects.get(staff=world.bob, year=2026).score == D("110.50")
    batch = ImportBatch.objects.get()
    assert (batch.rows, batch.created, batch.updated) == (6, 6, 0)
    assert AuditEvent.objects.filter(action="kpi.actuals.import").count() == 1


def test_reimporting_the_same_file_updates_without_duplicates(world, hr_user):
    lines = ("A001,REV,2026-03,95", "B001,REV,2026-03,80")
    first = _import(_csv(*lines), hr_user)
    result = _import(_csv(*lines), hr_user)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Actual.objects.count() == 2
    result = _import(_csv("A001,REV,2026-03,100", "A001,REV,2026-04,50"), hr_user)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    batch = ImportBatch.objects.get(pk=result.batch.pk)
    assert (batch.rows, batch.created, batch.updated, batch.unchanged) == (2, 1, 1, 0)
    assert Actual.objects.count() == 3
    # Bob's actual was left as the first file wrote it: the second file changed nothing.
    assert dict(
        Actual.objects.values_list("staff__employee_no", "batch_id").filter(period=world.mar)
    ) == {"A001": result.batch.pk, "B001": first.batch.pk}
    assert PeriodScore.objects.get(staff=world.alice, period=world.mar).total == D("100.00")


def test_a_line_with_the_value_already_stored_writes_nothing_and_scores_nothing(
    world, hr_user, frozen_clock
):
    """Only what a file changes is written and rescored: the other lines keep who set their
    value and when, and the periods where nothing changed keep their scores untouched."""
    _import(
        _csv(
            "A001,REV,2026-03,95",
            "A001,RAT,2026-03,B",
            "A001,REV,2026-04,90",
            "B001,REV,2026-04,80",
        ),
        hr_user,
    )
    stamps = dict(PeriodScore.objects.values_list("pk", "computed_at"))
    actuals = {a.pk: (a.batch_id, a.updated_at) for a in Actual.objects.all()}
    frozen_clock.shift(3600)
    # The same figures written differently (95.00, b) change nothing at all.
    result = _import(
        _csv("A001,REV,2026-03,95.00", "A001,RAT,2026-03,b", "B001,REV,2026-04,80"), hr_user
    )
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert "recompute" not in result.timings
    assert {a.pk: (a.batch_id, a.updated_at) for a in Actual.objects.all()} == actuals
    assert dict(PeriodScore.objects.values_list("pk", "computed_at")) == stamps
    # One changed value in April: April is rescored, March is not.
    result = _import(_csv("A001,REV,2026-03,95", "B001,REV,2026-04,88"), hr_user)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    changed = Actual.objects.get(staff=world.bob, period=world.apr)
    assert (changed.value, changed.batch_id) == (D("88"), result.batch.pk)
    after = dict(PeriodScore.objects.values_list("pk", "computed_at"))
    march = set(PeriodScore.objects.filter(period=world.mar).values_list("pk", flat=True))
    april = set(PeriodScore.objects.filter(period=world.apr).values_list("pk", flat=True))
    assert all(after[pk] == stamps[pk] for pk in march)
    assert all(after[pk] > stamps[pk] for pk in april)
    assert PeriodScore.objects.get(staff=world.bob, period=world.apr).total == D("88.00")
    event = AuditEvent.objects.filter(action="kpi.actuals.import").latest("pk")
    assert event.changes == {"rows": 2, "created": 0, "updated": 1, "unchanged": 1}


def test_an_unchanged_value_keeps_the_manual_entry_that_set_it(world, hr_user):
    from kpi.services import actual_enter

    actual_enter(
        actor=hr_user, staff=world.alice, indicator=world.rev, period=world.mar, value="95"
    )
    result = _import(_csv("A001,REV,2026-03,95"), hr_user)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    actual = Actual.objects.get(staff=world.alice, indicator=world.rev, period=world.mar)
    assert (actual.source, actual.batch_id) == (Actual.Source.MANUAL, None)


def test_every_error_type_reported_with_line_and_column_and_nothing_written(world, hr_user):
    make_period("2025-12", status=Period.Status.LOCKED)
    content = _csv(
        "A001,REV,2026-03,95",  # line 2: fine
        "Z999,REV,2026-03,95",  # 3: unknown employee
        "A001,NOPE,2026-03,95",  # 4: unknown indicator
        "A001,REV,2026-13,95",  # 5: unknown period
        "A001,REV,2025-12,95",  # 6: period locked
        "A001,CPL,2026-03,abc",  # 7: not a number
        "A001,RAT,2026-03,F",  # 8: not a grade
        "A001,CMP,2026-03,1.5",  # 9: not a whole count
        "A001,REV,2026-03,96",  # 10: duplicate of line 2
        ",REV,2026-03,",  # 11: employee and value missing
        "A001,VIS,2026-03,1.23456",  # 12: too many decimals
    )
    with pytest.raises(ImportRejected) as exc:
        _import(content, hr_user)
    got = [(e["line"], e["column"]) for e in exc.value.errors]
    assert got == [
        (3, "employee_no"),
        (4, "indicator"),
        (5, "period"),
        (6, "period"),
        (7, "value"),
        (8, "value"),
        (9, "value"),
        (10, "employee_no"),
        (11, "employee_no"),
        (11, "value"),
        (12, "value"),
    ]
    messages = {(e["line"], e["column"]): e["message"] for e in exc.value.errors}
    assert messages[(3, "employee_no")] == "Unknown employee number."
    assert messages[(4, "indicator")] == "Unknown indicator code."
    assert "Unknown period" in messages[(5, "period")]
    assert "locked" in messages[(6, "period")]
    assert "Not a number" in messages[(7, "value")]
    assert "A, B, C, D, E" in messages[(8, "value")]
    assert "whole number" in messages[(9, "value")]
    assert messages[(10, "employee_no")].startswith("Duplicate of line 2")
    assert messages[(11, "employee_no")] == "Required."
    # each error shows the offending cell as read, so the office finds it in the file
    assert {(e["line"], e["column"]): e["value"] for e in exc.value.errors} == {
        (3, "employee_no"): "Z999",
        (4, "indicator"): "NOPE",
        (5, "period"): "2026-13",
        (6, "period"): "2025-12",
        (7, "value"): "abc",
        (8, "value"): "F",
        (9, "value"): "1.5",
        (10, "employee_no"): "A001",
        (11, "employee_no"): "",
        (11, "value"): "",
        (12, "value"): "1.23456",
    }
    assert Actual.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    assert PeriodScore.objects.count() == 0


@pytest.mark.parametrize(
    ("bad_line", "column", "message"),
    [
        ("Z999,REV,2026-03,95", "employee_no", "Unknown employee number."),
        ("A001,NOPE,2026-03,95", "indicator", "Unknown indicator code."),
        ("A001,REV,2026-13,95", "period", "Unknown period"),
        ("A001,REV,2025-12,95", "period", "locked"),
        ("A001,CPL,2026-03,abc", "value", "Not a number"),
        ("A001,CPL,2026-03,123456789012345", "value", "Not a number"),
        ("A001,RAT,2026-03,F", "value", "A, B, C, D, E"),
        ("A001,CMP,2026-03,1.5", "value", "whole number"),
        ("A001,REV,2026-03,96", "employee_no", "Duplicate of line 2"),
        ("A001,VIS,2026-03,", "value", "Required."),
    ],
)
def test_each_problem_alone_refuses_the_file(world, hr_user, bad_line, column, message):
    """One problem in an otherwise good file, each kind on its own: on PostgreSQL the merge
    runs first and must leave exactly such a file unmerged, then the validation names the
    problem; nothing is written either way."""
    make_period("2025-12", status=Period.Status.LOCKED)
    with pytest.raises(ImportRejected) as exc:
        _import(_csv("A001,REV,2026-03,95", "B001,REV,2026-03,80", bad_line), hr_user)
    ((line, got_column, got_message),) = [
        (e["line"], e["column"], e["message"]) for e in exc.value.errors
    ]
    assert (line, got_column) == (4, column)
    assert message in got_message
    assert not Actual.objects.exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.postgres_only
def test_a_valid_file_is_merged_without_the_validation_query(world, hr_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("SQLite validates first: its upsert would take a duplicate line silently")
    with CaptureQueriesContext(connection) as queries:
        result = _import(_csv("A001,REV,2026-03,95", "B001,RAT,2026-03,b"), hr_user)
    assert (result.created, result.updated) == (2, 0)
    assert not [q for q in queries.captured_queries if "first_line" in q["sql"]]
    assert Actual.objects.get(staff=world.bob).grade == "B"


@pytest.mark.postgres_only
def test_a_merge_that_leaves_out_a_new_value_is_refused_not_taken_as_unchanged(
    world, hr_user, monkeypatch
):
    """The lines the merge leaves out of a valid file must hold their value already: a merge
    that dropped one (a guard gone wrong) fails the import rather than losing the line."""
    from django.db import connection

    from kpi import imports

    if connection.vendor != "postgresql":
        pytest.skip("SQLite validates before an unguarded merge")
    _import(_csv("A001,REV,2026-03,95"), hr_user)
    merge_sql = imports._merge_sql

    def dropping_line_3(loader, *, guarded=False):
        sql, params = merge_sql(loader, guarded=guarded)
        return sql.replace("WHERE p.status", "WHERE s.line <> 3 AND p.status"), params

    monkeypatch.setattr(imports, "_merge_sql", dropping_line_3)
    with pytest.raises(RuntimeError, match="1 of 2 lines have another value stored"):
        _import(_csv("A001,REV,2026-03,95", "A001,REV,2026-04,70"), hr_user)
    assert list(Actual.objects.values_list("period__code", "value")) == [("2026-03", D("95"))]
    assert ImportBatch.objects.count() == 1


def test_one_bad_row_rejects_the_whole_file(world, hr_user):
    rows = [f"A001,REV,2026-{m:02d},90" for m in (3, 4)] + ["A001,REV,2026-03,x"]
    with pytest.raises(ImportRejected):
        _import(_csv(*rows), hr_user)
    assert Actual.objects.count() == 0


def test_missing_columns_and_empty_file(world, hr_user):
    with pytest.raises(ImportRejected) as exc:
        _import(io.BytesIO(b"employee_no,indicator\nA001,REV\n"), hr_user)
    assert [(e["line"], e["column"]) for e in exc.value.errors] == [(1, "period"), (1, "value")]
    with pytest.raises(ImportRejected):
        _import(io.BytesIO(b""), hr_user)
    with pytest.raises(ImportRejected):
        _import(io.BytesIO(HEADER.encode()), hr_user)
    with pytest.raises(ImportRejected):
        _import(io.BytesIO(b"\xff\xfe\x00bad"), hr_user)


def test_xlsx_import(world, hr_user):
    book = Workbook()
    sheet = book.active
    sheet.append(["employee_no", "indicator", "period", "value"])
    sheet.append(["A001", "REV", "2026-03", 95])
    sheet.append(["A001", "CPL", "2026-03", 4.5])
    sheet.append(["A001", "RAT", "2026-03", "A"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    result = _import(buffer, hr_user, name="a.xlsx")
    assert result.created == 3
    assert Actual.objects.get(indicator=world.cpl).value == D("4.5")


def test_xlsx_errors_have_sheet_line_numbers(world, hr_user):
    book = Workbook()
    sheet = book.active
    sheet.append(["employee_no", "indicator", "period", "value"])
    sheet.append(["A001", "REV", "2026-03", 95])
    sheet.append(["A001", "REV", "2026-03", "n/a"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(ImportRejected) as exc:
        _import(buffer, hr_user, name="a.xlsx")
    assert [(e["line"], e["column"]) for e in exc.value.errors] == [
        (3, "value"),
        (3, "employee_no"),
    ] or [(e["line"], e["column"]) for e in exc.value.errors] == [
        (3, "employee_no"),
        (3, "value"),
    ]


def test_locked_period_import_refused(world, hr_user):
    from kpi import services

    services.period_lock(actor=hr_user, period=world.mar)
    with pytest.raises(ImportRejected) as exc:
        _import(_csv("A001,REV,2026-03,95"), hr_user)
    assert exc.value.errors[0]["column"] == "period"


def test_api_import_201_and_400(world, hr_api):
    ok = SimpleUploadedFile("a.csv", (HEADER + "A001,REV,2026-03,95\n").encode())
    response = hr_api.post("/api/v1/kpi/actuals/import/", {"file": ok}, format="multipart")
    assert response.status_code == 201
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0}
    bad = SimpleUploadedFile("b.csv", (HEADER + "A001,REV,2026-03,95\nX,REV,2026-03,1\n").encode())
    response = hr_api.post(
        "/api/v1/kpi/actuals/import/", {"file": bad}, format="multipart", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"line": 3, "column": "employee_no", "message": "Unknown employee number.", "value": "X"}
    ]
    assert Actual.objects.get().value == D("95")


def test_api_import_is_for_hr_only(world):
    from tests.conftest import client_for

    f = SimpleUploadedFile("a.csv", (HEADER + "A001,REV,2026-03,95\n").encode())
    response = client_for(world.manager_user).post(
        "/api/v1/kpi/actuals/import/", {"file": f}, format="multipart"
    )
    assert response.status_code == 403
    response = client_for(world.manager_user).post("/api/v1/kpi/actuals/import/", {})
    assert response.status_code == 403


def test_a_multi_source_indicator_is_not_imported(world, hr_user):
    from kpi import scoring
    from kpi.models import Indicator

    from .factories import make_indicator

    make_indicator("Q360", scoring.SOURCES, kind=Indicator.Kind.QUALITATIVE)
    with pytest.raises(ImportRejected) as exc:
        _import(_csv("A001,REV,2026-03,95", "A001,Q360,2026-03,80"), hr_user)
    assert [(e["line"], e["column"]) for e in exc.value.errors] == [(3, "indicator")]
    assert "multi-source ratings" in exc.value.errors[0]["message"]
    assert not Actual.objects.exists()
