"""The staff member is told that the review of their term is opened and how it was decided —
nobody else, in the service's transaction."""

import datetime as dt

import pytest
from django.db import transaction

from notifications.models import Notification
from org.models import Appointment
from ranking import events as ranking_events
from reappointment import events, services
from tests.factories import StaffFactory, make_user_for

from .conftest import TODAY
from .factories import course, credits, requirement, term_ending

pytestmark = pytest.mark.django_db
END = dt.date(2027, 1, 10)


@pytest.fixture
def setup(ladder, grades):
    l2 = ladder[1]
    required = course("C-REQ", credits="4")
    requirement(l2, "40", [required])
    return {"level": l2, "course": required, "grades": grades}


def sent(event):
    return list(Notification.objects.filter(event=event).order_by("recipient_id"))


def person(setup, *, ready=True, amount=40):
    staff = term_ending(setup["level"], END)
    user = make_user_for(staff)
    if ready:
        credits(staff, 4, dt.date(2026, 5, 1), setup["course"])
        credits(staff, amount - 4, dt.date(2026, 6, 1))
    return staff, user


def open_review(hr, *staff):
    ids = [Appointment.objects.get(staff=s, closed_on__isnull=True).pk for s in staff]
    return services.review_open(actor=hr, appointment_ids=ids, name="2027 续聘", today=TODAY)


def test_opening_a_review_tells_each_staff_member(setup, hr, settings):
    settings.LANGUAGE_CODE = "en"
    StaffFactory()  # someone else, not in the review
    (a, a_user), (b, b_user) = person(setup), person(setup)
    open_review(hr, a, b)
    rows = sent(events.REVIEW_OPENED)
    assert [r.recipient for r in rows] == [a_user, b_user]
    assert rows[0].subject == "The re-appointment review of your term at L2 has started"
    assert "Your term at L2 ends on 2027-01-09." in rows[0].body
    assert "re-appointment review (2027 续聘)" in rows[0].body


def test_renewal_tells_the_new_term(setup, hr, settings):
    settings.LANGUAGE_CODE = "en"
    staff, user = person(setup)
    case = open_review(hr, staff).cases.get()
    services.review_renew(actor=hr, case=case, reason="考核合格", today=TODAY)
    (row,) = sent(events.REVIEW_DECIDED)
    assert row.recipient == user
    assert row.subject == "Re-appointment at L2: renewed"
    assert "Your new term at L2 starts on 2027-01-10 and ends on 2030-01-09" in row.body


def test_conditions_and_their_deadline_are_stated(setup, hr):
    staff, user = person(setup, amount=36)
    case = open_review(hr, staff).cases.get()
    services.review_renew_with_conditions(actor=hr, case=case, today=TODAY)
    (row,) = sent(events.REVIEW_DECIDED)
    assert (row.recipient, row.language) == (user, "zh-hans")
    assert "附条件续聘" in row.subject  # the outcome label in the default language
    assert "2027-05-16" in row.body and "培训学分 36/40，差 4 分" in row.body


def test_a_referral_tells_both_the_decision_and_the_case(setup, hr, settings):
    settings.LANGUAGE_CODE = "en"
    staff, user = person(setup)
    setup["grades"][staff.pk] = {2024: "B", 2025: "D"}
    case = open_review(hr, staff).cases.get()
    services.review_refer(actor=hr, case=case, reason="年度考核基本合格", today=TODAY)
    (row,) = sent(events.REVIEW_DECIDED)
    assert row.recipient == user
    assert row.subject == "Re-appointment at L2: referred to re-certification"
    assert "a re-certification case at L2 has been opened for you" in row.body
    (opened,) = sent(ranking_events.CASE_OPENED)
    assert opened.recipient == user


def test_a_rolled_back_decision_leaves_no_notification(setup, hr):
    staff, _user = person(setup)
    case = open_review(hr, staff).cases.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.review_renew(actor=hr, case=case, today=TODAY)
        raise RuntimeError("the caller fails")
    assert sent(events.REVIEW_DECIDED) == []
