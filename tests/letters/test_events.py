"""A letter issued tells its staff member (when they have a login), in their language."""

import pytest

from letters import events, services
from notifications.models import Notification
from notifications.services import settings_update
from tests.factories import make_user_for

pytestmark = pytest.mark.django_db


def test_an_issued_letter_tells_its_owner_only(promoted, office, org_tree):
    owner = make_user_for(promoted.staff, username="zhangwei")
    settings_update(user=owner, language="en")
    letter = services.letter_issue(actor=office, appointment=promoted)
    (row,) = Notification.objects.filter(event=events.LETTER_ISSUED)
    assert (row.recipient, row.language, row.url) == (owner, "en", "/letters/")
    assert row.subject == f"Your promotion letter {letter.number} has been issued"
    assert "on 2026-11-30" in row.body and "My letters" in row.body


def test_a_letter_for_someone_without_a_login_tells_nobody(promoted, office):
    services.letter_issue(actor=office, appointment=promoted)
    assert not Notification.objects.filter(event=events.LETTER_ISSUED).exists()
