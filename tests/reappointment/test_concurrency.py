"""Two office users renewing the same term at the same moment: exactly one renewal."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from core.errors import InvalidTransition
from org.models import Appointment
from reappointment import services

from .conftest import TODAY
from .factories import term_ending

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="select_for_update is a no-op on SQLite; run on PostgreSQL",
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_renewals_write_one_new_appointment(ladder, hr, grades):
    staff = term_ending(ladder[1], dt.date(2027, 1, 10))
    appointment = Appointment.objects.get(staff=staff)
    case = services.review_open(actor=hr, appointment_ids=[appointment.pk], today=TODAY).cases.get()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def renew():
        try:
            barrier.wait()
            services.review_renew(actor=hr, case=case, today=TODAY)
            outcomes.append("renewed")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=renew) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "renewed"]
    assert Appointment.objects.filter(staff=staff).count() == 2
