"""Letters in the header's search, by number, within the caller's scope."""

import pytest

from core import search
from letters import services
from tests.factories import make_user_for

pytestmark = pytest.mark.django_db


def test_letters_are_found_by_number_by_the_office_and_their_owner_only(promoted, office, org_tree):
    letter = services.letter_issue(actor=office, appointment=promoted)
    number_part = letter.number[-6:]
    owner = make_user_for(promoted.staff, username="zhangwei")

    def found(user):
        return [
            h.title for g in search.search(user, number_part) if g.kind == "letters" for h in g.hits
        ]

    assert found(office) == [letter.number]
    assert found(owner) == [letter.number]
    assert found(org_tree["other_user"]) == []
