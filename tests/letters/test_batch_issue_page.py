"""The batch-issue form marks a wrong field and says why next to it (issue 9)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from jobs.models import Job
from letters import services
from letters.models import Letter

pytestmark = pytest.mark.django_db


def test_batch_issue_form_errors_next_to_the_field(office):
    page = Client()
    page.force_login(office)
    page.cookies["django_language"] = "en"
    html = page.get(reverse("letters:issue")).content.decode()
    assert 'class="form-select"' in html and 'class="form-control"' in html
    response = page.post(
        reverse("letters:issue"), {"kind": "appointment", "reason": "promotion", "start_from": "x"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    tag = re.search(r'<input[^>]*name="start_from"[^>]*>', html).group(0)
    assert 'class="form-control is-invalid"' in tag and 'aria-describedby="start_from-error"' in tag
    assert '<div class="invalid-feedback d-block" id="start_from-error">Enter a valid date.' in html
    assert Job.objects.count() == 0


def test_the_batch_names_the_leadership_meeting_in_its_letters(office, promoted):
    page = Client()
    page.force_login(office)
    page.cookies["django_language"] = "en"
    form = {
        "kind": "promotion",
        "reason": "promotion",
        "start_from": promoted.start.isoformat(),
        "only_open": "on",
    }
    html = page.get(reverse("letters:issue")).content.decode()
    assert "Leave both empty to name no meeting." in html and "db_worker" not in html
    half = page.post(reverse("letters:issue"), {**form, "meeting_year": "2026"})
    assert 'id="meeting_no-error">Give both the year and the number of the meeting.' in (
        half.content.decode()
    )
    assert Job.objects.count() == 0

    response = page.post(
        reverse("letters:issue"), {**form, "meeting_year": "2026", "meeting_no": "3"}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.params["meeting"] == [2026, 3]
    services.job_prepare(job, [promoted.pk])
    letter = Letter.objects.get(appointment=promoted)
    assert letter.facts["decision_line"] == "经公司认证领导小组2026年第3次会议研究决定"
