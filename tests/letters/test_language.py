"""Letters are written in the recipient's language: ``language=`` on the issuing path defaults
to ``settings.LANGUAGE_CODE``; the batch job writes each letter in the language its recipient
chose in their notification settings (:func:`letters.services.recipient_languages`)."""

import datetime as dt

import pytest

from letters import services
from letters.models import Letter
from notifications.services import settings_update
from tests.factories import StaffFactory, make_user_for
from tests.jobs.worker import run_worker_in_process

from .conftest import promote
from .helpers import pdf_text


@pytest.mark.django_db
def test_the_default_language_is_the_language_code(promoted, office, settings):
    settings.LANGUAGE_CODE = "en"
    letter = services.letter_issue(actor=office, appointment=promoted)
    assert letter.language == "en"
    assert "LetterofAppointment" in pdf_text(services.letter_path(letter).read_bytes())


@pytest.mark.django_db(transaction=True)
def test_the_batch_job_writes_each_letter_in_its_recipients_language(ladder, office):
    staff = [StaffFactory(level=ladder[1], level_since=dt.date(2023, 1, 1)) for _ in range(3)]
    appointments = [promote(s, ladder[2]) for s in staff]
    english = appointments[1].pk
    settings_update(user=make_user_for(staff[1]), language="en")
    make_user_for(staff[2])  # a login that never chose: the default language
    assert services.recipient_languages(appointments) == {
        appointments[0].pk: "zh-hans",  # no login at all
        english: "en",
        appointments[2].pk: "zh-hans",
    }
    services.letters_issue_job(
        actor=office, appointment_ids=[a.pk for a in appointments], kind="promotion"
    )
    run_worker_in_process()
    languages = dict(Letter.objects.values_list("appointment_id", "language"))
    assert languages == {
        appointments[0].pk: "zh-hans",
        english: "en",
        appointments[2].pk: "zh-hans",
    }
    en = Letter.objects.get(appointment_id=english)
    assert "LetterofAppointment" in pdf_text(services.letter_path(en).read_bytes())


@pytest.mark.django_db(transaction=True)
def test_a_batch_for_one_language_writes_every_letter_in_it(ladder, office):
    appointment = promote(StaffFactory(level=ladder[1], level_since=dt.date(2023, 1, 1)), ladder[2])
    services.letters_issue_job(
        actor=office, appointment_ids=[appointment.pk], kind="promotion", language="en"
    )
    run_worker_in_process()
    assert Letter.objects.get().language == "en"
