"""The letters part of the to-do inbox for a staff member: a letter issued in the last 30
days, gone when revoked or older."""

import datetime as dt

import pytest
from django.utils import translation

from letters import services
from tests.clock import FROZEN_AT
from tests.conftest import client_for
from tests.factories import make_user_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The items are read in English here (the default language is Chinese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _new_letters(user):
    response = client_for(user).get("/api/v1/inbox/")
    assert response.status_code == 200
    return [item for item in response.json() if item["kind"] == "letters.new"]


def test_a_new_letter_is_the_staff_members_for_30_days(promoted, office, time_machine):
    user = make_user_for(promoted.staff)
    assert _new_letters(user) == []
    letter = services.letter_issue(actor=office, appointment=promoted)
    [item] = _new_letters(user)
    assert (item["title"], item["url"], item["count"]) == (
        "Read your 1 new letter",
        "/letters/",
        1,
    )
    assert _new_letters(office) == []
    time_machine.move_to(FROZEN_AT + dt.timedelta(days=31))
    assert _new_letters(user) == []
    time_machine.move_to(FROZEN_AT + dt.timedelta(days=1))
    assert len(_new_letters(user)) == 1
    services.letter_revoke(actor=office, letter=letter, reason="错发")
    assert _new_letters(user) == []
