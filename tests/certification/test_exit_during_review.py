"""A recommended candidate who left the company before the approval is not appointed: the
approval goes through for everyone else, and the cycle's record says who was left out and why."""

import datetime as dt

import pytest

from certification import services
from certification.models import Application
from core import audit
from org import services as org_services
from org.models import Appointment
from tests.certification.factories import TODAY
from tests.certification.test_events import reviewed_cycle

pytestmark = pytest.mark.django_db


def test_an_exited_recommended_candidate_is_not_appointed(ladder, hr, leader, fake):
    cycle, (stays, leaves), _member = reviewed_cycle(hr, ladder, scores=(88, 90))
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    org_services.staff_exit(actor=hr, staff=leaves.staff, exit_date=TODAY, reason="离职")
    services.cycle_approve(actor=leader, cycle=cycle, today=dt.date(2026, 12, 7))
    stays.refresh_from_db()
    leaves.refresh_from_db()
    assert (stays.status, leaves.status) == (
        Application.Status.PROMOTED,
        Application.Status.NOT_PROMOTED,
    )
    assert leaves.appointment_id is None
    assert not Appointment.objects.filter(staff=leaves.staff, level=ladder[2]).exists()
    (approve,) = [e for e in audit.history(cycle) if e.action == "approve"]
    assert approve.changes["not_appointed_exited"] == [leaves.pk]
    assert approve.changes["appointments"] == [stays.appointment_id]
