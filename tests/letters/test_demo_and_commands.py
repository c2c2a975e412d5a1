import datetime as dt
import io

import pytest
from django.core.management import call_command

from core.roles import Role
from letters import demo, services
from letters.models import Letter, LetterCounter
from org import demo as org_demo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_issues_letters_for_the_latest_promotions_once(monkeypatch):
    today = dt.date(2026, 11, 29)
    org_demo.build(today=today, staff_count=24)
    monkeypatch.setattr(demo, "DEMO_LETTERS", 3)
    first = demo.build(today=today, stdout=io.StringIO())
    assert first == "Letters: issued 3 promotion letters for the latest promotions."
    letters = list(Letter.objects.issued().select_related("appointment"))
    assert len(letters) == 3
    assert all(x.appointment.reason == "promotion" for x in letters)
    assert sorted(x.seq for x in letters) == [1, 2, 3]
    assert demo.build(today=today, stdout=io.StringIO()).endswith("(unchanged).")
    assert Letter.objects.count() == 3


def test_leadership_approval_may_issue_letters(promoted):
    leader = UserFactory(username="leader-x", roles=[Role.LEADERSHIP])
    letter = services.letter_issue(actor=leader, appointment=promoted)
    assert letter.is_issued
    job = services.letters_issue_job(actor=leader, appointment_ids=[promoted.pk], kind="promotion")
    assert job.created_by == leader


def test_benchmark_command_reports_rates_and_keeps_nothing(promoted, ladder):
    out = io.StringIO()
    call_command("letters_benchmark", "--count", "2", stdout=out)
    report = out.getvalue()
    assert "letters issued:        2 in" in report
    assert "WeasyPrint alone:      2 in" in report
    assert "overhead over bare rendering:" in report
    assert not Letter.objects.exists() and not LetterCounter.objects.exists()
