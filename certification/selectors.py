"""Reads of the certification app, scoped (out of scope = not found) and joined."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from committee import visibility
from committee.conflicts import Person, conflict_kinds, person_of_user
from core.roles import Role, has_role, is_office
from jobs.models import Job
from letters.models import Letter
from letters.services import JOB_KIND as LETTERS_JOB_KIND
from org.scope import staff_of, visible_staff_filter

from .conflicts import committee_candidates
from .models import (
    Application,
    Cycle,
    DeclaredConflict,
    Defence,
    Objection,
    Panel,
    ScoringSheet,
)


def sees_all(*, user) -> bool:
    """The office, administrators and the leadership group see every certification record."""
    return has_role(user, Role.HR, Role.ADMIN, Role.LEADERSHIP)


PUBLISHED = (Cycle.Status.PUBLICITY, Cycle.Status.APPROVAL, Cycle.Status.CLOSED)


def approves_results(*, user) -> bool:
    """The leadership group (and administrators) approve the result list (DOMAIN.md, step 5)."""
    return has_role(user, Role.LEADERSHIP, Role.ADMIN)


@dataclass(frozen=True)
class CycleRights:
    """What a user may see and do on a cycle (DOMAIN.md, "Certification"); the services check
    the same rules again when the action is taken."""

    office: bool
    """The certification office (HR) or an administrator: runs the cycle."""
    oversees: bool
    """The office and the leadership group: the board, panels, objections, eligibility
    overrides (:func:`sees_all`)."""
    published: bool
    """The results are published (publicity, approval, closed)."""
    can_decide: bool
    """The office qualifies, returns or rejects submitted applications (open, qualification)."""
    may_approve: bool
    """The leadership group (and administrators) approve the list while in publicity."""
    awaiting_approval: bool
    """In publicity, for those who oversee but do not approve: the approval is awaited."""
    can_object: bool
    """A staff member may object to a published result during publicity."""


def cycle_rights(*, user, cycle: Cycle, is_staff: bool) -> CycleRights:
    """The :class:`CycleRights` of ``user`` on ``cycle``; ``is_staff``: the user is a staff
    member (``org.scope.staff_of``). No query."""
    office = is_office(user)
    publicity = cycle.status == Cycle.Status.PUBLICITY
    approves = approves_results(user=user)
    return CycleRights(
        office=office,
        oversees=sees_all(user=user),
        published=cycle.status in PUBLISHED,
        can_decide=office and cycle.status in (Cycle.Status.OPEN, Cycle.Status.QUALIFICATION),
        may_approve=publicity and approves,
        awaiting_approval=publicity and not approves,
        can_object=is_staff and publicity,
    )


def may_apply(
    *, cycle: Cycle, target_level_id: int, offered_level_ids: Iterable[int], has_application: bool
) -> bool:
    """A staff member may apply while the cycle is open, for the level directly above their own
    when the cycle offers it, once (``services.application_create`` checks it again)."""
    return (
        not has_application
        and cycle.status == Cycle.Status.OPEN
        and target_level_id in set(offered_level_ids)
    )


def sees_result(*, user, application: Application, own_sheet, oversees: bool) -> bool:
    """Whether ``user`` sees the committee figures of ``application`` (committee and final
    score, rank, recommendation, flags): those who oversee; a panel member once their own
    sheet for it is submitted — the chair included (``committee.visibility``, the one rule);
    and once the list is published, everyone for a candidate on it and the applicant for
    their own application. ``own_sheet``: the user's sheet of the application, or ``None``."""
    if visibility.sees_others_of(own_sheet=own_sheet, oversees=oversees):
        return True
    if application.cycle.status not in PUBLISHED:
        return False
    mine = getattr(application.staff, "user_id", None) == getattr(user, "pk", None)
    return bool(application.recommended) or mine


def cycle_list(*, user) -> QuerySet[Cycle]:
    qs = Cycle.objects.select_related("track").prefetch_related("offers__level", "dimensions")
    if sees_all(user=user):
        return qs
    return qs.exclude(status=Cycle.Status.DRAFT)


