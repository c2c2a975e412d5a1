import datetime as dt
import threading

import pytest
from django.db import connection

from letters import services
from letters.models import Letter
from tests.factories import StaffFactory

from .conftest import promote


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_get_consecutive_numbers_without_gaps(ladder, office):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are a no-op on SQLite")
    appointments = [
        promote(StaffFactory(level=ladder[1], level_since=dt.date(2023, 1, 1)), ladder[2])
        for _ in range(16)
    ]
    barrier = threading.Barrier(8)
    errors = []

    def issue(chunk):
        try:
            barrier.wait()
            for appointment in chunk:
                services.letter_issue(actor=office, appointment=appointment)
        except Exception as exc:  # noqa: BLE001 — reported below  # pragma: no cover
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(appointments[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    seqs = sorted(Letter.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, 17))
    assert Letter.objects.values("number").distinct().count() == 16


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_appointment_issued_concurrently_gets_one_letter(promoted, office):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are a no-op on SQLite")
    barrier = threading.Barrier(4)
    outcomes = []

    def issue():
        try:
            barrier.wait()
            services.letter_issue(actor=office, appointment=promoted)
            outcomes.append("issued")
        except Exception as exc:  # noqa: BLE001 — the thread hands what it raised to the test
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["InvalidTransition"] * 3 + ["issued"]
    assert list(Letter.objects.values_list("seq", flat=True)) == [1]
