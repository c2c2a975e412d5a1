from org import demo as org_demo
from reappointment import demo
from reappointment.models import ReappointmentCase, ReappointmentReview
from tests.clock import days

TODAY = days(-1)


def test_demo_is_idempotent_and_has_expiring_terms_and_one_review(db):
    org_demo.build(staff_count=40, today=TODAY)
    first = demo.build(today=TODAY)
    cases = ReappointmentCase.objects.count()
    second = demo.build(today=TODAY)
    assert ReappointmentReview.objects.count() == 1
    assert ReappointmentCase.objects.count() == cases > 0
    assert "6 terms end within 3 months" in first and "6 terms end within 3 months" in second
    assert "0 demo staff added" in second
