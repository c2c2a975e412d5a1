"""Assessment profiles (考核侧重方案; docs/kpi.md, "Assessment profiles"): HR defines named
weight sets on a company framework; an employee chooses one for a year while the year's
periods are still in the preparation stage; the line manager (or HR) approves it, also in
preparation; from then the profile's weights score that year's periods."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition, NotInScope, RoleRequired
from core.roles import Role, has_role, is_office
from notifications.services import notify
from org.scope import staff_of, visible_staff

from .. import events, rules, score_recompute
from ..models import AssessmentProfile, Period, ProfileChoice, ProfileItem, Scheme, Stage
from .common import require_office

HUNDRED = Decimal(100)


@transaction.atomic
def profile_save(*, actor, profile: AssessmentProfile, items: list[dict]) -> AssessmentProfile:
    """Create or change a profile with its items ``[{indicator, weight}]``: exactly the
    framework's indicators, weights summing to 100."""
    require_office(actor)
    framework = Scheme.objects.get(pk=profile.framework_id)
    if framework.parent_id is not None:
        raise DomainError(
            _("Profiles belong to a company framework, not to a unit variant."),
            code=ErrorCode.VARIANT_MISMATCH,
        )
    base = {i.indicator_id: i.weight for i in framework.items.all()}
    mine = {i["indicator"].pk: Decimal(i["weight"]) for i in items}
    if len(mine) != len(items) or rules.variant_problems(base, mine, HUNDRED):
        raise DomainError(
            _("A profile weighs exactly the framework's indicators, each once."),
            code=ErrorCode.VARIANT_MISMATCH,
        )
    total = sum(mine.values(), Decimal(0))
    if total != HUNDRED or any(w <= 0 for w in mine.values()):
        raise ValidationError(
            {
                "items": [
                    _("The weights must add up to exactly 100 (they add up to %(t)s).")
                    % {"t": total}
                ]
            }
        )
    created = profile.pk is None
    profile.full_clean()
    profile.save()
    profile.items.all().delete()
    ProfileItem.objects.bulk_create(
        ProfileItem(profile=profile, indicator=i["indicator"], weight=i["weight"]) for i in items
    )
    audit.record(
        actor=actor,
        obj=profile,
        action="kpi.profile." + ("create" if created else "change"),
        changes={"items": [None, {str(k): f"{v:f}" for k, v in mine.items()}]},
    )
    return profile


def _preparation_only(framework: Scheme, year: int) -> None:
    """Refuse once any period of the year (of the framework's type) has left preparation."""
    started = (
        Period.objects.filter(year=year, period_type=framework.period_type)
        .exclude(stage=Stage.PREPARATION)
        .order_by("start")
        .first()
    )
    if started is not None:
        raise InvalidTransition(
            _(
                "The preparation stage of %(code)s is over: a profile is chosen and approved "
                "before the year's assessment begins."
            )
            % {"code": started.code}
        )


@transaction.atomic
def profile_choose(*, actor, profile: AssessmentProfile, year: int) -> ProfileChoice:
    """The employee chooses a profile of their level's framework for ``year`` (replacing a
    choice still awaiting approval)."""
    me = staff_of(actor)
    if me is None:
        raise RoleRequired(_("Only a staff member chooses their assessment profile."))
    framework = profile.framework
    if framework.level_id != me.level_id:
        raise DomainError(
            _("This profile belongs to another level's framework."),
            code=ErrorCode.INVALID_LEVEL,
        )
    _preparation_only(framework, year)
    choice = ProfileChoice.objects.select_for_update().filter(staff=me, year=year).first()
    if choice is not None and choice.status == ProfileChoice.Status.APPROVED:
        raise InvalidTransition(_("Your profile for this year is already approved."))
    old = None if choice is None else choice.profile_id
    if choice is None:
        choice = ProfileChoice(staff=me, year=year)
    choice.profile = profile
    choice.status = ProfileChoice.Status.PENDING
    choice.refusal_reason = ""
    choice.chosen_at = clock.now()
    choice.save()
    audit.record(
        actor=actor,
        obj=choice,
        action="kpi.profile.choose",
        to_state=choice.status,
        changes={"profile": [old, profile.pk]},
    )
    return choice


def _may_decide(actor, choice: ProfileChoice) -> None:
    """HR, or the line manager of the chooser (their team, not themselves; 404 outside)."""
    if is_office(actor):
        return
    if not has_role(actor, Role.MANAGER):
        raise RoleRequired(_("Only HR or the line manager may do this."))
    if not visible_staff(actor).filter(pk=choice.staff_id).exists():
        raise NotInScope
    me = staff_of(actor)
    if me is not None and me.pk == choice.staff_id:
        raise RoleRequired(_("Nobody approves their own profile."))


@transaction.atomic
def profile_approve(*, actor, choice: ProfileChoice) -> ProfileChoice:
    """The line manager (their team, not themselves) or HR approves a pending choice; the
    year's open periods are rescored with the profile's weights."""
    choice = (
        ProfileChoice.objects.select_for_update()
        .select_related("profile__framework", "staff")
        .get(pk=choice.pk)
    )
    _may_decide(actor, choice)
    if choice.status != ProfileChoice.Status.PENDING:
        raise InvalidTransition(_("This profile choice is not awaiting approval."))
    _preparation_only(choice.profile.framework, choice.year)
    choice.status = ProfileChoice.Status.APPROVED
    choice.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    choice.approved_at = clock.now()
    choice.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(
        actor=actor,
        obj=choice,
        action="kpi.profile.approve",
        from_state=ProfileChoice.Status.PENDING,
        to_state=choice.status,
    )
    score_recompute.recompute(
        Period.objects.filter(year=choice.year, status=Period.Status.OPEN).values_list(
            "pk", flat=True
        )
    )
    _tell_chooser(actor, choice, events.PROFILE_APPROVED)
    return choice


def _tell_chooser(actor, choice: ProfileChoice, event: str, **context) -> None:
    """Tell the employee who chose the profile what was decided, and by whom."""
    me = staff_of(actor)
    notify(
        event=event,
        recipients=[choice.staff.user_id],
        context={
            "year": choice.year,
            "profile": choice.profile.name,
            "decider": me.name if me is not None else _("The certification office"),
            **context,
        },
        url=reverse("kpi:profiles"),
    )


@transaction.atomic
def profile_refuse(*, actor, choice: ProfileChoice, reason: str) -> ProfileChoice:
    """The line manager (or HR) refuses a pending choice with a reason; the employee sees the
    reason and chooses again (while the year is in preparation). Nothing is rescored: a
    refused choice, like a pending one, changes no weights."""
    choice = (
        ProfileChoice.objects.select_for_update()
        .select_related("profile", "staff")
        .get(pk=choice.pk)
    )
    _may_decide(actor, choice)
    if choice.status != ProfileChoice.Status.PENDING:
        raise InvalidTransition(_("This profile choice is not awaiting approval."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give the reason for the refusal: the employee reads it."),
            code=ErrorCode.REASON_REQUIRED,
        )
    choice.status = ProfileChoice.Status.REFUSED
    choice.refusal_reason = reason
    choice.save(update_fields=["status", "refusal_reason"])
    audit.record(
        actor=actor,
        obj=choice,
        action="kpi.profile.refuse",
        from_state=ProfileChoice.Status.PENDING,
        to_state=choice.status,
        changes={"refusal_reason": [None, reason]},
    )
    _tell_chooser(actor, choice, events.PROFILE_REFUSED, reason=reason)
    return choice
