"""A term is stored with an exclusive end and printed with its last day (end − 1 day)."""

import datetime as dt

import pytest
from django.urls import reverse

from core.terms import last_day
from letters import services
from tests.factories import StaffFactory

from .conftest import promote
from .helpers import pdf_text

pytestmark = pytest.mark.django_db


def test_last_day_is_the_day_before_the_exclusive_end():
    assert last_day(dt.date(2027, 3, 1)) == dt.date(2027, 2, 28)
    assert last_day("2028-03-01") == dt.date(2028, 2, 29)
    assert last_day(None) is None


def test_a_three_year_term_prints_its_last_day_on_the_letter_and_the_verification_page(
    ladder, office, client
):
    staff = StaffFactory(name="周敏", level=ladder[1], level_since=dt.date(2021, 1, 1))
    appointment = promote(staff, ladder[2], start=dt.date(2024, 3, 1))
    assert appointment.end == dt.date(2027, 3, 1)

    letter = services.letter_issue(actor=office, appointment=appointment)

    text = pdf_text(services.letter_path(letter).read_bytes())
    assert "2024年3月1日至2027年2月28日" in text
    assert "2027年3月1日" not in text
    page = client.get(reverse("letters:verify", args=[letter.verification_code])).content.decode()
    assert "2024-03-01 – 2027-02-28" in page
    assert "2027-03-01" not in page


def test_the_staff_page_shows_the_last_day_of_each_term(ladder, client):
    from core.roles import Role
    from tests.factories import UserFactory

    staff = StaffFactory(name="周敏", level=ladder[1], level_since=dt.date(2021, 1, 1))
    promote(staff, ladder[2], start=dt.date(2024, 3, 1))
    client.force_login(UserFactory(roles=[Role.HR]))
    page = client.get(reverse("org:staff-detail", args=[staff.pk])).content.decode()
    assert "2027-02-28" in page and "2027-03-01" not in page
