"""The annual training plan per unit with its budget (篇3, 篇14): HR drafts it line by line
against the unit's competency gaps and approves it — never over budget."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from competency.models import Competency
from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition
from core.numbers import round_score
from org.models import OrgUnit

from ..models import Course, TrainingPlan, TrainingPlanLine
from .common import require_office


def _money(value: Decimal) -> Decimal:
    return round_score(value)


def _draft(plan: TrainingPlan) -> TrainingPlan:
    locked = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != TrainingPlan.Status.DRAFT:
        raise InvalidTransition(_("An approved plan cannot be changed."))
    return locked


@transaction.atomic
def plan_save(
    *,
    actor,
    year: int,
    unit: OrgUnit,
    budget: Decimal,
    plan: TrainingPlan | None = None,
) -> TrainingPlan:
    """Create a unit's plan for a year (one per unit and year) or change a draft's budget."""
    require_office(actor)
    if budget < 0:
        raise DomainError(_("The budget cannot be negative."), code=ErrorCode.INVALID_AMOUNT)
    budget = _money(budget)
    if plan is None:
        try:
            with transaction.atomic():
                plan = TrainingPlan.objects.create(year=year, unit=unit, budget=budget)
        except IntegrityError as exc:
            raise InvalidTransition(
                _("%(unit)s already has a training plan for %(year)s.")
                % {"unit": unit.name, "year": year}
            ) from exc
        audit.record(
            actor=actor,
            obj=plan,
            action="create",
            to_state=plan.status,
            changes={"year": year, "unit": unit.pk, "budget": budget},
        )
        return plan
    plan = _draft(plan)
    before = plan.budget
    plan.budget = budget
    plan.save(update_fields=["budget"])
    audit.record(actor=actor, obj=plan, action="update", changes={"budget": [before, budget]})
    return plan


@transaction.atomic
def plan_line_add(
    *,
    actor,
    plan: TrainingPlan,
    participants: int,
    cost: Decimal,
    course: Course | None = None,
    topic: str = "",
    competency: Competency | None = None,
) -> TrainingPlanLine:
    """A line of a draft plan: a course or a topic (one of them), the competency it develops
    (defaults to none), the participants planned (≥ 1) and the cost (≥ 0)."""
    require_office(actor)
    plan = _draft(plan)
    topic = (topic or "").strip()
    if course is None and not topic:
        raise DomainError(_("Name a course or a topic."), code=ErrorCode.INVALID)
    if participants < 1:
        raise DomainError(_("Plan at least one participant."), code=ErrorCode.INVALID_AMOUNT)
    if cost < 0:
        raise DomainError(_("The cost cannot be negative."), code=ErrorCode.INVALID_AMOUNT)
    line = TrainingPlanLine.objects.create(
        plan=plan,
        course=course,
        topic=topic[:200],
        competency=competency,
        participants=participants,
        cost=_money(cost),
    )
    audit.record(
        actor=actor,
        obj=plan,
        action="update",
        changes={
            "line": line.pk,
            "course": course.pk if course else None,
            "topic": topic,
            "competency": competency.pk if competency else None,
            "participants": participants,
            "cost": line.cost,
        },
    )
    return line


@transaction.atomic
def plan_line_remove(*, actor, line: TrainingPlanLine) -> None:
    require_office(actor)
    plan = _draft(line.plan)
    audit.record(
        actor=actor,
        obj=plan,
        action="update",
        changes={"removed_line": line.pk, "cost": line.cost},
    )
    line.delete()


def plan_total(plan: TrainingPlan) -> Decimal:
    """The plan's planned cost: the sum of its lines (0.00 without lines)."""
    total = plan.lines.aggregate(total=Sum("cost"))["total"]
    return _money(total or Decimal(0))


@transaction.atomic
def plan_approve(*, actor, plan: TrainingPlan) -> TrainingPlan:
    """Approve a draft plan. Refused (409 ``over_budget``) when the lines cost more than the
    budget — the message says by how much — and when the plan has no line."""
    require_office(actor)
    plan = _draft(plan)
    if not plan.lines.exists():
        raise InvalidTransition(_("A plan without lines cannot be approved."))
    total = plan_total(plan)
    if total > plan.budget:
        raise InvalidTransition(
            _(
                "The plan costs %(total)s, %(over)s over its budget of %(budget)s: lower the "
                "lines or raise the budget before approving."
            )
            % {"total": total, "over": total - plan.budget, "budget": plan.budget},
            code=ErrorCode.OVER_BUDGET,
            details={"total": str(total), "budget": str(plan.budget)},
        )
    plan.status = TrainingPlan.Status.APPROVED
    plan.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    plan.approved_at = clock.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(
        actor=actor,
        obj=plan,
        action="approve",
        from_state=TrainingPlan.Status.DRAFT,
        to_state=plan.status,
        changes={"total": total, "budget": plan.budget},
    )
    return plan
