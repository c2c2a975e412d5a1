"""Writes of the KPI app (DOMAIN.md, "KPI"). Each service checks role and state, runs in a
transaction, locks what it changes and writes its audit record; the API, the pages, the admin
and the commands all call these."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition, NotInScope, RoleRequired
from core.roles import Role, has_role, is_office
from org.models import Staff
from org.scope import staff_of, visible_staff

from .. import ratings, rules, score_recompute, scoring
from ..models import (
    Actual,
    Correction,
    GradePolicy,
    Indicator,
    Period,
    Scheme,
    SchemeItem,
    StaffTarget,
    parse_period_code,
)
from .common import require_office
from .cycle import stage_rows_ensure

HUNDRED = Decimal(100)
MAX_VALUE = Decimal("99999999999999.9999")


# --- indicators -----------------------------------------------------------------------------


@transaction.atomic
def indicator_save(*, actor, indicator: Indicator) -> Indicator:
    """Create or change an indicator; its parameters are validated for its method."""
    require_office(actor)
    before = {}
    if indicator.pk:
        before = audit.snapshot(Indicator.objects.select_for_update().get(pk=indicator.pk))
    if not indicator.params:
        indicator.params = scoring.default_params(indicator.method)
    indicator.full_clean()
    indicator.save()
    after = audit.snapshot(indicator)
    audit.record(
        actor=actor,
        obj=indicator,
        action="kpi.indicator." + ("change" if before else "create"),
        changes=audit.diff(before, after),
    )
    return indicator


# --- schemes --------------------------------------------------------------------------------


def _clean_items(items: list[dict]) -> list[dict]:
    errors = []
    seen = set()
    total = Decimal(0)
    for i, item in enumerate(items, start=1):
        indicator = item["indicator"]
        if indicator.pk in seen:
            errors.append(
                _("Item %(i)s: indicator %(code)s appears twice.")
                % {"i": i, "code": indicator.code}
            )
        seen.add(indicator.pk)
        weight = Decimal(item["weight"])
        if weight <= 0:
            errors.append(_("Item %(i)s: the weight must be greater than 0.") % {"i": i})
        total += weight
        target = item.get("target")
        message = scoring.validate_target(indicator.method, target)
        if message:
            errors.append(
                _("Item %(i)s (%(code)s): %(m)s") % {"i": i, "code": indicator.code, "m": message}
            )
    if not items:
        errors.append(_("A scheme needs at least one indicator."))
    elif total != HUNDRED:
        errors.append(
            _("The weights must add up to exactly 100 (they add up to %(t)s).") % {"t": total}
        )
    if errors:
        raise ValidationError({"items": errors})
    return items


@transaction.atomic
def scheme_save(*, actor, scheme: Scheme, items: list[dict]) -> Scheme:
    """Create or change a scheme with its items ``[{indicator, weight, target}]``.

    DOMAIN.md: weights sum to exactly 100 — anything else is refused and nothing is saved.
    Scores of open periods of the scheme's type are recomputed.
    """
    require_office(actor)
    _clean_items(items)
    if scheme.parent_id:
        framework = Scheme.objects.get(pk=scheme.parent_id)
        if framework.parent_id is not None:
            raise DomainError(
                _("A variant's framework must be a company framework, not another variant."),
                code=ErrorCode.VARIANT_MISMATCH,
            )
        if scheme.unit_id is None:
            raise ValidationError({"unit": [_("A unit variant needs its org unit.")]})
        scheme.track_id = framework.track_id
        scheme.level_id = framework.level_id
        scheme.period_type = framework.period_type
        _check_variant(framework, framework.items.all(), items)
    elif scheme.unit_id is not None:
        raise ValidationError({"parent": [_("A scheme for one unit is a variant of a framework.")]})
    if scheme.level_id and scheme.track_id is None:
        scheme.track_id = scheme.level.track_id
    if scheme.level_id and scheme.level.track_id != scheme.track_id:
        raise ValidationError({"level": [_("The level belongs to another track.")]})
    # The recompute below writes scores that reference every scheme of this period type, so
    # two concurrent saves would each hold one scheme and wait for the other's (a deadlock on
    # PostgreSQL). Locking all of them, in id order, first serialises the saves instead.
    list(
        Scheme.objects.select_for_update()
        .filter(period_type=scheme.period_type)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    before = {}
    if scheme.pk:
        old = Scheme.objects.select_for_update().get(pk=scheme.pk)
        before = audit.snapshot(old) | {"items": _items_repr(old.items.all())}
    if scheme.pk and scheme.parent_id is None:
        for variant in scheme.variants.prefetch_related("items__indicator"):
            _check_variant(
                scheme,
                [SchemeItem(indicator=i["indicator"], weight=i["weight"]) for i in items],
                [{"indicator": v.indicator, "weight": v.weight} for v in variant.items.all()],
                variant=variant,
            )
    scheme.full_clean()
    scheme.save()
    scheme.items.all().delete()
    SchemeItem.objects.bulk_create(
        SchemeItem(
            scheme=scheme,
            indicator=item["indicator"],
            weight=item["weight"],
            target=item.get("target"),
        )
        for item in items
    )
    after = audit.snapshot(scheme) | {
        "items": _items_repr(scheme.items.select_related("indicator"))
    }
    audit.record(
        actor=actor,
        obj=scheme,
        action="kpi.scheme." + ("change" if before else "create"),
        changes=audit.diff(before, after),
    )
    # The rater-type weights may have changed: the ratings' actuals first, then the scores.
    ratings.apply(
        Period.objects.filter(
            period_type=scheme.period_type, status=Period.Status.OPEN
        ).values_list("pk", flat=True),
        actor=actor,
    )
    return scheme


def _check_variant(framework: Scheme, framework_items, items: list[dict], variant=None) -> None:
    """Refuse (400 ``variant_mismatch``) a unit variant that does not keep exactly the
    framework's indicators, or moves a weight more than the framework's bounds."""
    base = {item.indicator_id: Decimal(item.weight) for item in framework_items}
    mine = {item["indicator"].pk: Decimal(item["weight"]) for item in items}
    problems = rules.variant_problems(base, mine, framework.weight_bounds)
    if not problems:
        return
    codes = dict(
        Indicator.objects.filter(pk__in=[p[1] for p in problems]).values_list("pk", "code")
    )
    messages = []
    for problem, ind_id, weight in problems:
        if problem == "missing":
            messages.append(
                _("%(code)s is in the framework: a variant keeps every framework indicator.")
                % {"code": codes[ind_id]}
            )
        elif problem == "extra":
            messages.append(
                _("%(code)s is not in the framework: a variant adds no indicator.")
                % {"code": codes[ind_id]}
            )
        else:
            messages.append(
                _(
                    "%(code)s: the weight may move at most %(bounds)s points from the "
                    "framework's %(weight)s."
                )
                % {"code": codes[ind_id], "bounds": framework.weight_bounds, "weight": weight}
            )
    if variant is not None:
        messages.insert(
            0,
            _("The change would put the variant for %(unit)s out of line with the framework:")
            % {"unit": variant.unit},
        )
    raise DomainError(" ".join(messages), code=ErrorCode.VARIANT_MISMATCH)


def _items_repr(items) -> list[str]:
    return [
        f"{item.indicator.code}:{item.weight}:{'' if item.target is None else item.target}"
        for item in items
    ]


@transaction.atomic
def target_set(*, actor, staff: Staff, indicator: Indicator, target, period=None) -> StaffTarget:
    """A staff member's own target (per period, or for every period when ``period`` is None)."""
    require_office(actor)
    message = scoring.validate_target(indicator.method, Decimal(target))
    if message:
        raise ValidationError({"target": [message]})
    row, created = StaffTarget.objects.select_for_update().get_or_create(
        staff=staff, indicator=indicator, period=period, defaults={"target": target}
    )
    old = None if created else row.target
    if not created:
        row.target = target
        row.save(update_fields=["target"])
    audit.record(
        actor=actor,
        obj=row,
        action="kpi.target.set",
        changes={"target": [old, str(target)]},
    )
    _recompute(
        [period.pk]
        if period
        else Period.objects.filter(status=Period.Status.OPEN).values_list("pk", flat=True)
    )
    return row


