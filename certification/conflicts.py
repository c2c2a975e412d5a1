"""Conflicts of interest (回避) in promotion certification — the ONE place that decides which
candidates a committee member may see, score or be counted for. The rule itself (self, manager,
report, same unit when the cycle says so, a declared :class:`DeclaredConflict`) is the committee
engine's :func:`committee.conflicts.conflict_kinds`.

:func:`committee_candidates` (every committee read goes through it) drops conflicted
candidates, so a conflicted member gets 404; :func:`recusals` gives the same answer for the
quorum arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from committee.conflicts import NOBODY, Person, conflict_kinds, person_of_user
from org.models import Staff

from .models import Application, Cycle, DeclaredConflict, Panel, ScoringSheet

# Applications a panel works on, and the cycle stages in which members see them.
CANDIDATE_STATUSES = (
    Application.Status.QUALIFIED,
    Application.Status.PROMOTED,
    Application.Status.NOT_PROMOTED,
)
COMMITTEE_STAGES = (
    Cycle.Status.REVIEW,
    Cycle.Status.PUBLICITY,
    Cycle.Status.APPROVAL,
    Cycle.Status.CLOSED,
)


def committee_candidates(user, *, cycle_id: int | None = None) -> QuerySet[Application]:
    """Candidates of the user's panels that the user is not conflicted with."""
    allowed = [pk for (pk,) in committee_candidate_rows(user, cycle_id=cycle_id)]
    if not allowed:
        return Application.objects.none()
    return Application.objects.filter(pk__in=allowed)


def committee_candidate_rows(
    user,
    *,
    fields: Sequence[str] = ("pk",),
    narrow: Callable[[QuerySet[Application]], QuerySet[Application]] | None = None,
    cycle_id: int | None = None,
) -> list[tuple]:
    """``fields`` of each candidate of the user's panels that the user is not conflicted with,
    read in the one query that decides the conflicts: ``narrow`` may filter, annotate and order
    the candidates first (``fields`` may name its annotations)."""
    if not getattr(user, "is_authenticated", False):
        return []
    in_my_panel = Panel.objects.filter(
        cycle_id=OuterRef("cycle_id"), level_id=OuterRef("target_level_id"), members=user
    )
    qs = Application.objects.filter(
        Exists(in_my_panel),
        status__in=CANDIDATE_STATUSES,
        cycle__status__in=COMMITTEE_STAGES,
    )
    if cycle_id is not None:
        qs = qs.filter(cycle_id=cycle_id)
    if narrow is not None:
        qs = narrow(qs)
    # each candidate with the member's declared conflict about them (one per pair at most)
    declared_kind = DeclaredConflict.objects.filter(
        member=user, staff_id=OuterRef("staff_id")
    ).values("kind")[:1]
    rows = list(
        qs.annotate(declared=Subquery(declared_kind)).values_list(
            "staff_id",
            "staff__manager_id",
            "staff__unit_id",
            "cycle__same_unit_conflict",
            "declared",
            *fields,
        )
    )
    if not rows:
        return []
    me = person_of_user(user)
    declared = {row[0]: row[4] for row in rows if row[4] is not None}
    return [
        tuple(row[5:])
        for row in rows
        if not conflict_kinds(me, Person(*row[:3]), same_unit=row[3], declared=declared)
    ]


def is_conflicted(user, application: Application) -> list[str]:
    cand = Staff.objects.values_list("pk", "manager_id", "unit_id").get(pk=application.staff_id)
    declared = dict(
        DeclaredConflict.objects.filter(member=user, staff_id=application.staff_id).values_list(
            "staff_id", "kind"
        )
    )
    return conflict_kinds(
        person_of_user(user),
        Person(*cand),
        same_unit=application.cycle.same_unit_conflict,
        declared=declared,
    )


