"""The appraisal of a period (考核面谈, DOMAIN.md "KPI"): the employee acknowledges their
published targets, writes a self-assessment per indicator group in the assessment stage; in
the feedback stage the line manager (or HR) records the review conversation and the employee
acknowledges it or disagrees with a comment. Each write is audited; the employee sees their
own, the line manager their team, HR everyone; anyone else gets 404."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import InvalidTransition, NotInScope, RoleRequired
from core.roles import Role, has_role, is_office
from notifications.services import notify
from org.models import Staff
from org.scope import staff_of, visible_staff

from .. import events, rules
from ..models import Appraisal, Period


def _own(actor) -> Staff:
    me = staff_of(actor)
    if me is None:
        raise RoleRequired(_("Only a staff member has an appraisal."))
    return me


def _row(*, staff: Staff, period: Period) -> Appraisal:
    """The appraisal row, locked (created on first use for staff who joined after the
    targets were published)."""
    Appraisal.objects.get_or_create(staff=staff, period=period)
    return Appraisal.objects.select_for_update().get(staff=staff, period=period)


def _stage(period: Period, *allowed: str, message: str) -> None:
    if period.stage not in allowed:
        raise InvalidTransition(message, details={"reason": "wrong_stage", "stage": period.stage})


@transaction.atomic
def appraisal_targets_acknowledge(*, actor, period: Period) -> Appraisal:
    """The employee acknowledges their targets: once they are published, until the
    assessment stage ends. Acknowledging twice is refused (409)."""
    me = _own(actor)
    period = Period.objects.get(pk=period.pk)
    if period.targets_published_at is None:
        raise InvalidTransition(
            _("The targets of %(code)s are not published yet.") % {"code": period.code},
            details={"reason": "targets_unpublished"},
        )
    _stage(
        period,
        rules.PREPARATION,
        rules.MOBILISATION,
        rules.ASSESSMENT,
        message=_("Targets are acknowledged before the assessment stage ends."),
    )
    row = _row(staff=me, period=period)
    if row.targets_acknowledged_at is not None:
        raise InvalidTransition(
            _("You have already acknowledged these targets."), details={"reason": "done"}
        )
    row.targets_acknowledged_at = clock.now()
    row.save(update_fields=["targets_acknowledged_at"])
    audit.record(actor=actor, obj=row, action="kpi.appraisal.acknowledge_targets")
    return row


@transaction.atomic
def appraisal_self_save(*, actor, period: Period, quantitative: str, qualitative: str) -> Appraisal:
    """The employee's self-assessment, one text per indicator group (quantitative results,
    qualitative conduct); saved again as often as needed during the assessment stage. At
    least one group must be written."""
    me = _own(actor)
    period = Period.objects.get(pk=period.pk)
    _stage(
        period,
        rules.ASSESSMENT,
        message=_("The self-appraisal is written in the assessment stage."),
    )
    quantitative, qualitative = (quantitative or "").strip(), (qualitative or "").strip()
    if not quantitative and not qualitative:
        raise ValidationError({"quantitative": [_("Write your self-assessment.")]})
    row = _row(staff=me, period=period)
    before = audit.snapshot(row, ["self_quantitative", "self_qualitative"])
    row.self_quantitative, row.self_qualitative = quantitative, qualitative
    row.self_submitted_at = clock.now()
    row.save(update_fields=["self_quantitative", "self_qualitative", "self_submitted_at"])
    audit.record(
        actor=actor,
        obj=row,
        action="kpi.appraisal.self",
        changes=audit.diff(before, audit.snapshot(row, ["self_quantitative", "self_qualitative"])),
    )
    return row


def _may_review(actor, staff: Staff) -> None:
    """HR reviews anyone; a line manager their team but not themselves; others may not.
    Staff out of the caller's scope: 404."""
    if not visible_staff(actor).filter(pk=staff.pk).exists():
        raise NotInScope
    if is_office(actor):
        return
    if not has_role(actor, Role.MANAGER):
        raise RoleRequired(_("Only the line manager or HR records the review."))
    me = staff_of(actor)
    if me is not None and me.pk == staff.pk:
        raise RoleRequired(_("Your own review is recorded by your line manager."))


@transaction.atomic
def appraisal_review_record(
    *,
    actor,
    staff: Staff,
    period: Period,
    review_date: dt.date,
    summary: str,
    coaching_actions: str = "",
    development_goals: str = "",
) -> Appraisal:
    """The review conversation (绩效面谈) of the feedback stage: its date (not in the future),
    a summary (required), coaching actions and agreed development goals. It may be corrected
    until the employee has answered; the employee is asked to acknowledge it."""
    _may_review(actor, staff)
    period = Period.objects.get(pk=period.pk)
    _stage(period, rules.FEEDBACK, message=_("The review is recorded in the feedback stage."))
    if review_date > clock.today():
        raise ValidationError({"review_date": [_("The conversation cannot be in the future.")]})
    if not (summary or "").strip():
        raise ValidationError({"summary": [_("Summarise the conversation.")]})
    row = _row(staff=staff, period=period)
    if row.responded_at is not None:
        raise InvalidTransition(
            _("The employee has already answered this review."), details={"reason": "answered"}
        )
    fields = ["review_date", "review_summary", "coaching_actions", "development_goals"]
    before = audit.snapshot(row, fields)
    row.review_date = review_date
    row.review_summary = summary.strip()
    row.coaching_actions = (coaching_actions or "").strip()
    row.development_goals = (development_goals or "").strip()
    row.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    row.reviewed_at = clock.now()
    row.save(update_fields=[*fields, "reviewed_by", "reviewed_at"])
    audit.record(
        actor=actor,
        obj=row,
        action="kpi.appraisal.review",
        changes=audit.diff(before, audit.snapshot(row, fields)),
    )
    me = staff_of(actor)
    notify(
        event=events.REVIEW_RECORDED,
        recipients=[staff.user_id],
        context={
            "period": period.code,
            "date": review_date.isoformat(),
            "manager": me.name if me is not None else _("The certification office"),
        },
        url=reverse("kpi:appraisal-me") + f"?period={period.code}",
    )
    return row


@transaction.atomic
def appraisal_respond(*, actor, period: Period, agree: bool, comment: str = "") -> Appraisal:
    """The employee's answer to the recorded review: acknowledged, or disagreed with a comment
    (required then). Answered once (409 again, 409 before the review is recorded)."""
    me = _own(actor)
    period = Period.objects.get(pk=period.pk)
    comment = (comment or "").strip()
    row = _row(staff=me, period=period)
    if row.reviewed_at is None:
        raise InvalidTransition(
            _("Your review has not been recorded yet."), details={"reason": "not_reviewed"}
        )
    if row.responded_at is not None:
        raise InvalidTransition(
            _("You have already answered this review."), details={"reason": "answered"}
        )
    if not agree and not comment:
        raise ValidationError({"comment": [_("Say why you disagree.")]})
    row.response = Appraisal.Response.AGREED if agree else Appraisal.Response.DISAGREED
    row.response_comment = comment
    row.responded_at = clock.now()
    row.save(update_fields=["response", "response_comment", "responded_at"])
    audit.record(
        actor=actor,
        obj=row,
        action="kpi.appraisal.respond",
        to_state=row.response,
        reason=comment,
    )
    return row
