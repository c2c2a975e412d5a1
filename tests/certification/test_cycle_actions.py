"""Actions that explain themselves on the cycle page: a disabled button says why (and from
when), a success message says what happened with counts and dates, and the stepper shows
where the cycle stands."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client

from certification import services
from certification.models import Application
from tests.certification.factories import (
    COMMITTEE_ONLY,
    applicant,
    committee_member,
    make_cycle,
)
from tests.clock import FROZEN_TODAY

pytestmark = pytest.mark.django_db


def web(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _messages(res) -> list[str]:
    return re.findall(r'class="alert alert-success" role="alert">([^<]+)<', res.content.decode())


def test_a_draft_without_a_scoring_sheet_cannot_be_opened_and_says_why(ladder, hr):
    cycle = make_cycle(hr, ladder, dimensions=[])
    page = web(hr).get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert 'name="action" value="open"' not in page
    assert 'data-action="open"' in page and "disabled" in page
    assert "The scoring sheet has no dimensions." in page
    assert 'data-state="draft" data-position="current"' in page
    assert f"planned {cycle.window_start:%Y-%m-%d}" in page


def test_the_office_runs_the_cycle_and_each_message_says_what_happened(ladder, hr, leader, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open", publicity_days=1)
    apps = []
    for _ in range(3):
        _, user = applicant(ladder[1])
        app = services.application_create(actor=user, cycle=cycle, statement="业绩")
        services.application_submit(actor=user, application=app)
        apps.append(app)
    client = web(hr)
    res = client.post(
        f"/certification/cycles/{cycle.pk}/", {"action": "start_qualification"}, follow=True
    )
    assert _messages(res) == ["Done: the cycle is now qualification review."]
    page = res.content.decode()
    # three applications undecided: the review cannot start, and the page says so
    assert 'name="action" value="start_review"' not in page
    assert "3 application(s) still await a qualification decision." in page
    data = {"action": "bulk", "op": "qualify", "confirm": "on", "ids": [a.pk for a in apps[:2]]}
    data.update({f"reason-{a.pk}": "特批" for a in apps})
    res = client.post(f"/certification/cycles/{cycle.pk}/", data, follow=True)
    assert _messages(res) == ["2 applications qualified for the committee review."]
    assert "1 application(s) still await a qualification decision." in res.content.decode()
    services.application_reject(actor=hr, application=apps[2], reason="材料不全")
    members = [committee_member(f"am{i}", level=ladder[4])[0] for i in range(3)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    res = client.post(f"/certification/cycles/{cycle.pk}/", {"action": "start_review"}, follow=True)
    page = res.content.decode()
    # no sheet yet: publishing is disabled with the candidates and what they lack
    assert 'name="action" value="publish"' not in page
    assert "Results are not complete:" in page
    for i, app in enumerate(apps[:2]):
        for m in members:
            sheet = services.sheet_save(actor=m, application=app, scores={"defence": 90 - 5 * i})
            services.sheet_submit(actor=m, sheet=sheet)
    res = client.post(f"/certification/cycles/{cycle.pk}/", {"action": "publish"}, follow=True)
    assert _messages(res) == ["Published: 2 recommended candidates, in publicity until 2026-11-30."]
    page = res.content.decode()
    assert 'data-state="publicity" data-position="current"' in page
    assert 'data-state="review" data-position="done"' in page
    assert "planned 2026-12-01" in page  # the approval, the day after the publicity
    services.cycle_approve(actor=leader, cycle=cycle, today=FROZEN_TODAY + dt.timedelta(days=1))
    res = client.post(f"/certification/cycles/{cycle.pk}/", {"action": "close"}, follow=True)
    assert _messages(res) == ["Cycle closed: 2 promoted, 0 not promoted."]
    assert 'data-state="closed" data-position="current"' in res.content.decode()
    assert Application.objects.filter(cycle=cycle, status="promoted").count() == 2