# --- periods --------------------------------------------------------------------------------


@transaction.atomic
def period_create(*, actor, code: str) -> Period:
    """Open a period from its code (``2026-03``, ``2026-Q1``, ``2026``)."""
    require_office(actor)
    try:
        period_type, start, end = parse_period_code(code)
    except ValueError as exc:
        raise ValidationError(
            {"code": [_("Use YYYY-MM, YYYY-Qn or YYYY (e.g. 2026-03, 2026-Q1, 2026).")]}
        ) from exc
    if Period.objects.filter(code=code).exists():
        raise ValidationError({"code": [_("This period already exists.")]})
    period = Period.objects.create(
        code=code, period_type=period_type, year=start.year, start=start, end=end
    )
    stage_rows_ensure(period)
    audit.record(actor=actor, obj=period, action="kpi.period.create", to_state=period.status)
    return period


# --- actuals --------------------------------------------------------------------------------


def actual_parse(indicator: Indicator, raw) -> tuple[Decimal | None, str]:
    """``(value, grade)`` from user input; raises ValidationError({"value": …})."""
    text = str(raw if raw is not None else "").strip()
    if indicator.method == scoring.RATING:
        grade = text.upper()
        if grade not in scoring.GRADES:
            raise ValidationError({"value": [_("A rating is one of A, B, C, D, E.")]})
        return None, grade
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise ValidationError({"value": [_("Not a number.")]}) from exc
    if (
        not value.is_finite()
        or abs(value) > MAX_VALUE
        or value != value.quantize(Decimal("0.0001"))
    ):
        raise ValidationError(
            {"value": [_("Not a number (up to 14 digits before and 4 after the decimal point).")]}
        )
    if indicator.method == scoring.DEDUCTION and (value < 0 or value != value.to_integral_value()):
        raise ValidationError({"value": [_("The number of incidents is a whole number ≥ 0.")]})
    return value.quantize(Decimal("0.0001")), ""


