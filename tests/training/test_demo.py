"""The demo data builds, is idempotent, and has a realistic spread."""

import datetime as dt
import io

import pytest

from org import demo as org_demo
from org.models import Staff
from training import demo, selectors
from training.models import (
    Course,
    CourseEvaluation,
    Enrolment,
    ExternalCertificate,
    Requirement,
    TrainingPlan,
    TrainingRecord,
    TrainingSession,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 28)


def test_demo_builds_once_with_some_staff_short_of_credits(private_root):
    org_demo.build(staff_count=48, today=TODAY)
    summary = demo.build(today=TODAY, stdout=io.StringIO())
    assert summary.startswith("Training: 16 courses")
    assert Course.objects.filter(category="basic").count() == 6
    assert list(
        Requirement.objects.order_by("level__order").values_list("min_credits_12m", flat=True)
    ) == [20, 30, 40, 50, 60]
    assert TrainingSession.objects.filter(status="completed").count() == 1
    assert TrainingSession.objects.filter(status="open").count() == 2
    assert TrainingRecord.objects.filter(source="session").exists()
    oldest = TrainingRecord.objects.order_by("date").first().date
    assert oldest >= TODAY - dt.timedelta(days=730)
    short, counted = selectors.short_of_credits(staff_qs=Staff.objects.all(), on_date=TODAY)
    assert counted > 0
    assert 0 < short < counted

    certificates = ExternalCertificate.objects.filter(status="verified")
    assert certificates.filter(expires_on__lt=TODAY).count() == 1
    assert certificates.filter(expires_on__gte=TODAY, expires_on__lte=TODAY + dt.timedelta(60))
    assert TrainingRecord.objects.filter(source="mentoring").count() == 8
    assert CourseEvaluation.objects.count() >= 3
    assert TrainingPlan.objects.filter(year=TODAY.year + 1, status="approved").count() == 1
    assert TrainingPlan.objects.filter(year=TODAY.year + 1, status="draft").exists()
    assert Enrolment.objects.filter(evaluated=True).count() == CourseEvaluation.objects.count()
    assert TrainingRecord.objects.filter(source="rotation").exists()
    before = (TrainingRecord.objects.count(), TrainingSession.objects.count())
    demo.build(today=TODAY, stdout=io.StringIO())
    assert (TrainingRecord.objects.count(), TrainingSession.objects.count()) == before
