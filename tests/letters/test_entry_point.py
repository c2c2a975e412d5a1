"""``letters.services.letter_issue_for``: the one way a decision asks for its letters —
scheduled after the deciding transaction commits, never inside it."""

import pytest
from django.db import transaction

from jobs.models import Job
from letters import services
from letters.models import Letter

pytestmark = pytest.mark.django_db


def test_nothing_is_issued_unless_the_decision_commits(promoted, office):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.letter_issue_for(actor=office, appointment_ids=[promoted.pk], kind="promotion")
        raise RuntimeError("the decision fails after asking for its letter")
    assert not Letter.objects.exists()


def test_a_single_letter_is_issued_after_the_commit_and_handed_back(
    promoted, office, django_capture_on_commit_callbacks
):
    issued = []
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_issue_for(
            actor=office,
            appointment_ids=[promoted.pk, promoted.pk],  # asked twice: one letter
            kind="promotion",
            on_issued=issued.append,
        )
        assert not Letter.objects.exists()
    letter = Letter.objects.get()
    assert issued == [letter]
    assert letter.appointment_id == promoted.pk and letter.kind == "promotion"


def test_in_the_background_the_letters_become_one_job(
    promoted, office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_issue_for(
            actor=office, appointment_ids=[promoted.pk], kind="promotion", background=True
        )
        assert not Job.objects.exists()
    job = Job.objects.get()
    assert job.kind == services.JOB_KIND and job.params["appointment_ids"] == [promoted.pk]


def test_a_failed_letter_is_logged_and_nothing_is_half_issued(
    promoted, office, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_issue_for(
            actor=office,
            appointment_ids=[promoted.pk],
            kind="demotion",  # wrong kind
        )
    assert not Letter.objects.exists()
    assert "Letter (demotion) for appointment" in caplog.text