def results_visible_filter(*, user) -> Q:
    """:func:`sees_result` as a ``Q`` on Application, for a caller who does not oversee: the
    caller's own submitted sheet for the application, or — once the list is published — a
    candidate on it or the caller's own application. Filters and orderings on committee
    figures use it, so that they reveal nothing the fields withhold."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    own_sheet = ScoringSheet.objects.filter(
        application_id=OuterRef("pk"), member=user, status=ScoringSheet.Status.SUBMITTED
    )
    published = Q(cycle__status__in=PUBLISHED) & (Q(recommended=True) | Q(staff__user=user))
    return Q(Exists(own_sheet)) | published


def application_list(*, user) -> QuerySet[Application]:
    """Own applications; a line manager's team (except where the manager sits on the panel —
    there the conflict rules decide); the non-conflicted candidates of one's panels; all for
    the office and the leadership group."""
    qs = Application.objects.select_related(
        "cycle", "staff", "staff__unit", "from_level", "target_level", "override_by"
    ).annotate(materials_count=Count("materials"))
    if sees_all(user=user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    seated = Panel.objects.filter(
        cycle_id=OuterRef("cycle_id"), level_id=OuterRef("target_level_id"), members=user
    )
    me = staff_of(user)
    own = Q(staff_id=me.pk) if me else Q(pk__in=[])
    team = visible_staff_filter(user, prefix="staff__") & ~Q(Exists(seated))
    panel = Q(pk__in=committee_candidates(user).values("pk"))
    return qs.filter(own | team | panel)


def sheet_list(*, user) -> QuerySet[ScoringSheet]:
    """Own sheets; other members' sheets of a candidate only once one's own sheet for that
    candidate is submitted (the committee engine's visibility rule), never for a conflicted
    candidate; all for the office and the leadership group."""
    qs = ScoringSheet.objects.select_related("member", "application", "application__staff")
    if sees_all(user=user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    mine = qs.filter(application_id__in=committee_candidates(user).values("pk"))
    return visibility.visible_sheets(mine, user=user, subject="application_id")


def panel_list(*, user) -> QuerySet[Panel]:
    qs = Panel.objects.select_related("cycle", "level", "chair").prefetch_related("members")
    if sees_all(user=user):
        return qs
    return qs.filter(members=user).distinct() if user.is_authenticated else qs.none()


def objection_list(*, user) -> QuerySet[Objection]:
    qs = Objection.objects.select_related(
        "application", "application__staff", "application__cycle", "filed_by"
    )
    if sees_all(user=user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    # one's own objections against candidates on the published list (or upheld: the filer
    # learns the outcome), never a name that was not published
    return qs.filter(filed_by=user).filter(
        Q(application__recommended=True) | Q(status=Objection.Status.UPHELD)
    )


def objectable_applications() -> QuerySet[Application]:
    """The published list during publicity: the only applications an objection may name
    (DOMAIN.md step 4); anything else answers 404 as out of scope."""
    return Application.objects.filter(
        cycle__status=Cycle.Status.PUBLICITY,
        status=Application.Status.QUALIFIED,
        recommended=True,
    )


def conflict_list(*, user) -> QuerySet[DeclaredConflict]:
    qs = DeclaredConflict.objects.select_related("member", "staff")
    if has_role(user, Role.HR, Role.ADMIN):
        return qs
    return qs.filter(member=user) if user.is_authenticated else qs.none()


def promoted_appointment_ids(*, cycle: Cycle) -> list[int]:
    """The appointments the cycle's approval made (promotions)."""
    return list(
        Application.objects.filter(
            cycle=cycle, status=Application.Status.PROMOTED, appointment__isnull=False
        ).values_list("appointment_id", flat=True)
    )


def cycle_letters(*, cycle: Cycle) -> dict:
    """How many of the cycle's promotions have their appointment letter, and the unfinished
    letters job when some are missing."""
    ids = promoted_appointment_ids(cycle=cycle)
    issued = (
        Letter.objects.live()
        .issued()
        .filter(appointment_id__in=ids, kind=Letter.Kind.PROMOTION)
        .count()
    )
    return {
        "promoted": len(ids),
        "issued": issued,
        "missing": len(ids) - issued,
        "job": pending_letters_job(appointment_ids=ids) if issued < len(ids) else None,
    }


def pending_letters_job(*, appointment_ids: list[int]) -> Job | None:
    """The unfinished letters job (e.g. the one the approval started) covering any of these
    appointments, so the office follows it instead of starting a second one."""
    wanted = set(appointment_ids)
    for job in Job.objects.filter(
        kind=LETTERS_JOB_KIND, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
    ).order_by("-pk")[:20]:
        if wanted & set((job.params or {}).get("appointment_ids", [])):
            return job
    return None


def defence_list(*, user) -> QuerySet[Defence]:
    """Defences the user may see: all for the office; otherwise one's own (as the candidate)
    and those of the panels one sits on, except a candidate one is conflicted with."""
    qs = Defence.objects.select_related(
        "application",
        "application__cycle",
        "application__staff",
        "application__target_level",
    )
    if has_role(user, Role.HR, Role.ADMIN):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    me = staff_of(user)
    own = Q(application__staff_id=me.pk) if me else Q(pk__in=[])
    seated = Panel.objects.filter(
        cycle_id=OuterRef("application__cycle_id"),
        level_id=OuterRef("application__target_level_id"),
        members=user,
    )
    rows = list(
        Defence.objects.filter(Exists(seated)).values_list(
            "pk",
            "application__staff_id",
            "application__staff__manager_id",
            "application__staff__unit_id",
            "application__cycle__same_unit_conflict",
        )
    )
    allowed: list[int] = []
    if rows:
        person = person_of_user(user)
        declared = dict(
            DeclaredConflict.objects.filter(member=user).values_list("staff_id", "kind")
        )
        allowed = [
            pk
            for pk, staff_id, manager_id, unit_id, same_unit in rows
            if not conflict_kinds(
                person,
                Person(staff_id, manager_id, unit_id),
                same_unit=same_unit,
                declared=declared,
            )
        ]
    return qs.filter(own | Q(pk__in=allowed))


def approval_list(*, user, cycle: Cycle) -> list[Application]:
    """The leadership group's approval list: the cycle's recommended candidates (published
    figures), each with its evidence — scores, rank, flags, eligibility override, objections
    (``n_objections``, ``n_objections_open``) — and the leadership decision so far. One query;
    empty for anyone who does not see every certification record or before publication."""
    if not sees_all(user=user) or cycle.status not in PUBLISHED:
        return []
    from .results import flag_label

    rows: list[Application] = list(
        Application.objects.filter(
            cycle=cycle,
            recommended=True,
            status__in=(
                Application.Status.QUALIFIED,
                Application.Status.PROMOTED,
                Application.Status.NOT_PROMOTED,
            ),
        )
        .select_related("staff", "staff__unit", "target_level", "override_by", "leadership_by")
        .annotate(
            n_objections=Count("objections", distinct=True),
            n_objections_open=Count(
                "objections",
                filter=Q(objections__status=Objection.Status.OPEN),
                distinct=True,
            ),
        )
        .order_by("target_level__order", "rank", "staff__employee_no")
    )
    for row in rows:
        row.flag_labels = [flag_label(f) for f in row.flags]  # type: ignore[attr-defined]
    return rows