def _may_enter(actor, staff: Staff, indicator: Indicator) -> None:
    """HR enters anything; a line manager rates qualitative indicators of their team (not
    themselves); anyone else may not enter actuals. Out-of-scope staff: 404."""
    if actor is None or is_office(actor):
        return
    if not has_role(actor, Role.MANAGER):
        raise RoleRequired(_("Only HR or the line manager may enter actuals."))
    if not visible_staff(actor).filter(pk=staff.pk).exists():
        raise NotInScope
    me = staff_of(actor)
    if me is not None and me.pk == staff.pk:
        raise RoleRequired(_("You cannot rate yourself."))
    if indicator.kind != Indicator.Kind.QUALITATIVE:
        raise RoleRequired(_("Line managers enter the qualitative ratings only."))


def _recompute(period_ids) -> None:
    # Synchronous and inside the caller's transaction: scores never disagree with actuals.
    score_recompute.recompute(list(period_ids))


@transaction.atomic
def actual_enter(*, actor, staff: Staff, indicator: Indicator, period: Period, value) -> Actual:
    """Manual entry (录入) of an actual in an open period; the period's scores are recomputed."""
    _may_enter(actor, staff, indicator)
    if indicator.method == scoring.SOURCES:
        raise InvalidTransition(
            _("This indicator's actual is the weighted mean of its multi-source ratings.")
        )
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise InvalidTransition(
            _("The period %(code)s is locked: change it through a correction with a reason.")
            % {"code": period.code}
        )
    number, grade = actual_parse(indicator, value)
    actual = (
        Actual.objects.select_for_update()
        .filter(staff=staff, indicator=indicator, period=period)
        .first()
    )
    old = actual.display_value if actual else ""
    if actual is None:
        actual = Actual(staff=staff, indicator=indicator, period=period)
    actual.value, actual.grade = number, grade
    actual.source = Actual.Source.MANUAL
    actual.batch = None
    actual.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    actual.updated_at = clock.now()
    actual.save()
    audit.record(
        actor=actor,
        obj=actual,
        action="kpi.actual.enter",
        changes={"value": [old, actual.display_value]},
    )
    _recompute([period.pk])
    return actual


@transaction.atomic
def actual_correct(*, actor, actual: Actual, value, reason: str) -> Correction:
    """更正: change an actual of a locked period. HR only, with a reason; recorded as a
    :class:`~kpi.models.Correction` and in the audit trail; the scores are recomputed."""
    require_office(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("A correction needs a reason.")]})
    actual = (
        Actual.objects.select_for_update().select_related("indicator", "period").get(pk=actual.pk)
    )
    if not actual.period.is_locked:
        raise InvalidTransition(
            _("The period %(code)s is open: enter the actual directly.")
            % {"code": actual.period.code}
        )
    number, grade = actual_parse(actual.indicator, value)
    old = actual.display_value
    actual.value, actual.grade = number, grade
    actual.source = Actual.Source.CORRECTION
    actual.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    actual.updated_at = clock.now()
    actual.save()
    correction = Correction.objects.create(
        actual=actual,
        old_value=old,
        new_value=actual.display_value,
        reason=reason.strip(),
        corrected_by=actual.updated_by,
    )
    audit.record(
        actor=actor,
        obj=actual,
        action="kpi.actual.correct",
        reason=reason.strip(),
        changes={"value": [old, actual.display_value]},
    )
    _recompute([actual.period_id])
    return correction


# --- grades ---------------------------------------------------------------------------------


@transaction.atomic
def policy_save(*, actor, policy: GradePolicy) -> GradePolicy:
    """Thresholds and quotas of a year; the year's grades are recomputed."""
    require_office(actor)
    before = {}
    if policy.pk:
        before = audit.snapshot(GradePolicy.objects.select_for_update().get(pk=policy.pk))
    policy.full_clean()
    policy.save()
    audit.record(
        actor=actor,
        obj=policy,
        action="kpi.policy." + ("change" if before else "create"),
        changes=audit.diff(before, audit.snapshot(policy)),
    )
    score_recompute.recompute_years([policy.year])
    return policy


def annual_scores_recompute(*, actor, year: int) -> int:
    """HR's "recompute now" for a whole year: every period score, then the annual scores."""
    require_office(actor)
    with transaction.atomic():
        ids = list(Period.objects.filter(year=year).values_list("pk", flat=True))
        score_recompute.recompute_periods(ids)
        return score_recompute.recompute_years([year])
