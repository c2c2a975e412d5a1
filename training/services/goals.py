"""Agreed development goals of an appraisal's review conversation (篇14): the line manager
(or HR) records them, each linked to a competency gap and/or a course, with a due date."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from competency.models import Competency
from core import audit
from core.errors import DomainError, ErrorCode, InvalidTransition, RoleRequired
from core.roles import Role, has_role, is_office
from kpi.models import Appraisal
from org.scope import staff_of, visible_staff

from ..models import Course, DevelopmentGoal


def may_set_goals(actor, appraisal: Appraisal) -> bool:
    """The office, or a manager (or leadership) who sees the staff member — not the staff
    member themselves."""
    if actor is None:
        return True
    if not (is_office(actor) or has_role(actor, Role.MANAGER, Role.LEADERSHIP)):
        return False
    own = staff_of(actor)
    if own is not None and own.pk == appraisal.staff_id:
        return False
    return visible_staff(actor).filter(pk=appraisal.staff_id).exists()


@transaction.atomic
def goal_add(
    *,
    actor,
    appraisal: Appraisal,
    text: str,
    due_on: dt.date,
    competency: Competency | None = None,
    course: Course | None = None,
) -> DevelopmentGoal:
    """Add an agreed development goal to the review of ``appraisal`` — while the employee
    has not answered the review yet (409 afterwards)."""
    if not may_set_goals(actor, appraisal):
        raise RoleRequired(_("Only the line manager or the office records development goals."))
    locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    if locked.responded_at is not None:
        raise InvalidTransition(
            _("The employee has answered the review; its goals can no longer change.")
        )
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Describe the goal."), code=ErrorCode.INVALID)
    goal = DevelopmentGoal.objects.create(
        appraisal=locked,
        staff_id=locked.staff_id,
        text=text[:500],
        due_on=due_on,
        competency=competency,
        course=course,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        obj=goal,
        action="create",
        changes={
            "appraisal": locked.pk,
            "text": goal.text,
            "due_on": due_on,
            "competency": competency.pk if competency else None,
            "course": course.pk if course else None,
        },
    )
    return goal


@transaction.atomic
def goal_remove(*, actor, goal: DevelopmentGoal) -> None:
    appraisal = goal.appraisal
    if not may_set_goals(actor, appraisal):
        raise RoleRequired(_("Only the line manager or the office records development goals."))
    locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    if locked.responded_at is not None:
        raise InvalidTransition(
            _("The employee has answered the review; its goals can no longer change.")
        )
    audit.record(actor=actor, obj=goal, action="delete", changes={"text": goal.text})
    goal.delete()
