"""Conflicts of interest (回避) between a panel member and the person a panel scores — the one
rule both panels apply (HotCRP model: conflicts are data with a type).

A member is conflicted with a person when the person is
- ``self``: the member's own staff record;
- ``manager``: the member's own line manager;
- ``report``: one of the member's direct reports;
- ``same_unit``: in the member's org unit, when the panel is configured so;
- ``declared:<kind>``: a conflict the member declared about the person.

The apps give the declared conflicts (they own that table) and decide what a conflict means for
their reads: a conflicted member never sees, scores or counts for the person.
"""

from __future__ import annotations

from dataclasses import dataclass

from org.models import Staff
from org.scope import staff_of


@dataclass(frozen=True)
class Person:
    """The org facts the rule needs about a member or a candidate."""

    staff_id: int | None
    manager_id: int | None
    unit_id: int | None


NOBODY = Person(None, None, None)


def conflict_kinds(
    member: Person, candidate: Person, *, same_unit: bool, declared: dict[int, str]
) -> list[str]:
    """Every conflict type between ``member`` and ``candidate`` (empty: none). ``declared``:
    ``{staff_id: kind}`` of the member's declared conflicts."""
    kinds = []
    if member.staff_id is not None:
        if candidate.staff_id == member.staff_id:
            kinds.append("self")
        if candidate.staff_id == member.manager_id:
            kinds.append("manager")
        if candidate.manager_id == member.staff_id:
            kinds.append("report")
        if same_unit and candidate.unit_id == member.unit_id and "self" not in kinds:
            kinds.append("same_unit")
    if candidate.staff_id in declared:
        kinds.append(f"declared:{declared[candidate.staff_id]}")
    return kinds


def person_of_user(user) -> Person:
    me = staff_of(user)  # the user's staff record, fetched once per request
    return person_of_staff(me) if me is not None else NOBODY


def person_of_staff(staff: Staff) -> Person:
    return Person(staff.pk, staff.manager_id, staff.unit_id)
