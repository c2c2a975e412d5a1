"""Reads of the certification app, scoped (out of scope = not found) and joined."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from committee import visibility
from org.roles import Role, has_role
from org.scope import staff_of, visible_staff_filter

from .conflicts import committee_candidates
from .models import Application, Cycle, DeclaredConflict, Objection, Panel, ScoringSheet


def sees_all(user) -> bool:
    """The office, administrators and the leadership group see every certification record."""
    return has_role(user, Role.HR, Role.ADMIN, Role.LEADERSHIP)


def cycle_list(*, user) -> QuerySet[Cycle]:
    qs = Cycle.objects.select_related("track").prefetch_related("offers__level", "dimensions")
    if sees_all(user):
        return qs
    return qs.exclude(status=Cycle.Status.DRAFT)


def application_list(*, user) -> QuerySet[Application]:
    """Own applications; a line manager's team (except where the manager sits on the panel —
    there the conflict rules decide); the non-conflicted candidates of one's panels; all for
    the office and the leadership group."""
    qs = Application.objects.select_related(
        "cycle", "staff", "staff__unit", "from_level", "target_level"
    ).annotate(materials_count=Count("materials"))
    if sees_all(user):
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
    if sees_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    mine = qs.filter(application_id__in=committee_candidates(user).values("pk"))
    return visibility.visible_sheets(mine, user=user, subject="application_id")


def panel_list(*, user) -> QuerySet[Panel]:
    qs = Panel.objects.select_related("cycle", "level", "chair").prefetch_related("members")
    if sees_all(user):
        return qs
    return qs.filter(members=user).distinct() if user.is_authenticated else qs.none()


def objection_list(*, user) -> QuerySet[Objection]:
    qs = Objection.objects.select_related(
        "application", "application__staff", "application__cycle", "filed_by"
    )
    if sees_all(user):
        return qs
    return qs.filter(filed_by=user) if user.is_authenticated else qs.none()


def conflict_list(*, user) -> QuerySet[DeclaredConflict]:
    qs = DeclaredConflict.objects.select_related("member", "staff")
    if has_role(user, Role.HR, Role.ADMIN):
        return qs
    return qs.filter(member=user) if user.is_authenticated else qs.none()
