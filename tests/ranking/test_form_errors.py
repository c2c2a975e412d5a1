"""The preview form shows a refusal next to the field it is about (issue 9)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ranking.models import RankingRun
from tests.ranking.factories import staff_with_scores

pytestmark = pytest.mark.django_db


def _data(ladder, **over):
    data = {
        "track": ladder[0].track.pk,
        "year": 2025,
        "cohort": "level",
        "bottom_pct": "5",
        "min_months": 6,
        "min_cohort": 10,
        "kpi_weight": "1",
        "pass_line": "60",
        "elimination_line": "40",
    }
    data.update(over)
    return data


def test_a_committed_year_needs_a_reason_shown_next_to_the_field(scores, ladder, hr_user):
    staff_with_scores(scores, ladder[1], [50 + i for i in range(20)])
    client = Client()
    client.force_login(hr_user)
    client.cookies["django_language"] = "en"
    first = client.post(reverse("ranking:run-list"), _data(ladder))
    client.post(first["Location"], {"reason": ""})
    response = client.post(reverse("ranking:run-list"), _data(ladder))
    html = response.content.decode()
    assert response.status_code == 200
    tag = re.search(r'<input[^>]*name="reason"[^>]*>', html).group(0)
    assert 'class="form-control is-invalid"' in tag and 'aria-describedby="reason-error"' in tag
    assert '<div class="invalid-feedback" id="reason-error">The ranking of 2025 is already' in html
    assert RankingRun.objects.count() == 1
    response = client.post(reverse("ranking:run-list"), _data(ladder, reason="数据更正"))
    assert response.status_code == 302 and RankingRun.objects.count() == 2


def test_invalid_number_marked_on_its_field(scores, ladder, hr_user):
    client = Client()
    client.force_login(hr_user)
    html = client.post(reverse("ranking:run-list"), _data(ladder, bottom_pct="0")).content.decode()
    assert 'name="bottom_pct"' in html and 'aria-describedby="bottom_pct-error"' in html
    assert RankingRun.objects.count() == 0
