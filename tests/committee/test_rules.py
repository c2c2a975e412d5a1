"""The engine's conflict and visibility rules, table-driven (DOMAIN.md "Certification" step 3:
conflicts of interest; no member, the chair included, sees another member's sheet before
submitting their own)."""

from types import SimpleNamespace

import pytest

from committee.conflicts import NOBODY, Person, conflict_kinds
from committee.visibility import sees_others, sees_others_of

MEMBER = Person(staff_id=10, manager_id=20, unit_id=1)


@pytest.mark.parametrize(
    ("candidate", "same_unit", "declared", "expected"),
    [
        (Person(10, 20, 1), True, {}, ["self"]),  # own record, never also "same_unit"
        (Person(20, 30, 2), False, {}, ["manager"]),
        (Person(11, 10, 2), False, {}, ["report"]),
        (Person(12, 30, 1), True, {}, ["same_unit"]),
        (Person(12, 30, 1), False, {}, []),  # same unit, not configured
        (Person(13, 30, 2), False, {13: "relative"}, ["declared:relative"]),
        (Person(11, 10, 1), True, {11: "other"}, ["report", "same_unit", "declared:other"]),
        (Person(14, 30, 2), True, {}, []),
    ],
)
def test_conflict_kinds(candidate, same_unit, declared, expected):
    assert conflict_kinds(MEMBER, candidate, same_unit=same_unit, declared=declared) == expected


def test_a_member_without_a_staff_record_has_only_declared_conflicts():
    cand = Person(12, None, None)
    assert conflict_kinds(NOBODY, cand, same_unit=True, declared={}) == []
    assert conflict_kinds(NOBODY, cand, same_unit=True, declared={12: "x"}) == ["declared:x"]


def sheet(member_id, status):
    return SimpleNamespace(member_id=member_id, status=status)


ME = SimpleNamespace(pk=1)


@pytest.mark.parametrize(
    ("sheets", "oversees", "expected"),
    [
        ([], False, False),
        ([sheet(2, "submitted"), sheet(3, "submitted")], False, False),  # none of my own
        ([sheet(1, "draft"), sheet(2, "submitted")], False, False),  # mine is a draft
        ([sheet(1, "submitted"), sheet(2, "draft")], False, True),
        ([sheet(2, "submitted")], True, True),  # the office oversees
    ],
)
def test_a_member_sees_others_only_after_submitting_their_own(sheets, oversees, expected):
    assert sees_others(user=ME, sheets=sheets, oversees=oversees) is expected
    own = next((s for s in sheets if s.member_id == ME.pk), None)
    assert sees_others_of(own_sheet=own, oversees=oversees) is expected


def test_an_anonymous_user_sees_nothing():
    assert sees_others(user=None, sheets=[sheet(1, "submitted")]) is False
