"""The batch-issue form marks a wrong field and says why next to it (issue 9)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from jobs.models import Job

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
