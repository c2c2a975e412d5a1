"""``manage.py export_benchmark``: writes the records, times the export against the bare tool,
reports the memory, and keeps nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import StaffFactory
from training.models import TrainingRecord

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the export benchmark runs on PostgreSQL"
)


@pytest.mark.django_db
def test_the_benchmark_exports_the_records_and_keeps_nothing():
    StaffFactory.create_batch(3)
    out = io.StringIO()
    call_command("export_benchmark", "--rows", "3000", stdout=out)
    report = out.getvalue()
    assert "postgresql: 3,000 ledger records written in" in report
    assert "product: write_ledger" in report and "peak memory grew by" in report
    assert "bare:    cursor + write-only workbook" in report
    assert "ratio:" in report
    assert "rolled back: the database keeps nothing" in report
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_the_benchmark_needs_staff():
    with pytest.raises(CommandError, match="No staff"):
        call_command("export_benchmark", "--rows", "10", stdout=io.StringIO())
