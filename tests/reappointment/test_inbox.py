"""The re-appointment part of the to-do inbox: the office's terms expiring without a review
(gone once the review is opened), and a staff member's term ending and credits short."""

import datetime as dt

import pytest
from django.utils import translation

from org.models import Appointment
from reappointment import services
from tests.clock import FROZEN_TODAY, days
from tests.conftest import client_for
from tests.factories import make_user_for

from .factories import credits, requirement, term_ending

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The items are read in English here (the default language is Chinese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


END = days(40)


def _inbox(user, prefix="reappointment."):
    response = client_for(user).get("/api/v1/inbox/")
    assert response.status_code == 200
    return [item for item in response.json() if item["kind"].startswith(prefix)]


def test_office_opens_the_review_and_the_item_goes(ladder, hr, grades):
    term_ending(ladder[1], END)
    term_ending(ladder[1], days(10))
    term_ending(ladder[1], days(200))  # not within three months
    [item] = _inbox(hr)
    assert (item["kind"], item["count"], item["due"]) == (
        "reappointment.unreviewed",
        2,
        days(10).isoformat(),
    )
    assert item["title"] == "Start the review of 2 terms expiring within 3 months"
    assert item["url"] == "/reappointment/"
    ids = list(Appointment.objects.filter(end__lt=days(90)).values_list("pk", flat=True))
    services.review_open(actor=hr, appointment_ids=ids, today=FROZEN_TODAY)
    assert _inbox(hr) == []


def test_staff_sees_their_term_ending_and_the_credits_they_lack(ladder, hr, grades):
    requirement(ladder[1], "40", [])
    staff = term_ending(ladder[1], END)
    credits(staff, 36, days(-100))
    user = make_user_for(staff)
    items = {item["kind"]: item for item in _inbox(user)}
    last = END - dt.timedelta(days=1)  # the stored end is exclusive: the item names the last day
    assert items["reappointment.term"]["title"] == f"Your term ends on {last}"
    assert items["reappointment.term"]["due"] == last.isoformat()
    short = items["reappointment.credits"]
    assert short["title"] == "Earn 4.00 more training credits"
    assert (short["due"], short["url"]) == (last.isoformat(), "/training/")
    credits(staff, 4, days(-1))
    assert [item["kind"] for item in _inbox(user)] == ["reappointment.term"]
    # a term further away: no term item, but the credits are already short
    later = _inbox(make_user_for(term_ending(ladder[1], days(200))))
    assert [(i["kind"], i["due"]) for i in later] == [
        ("reappointment.credits", days(199).isoformat())
    ]


def test_the_credits_item_states_the_minimum_and_the_credits_as_stored(ladder, hr, grades):
    """Both figures to their 2 places, whatever the database returns for a subquery."""
    requirement(ladder[1], "40", [])
    staff = term_ending(ladder[1], END)
    credits(staff, 36, days(-100))
    items = {item["kind"]: item for item in _inbox(make_user_for(staff))}
    assert items["reappointment.credits"]["why"].startswith(
        "Your level requires 40.00 credits in the last 12 months; you have 36.00."
    )


def test_a_term_whose_last_day_has_passed_is_worded_as_past(ladder, hr, grades):
    staff = term_ending(ladder[1], FROZEN_TODAY)  # its last day was yesterday
    items = {item["kind"]: item for item in _inbox(make_user_for(staff))}
    yesterday = FROZEN_TODAY - dt.timedelta(days=1)
    assert items["reappointment.term"]["title"] == f"Your term ended on {yesterday}"
