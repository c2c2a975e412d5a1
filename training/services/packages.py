"""Training packages (DOMAIN.md, "Training"): granted with a promotion to senior level or
above, a programme chosen by the staff member, uses recorded by the office."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition, RoleRequired
from core.roles import is_office
from org.models import Appointment
from org.scope import staff_of

from ..models import Course, PackageUsage, TrainingPackage
from ..rules import package_applies
from .common import require_office


def package_grant(*, appointment: Appointment, actor=None) -> TrainingPackage | None:
    """Grant the training package of a promotion to L3 or above, worth the level's
    ``training_package_value``, valid for the appointment's term.

    Idempotent per appointment: calling it again (a retried approval) returns the package
    already granted; a unique constraint on the appointment backs this up under concurrency.
    Returns ``None`` when the appointment grants nothing (not a promotion, below L3, value 0).
    """
    appointment = Appointment.objects.select_related("level", "staff").get(pk=appointment.pk)
    if not package_applies(appointment):
        return None
    existing = TrainingPackage.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            package = TrainingPackage.objects.create(
                staff=appointment.staff,
                appointment=appointment,
                level=appointment.level,
                value=appointment.level.training_package_value,
                granted_on=appointment.start,
                valid_until=appointment.end,
            )
            audit.record(
                actor=actor,
                obj=package,
                action="grant",
                to_state=package.status,
                changes={"appointment": appointment.pk, "value": package.value},
            )
    except IntegrityError:
        return TrainingPackage.objects.get(appointment=appointment)
    return package


def package_used(package: TrainingPackage) -> Decimal:
    return package.usages.aggregate(total=Sum("amount"))["total"] or Decimal(0)


@transaction.atomic
def package_choose(
    *, actor, package: TrainingPackage, programme: str, course: Course | None = None
) -> TrainingPackage:
    """The staff member (or HR for them) picks the programme the package pays for. It can be
    changed until the first use is recorded."""
    package = TrainingPackage.objects.select_for_update().get(pk=package.pk)
    own = staff_of(actor) if actor is not None else None
    if not (actor is None or is_office(actor) or (own and own.pk == package.staff_id)):
        raise RoleRequired(_("Only the staff member or the office may choose the programme."))
    if package.usages.exists():
        raise InvalidTransition(_("The package is in use; the programme can no longer change."))
    programme = (programme or "").strip() or (course.display_title if course else "")
    if not programme:
        raise DomainError(_("Name the programme."), code=ErrorCode.PROGRAMME_REQUIRED)
    before = package.status
    package.programme = programme[:200]
    package.course = course
    package.chosen_at = clock.now()
    package.status = TrainingPackage.Status.CHOSEN
    package.save(update_fields=["programme", "course", "chosen_at", "status"])
    audit.record(
        actor=actor,
        obj=package,
        action="choose",
        from_state=before,
        to_state=package.status,
        changes={"programme": package.programme, "course": course.pk if course else None},
    )
    return package


@transaction.atomic
def package_use(
    *, actor, package: TrainingPackage, amount: Decimal, date: dt.date, description: str
) -> PackageUsage:
    """HR records a use of the package; the total used never exceeds its value. When the
    value is used up the package is marked used."""
    require_office(actor)
    package = TrainingPackage.objects.select_for_update().get(pk=package.pk)
    if package.status == TrainingPackage.Status.GRANTED:
        raise InvalidTransition(_("No programme has been chosen yet."), code=ErrorCode.NO_PROGRAMME)
    if package.status == TrainingPackage.Status.USED:
        raise InvalidTransition(_("The package is used up."))
    if amount <= 0:
        raise DomainError(_("The amount must be positive."), code=ErrorCode.INVALID_AMOUNT)
    remaining = package.value - package_used(package)
    if amount > remaining:
        raise DomainError(
            _("Only %(remaining)s is left on the package.") % {"remaining": remaining},
            code=ErrorCode.EXCEEDS_BALANCE,
        )
    usage = PackageUsage.objects.create(
        package=package,
        amount=amount,
        date=date,
        description=description,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    before = package.status
    if amount == remaining:
        package.status = TrainingPackage.Status.USED
        package.save(update_fields=["status"])
    audit.record(
        actor=actor,
        obj=package,
        action="use",
        from_state=before,
        to_state=package.status,
        changes={"amount": amount, "date": date, "description": description},
    )
    return usage
