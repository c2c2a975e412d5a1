"""The nightly check: a term past its end date without a decision is overdue (not on the end
date itself); nothing expires and nobody is demoted."""

import datetime as dt

import pytest
from django.core.management import call_command

from core.audit import history
from org.models import Appointment
from reappointment import selectors, services
from reappointment.jobs import KIND
from reappointment.models import ReappointmentCase

from .conftest import TODAY
from .factories import term_ending


def test_overdue_listing_starts_the_day_after_the_end_date(ladder, hr):
    staff = term_ending(ladder[1], TODAY)
    assert not selectors.overdue(user=hr, today=TODAY).exists()  # on the end date
    assert [a.staff_id for a in selectors.overdue(user=hr, today=TODAY + dt.timedelta(days=1))] == [
        staff.pk
    ]


def test_mark_overdue_only_after_the_end_date_and_only_once(ladder):
    staff = term_ending(ladder[1], TODAY)
    appointment = Appointment.objects.get(staff=staff)
    assert services.reviews_mark_overdue(appointment_id=appointment.pk, today=TODAY) is None
    assert not ReappointmentCase.objects.exists()

    day_after = TODAY + dt.timedelta(days=1)
    case = services.reviews_mark_overdue(appointment_id=appointment.pk, today=day_after)
    assert (case.status, case.overdue_since, case.review_id) == ("overdue", day_after, None)
    services.reviews_mark_overdue(
        appointment_id=appointment.pk, today=day_after + dt.timedelta(days=1)
    )
    case.refresh_from_db()
    assert case.overdue_since == day_after
    assert [e.action for e in history(case)] == ["reappointment:overdue"]
    # no silent expiry, no demotion: the appointment and the level stay as they were
    appointment.refresh_from_db()
    staff.refresh_from_db()
    assert appointment.closed_on is None and staff.level == ladder[1]


def test_a_decided_term_is_not_overdue(ladder, hr, grades):
    staff = term_ending(ladder[1], TODAY - dt.timedelta(days=3))
    appointment = Appointment.objects.get(staff=staff)
    case = services.review_open(actor=hr, appointment_ids=[appointment.pk], today=TODAY).cases.get()
    services.review_refer(actor=hr, case=case, today=TODAY)
    assert not selectors.overdue(user=hr, today=TODAY).exists()
    assert selectors.overdue_ids(today=TODAY) == []


def test_an_overdue_case_joins_a_review_and_is_decided_there(ladder, hr, grades):
    staff = term_ending(ladder[1], TODAY - dt.timedelta(days=3))
    appointment = Appointment.objects.get(staff=staff)
    services.reviews_mark_overdue(appointment_id=appointment.pk, today=TODAY)
    review = services.review_open(actor=hr, appointment_ids=[appointment.pk], today=TODAY)
    case = review.cases.get()
    assert case.status == "overdue"
    case = services.review_renew(actor=hr, case=case, today=TODAY)  # no requirement: conditions met
    assert case.new_appointment.start == appointment.end


@pytest.mark.django_db(transaction=True)
def test_nightly_job_runs_through_the_job_mechanism(ladder):
    """The command queues a ``jobs`` job; the real ``db_worker`` marks the overdue terms."""
    from jobs.models import Job

    late = term_ending(ladder[1], TODAY - dt.timedelta(days=1), employee_no="LATE")
    term_ending(ladder[1], TODAY, employee_no="TODAY")
    term_ending(ladder[1], TODAY + dt.timedelta(days=30), employee_no="SOON")

    call_command("reappointment_nightly", "--date", TODAY.isoformat())

    job = Job.objects.get(kind=KIND)
    assert (job.total, job.status) == (1, "queued")
    assert not ReappointmentCase.objects.exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("done", 1, 0)
    case = ReappointmentCase.objects.get()
    assert (case.staff_id, case.status, case.overdue_since) == (late.pk, "overdue", TODAY)
    # the next night finds nothing new to mark
    call_command("reappointment_nightly", "--date", (TODAY + dt.timedelta(days=1)).isoformat())
    assert Job.objects.filter(kind=KIND).order_by("-id").first().total == 1  # TODAY's term


def test_nightly_inline_runs_without_the_worker(ladder):
    term_ending(ladder[1], TODAY - dt.timedelta(days=1))
    call_command("reappointment_nightly", "--date", TODAY.isoformat(), "--inline")
    assert ReappointmentCase.objects.get().status == "overdue"