def recusals(cycle: Cycle, applications: list[Application]) -> dict[int, dict[int, list[str]]]:
    """``{application_id: {member_user_id: [kinds]}}`` for every panel member of the cycle
    (empty list: not recused). Three queries whatever the size."""
    panels = {p.level_id: p for p in Panel.objects.filter(cycle=cycle).prefetch_related("members")}
    member_ids = {m.pk for p in panels.values() for m in p.members.all()}
    people = {
        user_id: Person(pk, manager_id, unit_id)
        for user_id, pk, manager_id, unit_id in Staff.objects.filter(
            user_id__in=member_ids
        ).values_list("user_id", "pk", "manager_id", "unit_id")
    }
    declared: dict[int, dict[int, str]] = {}
    for member_id, staff_id, kind in DeclaredConflict.objects.filter(
        member_id__in=member_ids
    ).values_list("member_id", "staff_id", "kind"):
        declared.setdefault(member_id, {})[staff_id] = kind
    result: dict[int, dict[int, list[str]]] = {}
    for app in applications:
        panel = panels.get(app.target_level_id)
        candidate = Person(app.staff_id, app.staff.manager_id, app.staff.unit_id)
        result[app.pk] = {
            m.pk: conflict_kinds(
                people.get(m.pk, NOBODY),
                candidate,
                same_unit=cycle.same_unit_conflict,
                declared=declared.get(m.pk, {}),
            )
            for m in (panel.members.all() if panel else [])
        }
    return result


def sheets_outstanding(panels: QuerySet[Panel]) -> dict[tuple[int, int], int]:
    """``{(member_id, panel_id): n}``: for each member of ``panels``, how many of the panel's
    candidates they may score (not conflicted, the same rule as :func:`committee_candidates`)
    and have not submitted a sheet for. Five queries whatever the numbers of panels, members
    and candidates; members with nothing outstanding are absent."""
    memberships = list(
        Panel.members.through.objects.filter(panel__in=panels).values_list(
            "user_id",
            "panel_id",
            "panel__cycle_id",
            "panel__level_id",
            "panel__cycle__same_unit_conflict",
        )
    )
    if not memberships:
        return {}
    cycle_ids = {cycle_id for _, _, cycle_id, _, _ in memberships}
    member_ids = {user_id for user_id, *_ in memberships}
    candidates: dict[tuple[int, int], list[tuple[int, Person]]] = {}
    for pk, cycle_id, level_id, staff_id, manager_id, unit_id in Application.objects.filter(
        cycle_id__in=cycle_ids, status__in=CANDIDATE_STATUSES
    ).values_list(
        "pk", "cycle_id", "target_level_id", "staff_id", "staff__manager_id", "staff__unit_id"
    ):
        candidates.setdefault((cycle_id, level_id), []).append(
            (pk, Person(staff_id, manager_id, unit_id))
        )
    submitted = set(
        ScoringSheet.objects.filter(
            member_id__in=member_ids,
            application__cycle_id__in=cycle_ids,
            status=ScoringSheet.Status.SUBMITTED,
        ).values_list("member_id", "application_id")
    )
    people = {
        user_id: Person(pk, manager_id, unit_id)
        for user_id, pk, manager_id, unit_id in Staff.objects.filter(
            user_id__in=member_ids
        ).values_list("user_id", "pk", "manager_id", "unit_id")
    }
    declared: dict[int, dict[int, str]] = {}
    for member_id, staff_id, kind in DeclaredConflict.objects.filter(
        member_id__in=member_ids
    ).values_list("member_id", "staff_id", "kind"):
        declared.setdefault(member_id, {})[staff_id] = kind
    outstanding: dict[tuple[int, int], int] = {}
    for user_id, panel_id, cycle_id, level_id, same_unit in memberships:
        me, mine = people.get(user_id, NOBODY), declared.get(user_id, {})
        n = sum(
            1
            for app_id, candidate in candidates.get((cycle_id, level_id), [])
            if (user_id, app_id) not in submitted
            and not conflict_kinds(me, candidate, same_unit=same_unit, declared=mine)
        )
        if n:
            outstanding[(user_id, panel_id)] = n
    return outstanding
