"""Writes on 360° assessments (DOMAIN.md, "Competency model"): rounds, rater invitations,
ratings, finalize, cancel, close.

An :class:`AssessmentRound` assesses a set of staff against one *published* model version;
each staff member's assessment is made against the requirement profile of the level they held
when the round opened. Raters are invited by type (self, manager, peer, expert). Finalizing
computes each competency's weighted mean (rater-type weights renormalised over the types
present), the competency index and the gaps (see :mod:`competency.scoring`), and stores them
rounded half-up to 2 places. Every transition locks its row and writes one audit record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, bulk, clock, weights
from core.errors import DomainError, ErrorCode, InvalidTransition, RoleRequired
from core.numbers import round_score
from core.roles import Role, has_role, is_office
from org.models import Staff
from org.scope import staff_of, visible_staff

from . import scoring
from .models import (
    Assessment,
    AssessmentResult,
    AssessmentRound,
    Competency,
    CompetencyModel,
    Rater,
    RaterType,
    Rating,
    Requirement,
)

AStatus = Assessment.Status


def can_manage(user, staff: Staff) -> bool:
    """HR, or a line manager who has ``staff`` in scope (never for their own assessment)."""
    if user is None:
        return True  # system jobs (demo data, commands)
    if is_office(user):
        return True
    me = staff_of(user)
    if me is None or me.pk == staff.pk or not has_role(user, Role.MANAGER):
        return False
    return visible_staff(user).filter(pk=staff.pk).exists()


def _require_manage(actor, staff: Staff) -> None:
    if not can_manage(actor, staff):
        raise RoleRequired(_("Only HR or the staff member's manager may do this."))


# --- rounds -----------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor,
    model: CompetencyModel,
    name: str,
    staff: Iterable[Staff],
    due_date: dt.date | None = None,
    weights: Mapping[str, Decimal] | None = None,
    invite_self: bool = True,
    invite_manager: bool = True,
) -> AssessmentRound:
    """Open a round for ``staff`` against a published version; self and manager raters are
    invited automatically when the staff member / their manager has a login."""
    if actor is not None and not is_office(actor):
        raise RoleRequired(_("Only the certification office opens assessment rounds."))
    model = CompetencyModel.objects.select_for_update().get(pk=model.pk)
    if model.status != CompetencyModel.Status.PUBLISHED:
        raise InvalidTransition(_("Assessments use a published model version."))
    weights = {**{t: w for t, w in AssessmentRound().rater_weights.items()}, **(weights or {})}
    if any(Decimal(w) < 0 for w in weights.values()) or sum(map(Decimal, weights.values())) <= 0:
        raise DomainError(
            _("Rater weights must be non-negative and not all zero."), code=ErrorCode.INVALID_WEIGHT
        )
    people = list(
        Staff.objects.filter(pk__in=[s.pk for s in staff]).select_related("manager", "level")
    )
    if not people:
        raise DomainError(_("Choose at least one staff member."), code=ErrorCode.NO_STAFF)
    wrong = [s for s in people if s.track_id != model.track_id or s.level_id is None]
    if wrong:
        raise DomainError(
            _("Not on this model's track or without a level: %(names)s")
            % {"names": ", ".join(str(s) for s in wrong[:20])},
            code=ErrorCode.INVALID_STAFF,
        )
    round_ = AssessmentRound.objects.create(
        name=name,
        model=model,
        due_date=due_date,
        weight_manager=weights[RaterType.MANAGER],
        weight_peer=weights[RaterType.PEER],
        weight_expert=weights[RaterType.EXPERT],
        weight_self=weights[RaterType.SELF],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Assessment.objects.bulk_create(
        [Assessment(round=round_, staff=s, model=model, level_id=s.level_id) for s in people]
    )
    assessments = {a.staff_id: a for a in round_.assessments.all()}
    raters = []
    for s in people:
        a = assessments[s.pk]
        if invite_self and s.user_id:
            raters.append(Rater(assessment=a, user_id=s.user_id, rater_type=RaterType.SELF))
        if invite_manager and s.manager_id and s.manager.user_id and s.manager.user_id != s.user_id:
            raters.append(
                Rater(assessment=a, user_id=s.manager.user_id, rater_type=RaterType.MANAGER)
            )
    Rater.objects.bulk_create(raters)
    audit.record(
        actor=actor,
        obj=round_,
        action="open",
        to_state=round_.status,
        changes={
            "staff": sorted(s.pk for s in people),
            "weights": {k: str(v) for k, v in weights.items()},
        },
    )
    return round_


@transaction.atomic
def round_close(*, actor, round: AssessmentRound, reason: str = "") -> AssessmentRound:
    """open → closed, once every assessment is finalized or cancelled."""
    if actor is not None and not is_office(actor):
        raise RoleRequired(_("Only the certification office closes assessment rounds."))
    round_ = AssessmentRound.objects.select_for_update().get(pk=round.pk)
    if round_.status != AssessmentRound.Status.OPEN:
        raise InvalidTransition(_("The round is already closed."))
    still_open = round_.assessments.filter(status=AStatus.OPEN).count()
    if still_open:
        raise InvalidTransition(
            _("%(n)s assessment(s) are still open.") % {"n": still_open},
            code=ErrorCode.ASSESSMENTS_OPEN,
        )
    round_.status = AssessmentRound.Status.CLOSED
    round_.closed_at = clock.now()
    round_.save(update_fields=["status", "closed_at"])
    audit.record(
        actor=actor, obj=round_, action="close", from_state="open", to_state="closed", reason=reason
    )
    return round_


# --- raters and ratings -----------------------------------------------------------------------


def _lock_open(assessment: Assessment) -> Assessment:
    locked = (
        Assessment.objects.select_for_update()
        .select_related("staff", "model")
        .get(pk=assessment.pk)
    )
    if locked.status != AStatus.OPEN:
        raise InvalidTransition(
            _("The assessment is %(status)s.") % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def rater_invite(*, actor, assessment: Assessment, user, rater_type: str) -> Rater:
    """Invite ``user`` to rate ``assessment`` as ``rater_type`` (HR or the manager)."""
    assessment = _lock_open(assessment)
    _require_manage(actor, assessment.staff)
    staff = assessment.staff
    is_rated_person = staff.user_id is not None and staff.user_id == user.pk
    if (rater_type == RaterType.SELF) != is_rated_person:
        raise DomainError(
            _("Only the staff member rates as self, and only as self."),
            code=ErrorCode.INVALID_RATER,
        )
    if Rater.objects.filter(assessment=assessment, user=user).exists():
        raise DomainError(_("This person is already a rater."), code=ErrorCode.DUPLICATE_RATER)
    rater = Rater.objects.create(assessment=assessment, user=user, rater_type=rater_type)
    audit.record(
        actor=actor, obj=assessment, action="invite_rater", changes={"rater_type": rater_type}
    )
    return rater


def implicit_rater_type(user, staff: Staff) -> str | None:
    """The rater type ``user`` may take without an invitation, if any."""
    if staff.user_id and staff.user_id == user.pk:
        return RaterType.SELF
    me = staff_of(user)
    if me is not None and staff.manager_id == me.pk:
        return RaterType.MANAGER
    if is_office(user):
        return RaterType.EXPERT
    return None


def _rater_for(actor, assessment: Assessment, rater_type: str) -> Rater:
    rater = Rater.objects.filter(assessment=assessment, user=actor).first()
    if rater is None:
        implicit = implicit_rater_type(actor, assessment.staff)
        if implicit is None:
            raise RoleRequired(_("You are not invited to rate this assessment."))
        if implicit != rater_type:
            raise DomainError(
                _("You may rate this assessment only as %(type)s.")
                % {"type": RaterType(implicit).label},
                code=ErrorCode.INVALID_RATER_TYPE,
            )
        return Rater.objects.create(assessment=assessment, user=actor, rater_type=rater_type)
    if rater.rater_type != rater_type:
        raise DomainError(
            _("You are invited as %(type)s.") % {"type": rater.get_rater_type_display()},
            code=ErrorCode.INVALID_RATER_TYPE,
        )
    return rater


@transaction.atomic
def ratings_save(
    *, actor, assessment: Assessment, rater_type: str, entries: Iterable[Mapping]
) -> list[Rating]:
    """Save (create or revise) ``actor``'s ratings: ``entries`` of ``{competency, level,
    evidence}``. Each level lies on the model's scale and comes with evidence (行为事例).
    Ratings can be revised until the assessment is finalized."""
    assessment = _lock_open(assessment)
    rater = _rater_for(actor, assessment, rater_type)
    model = assessment.model
    competencies = {c.pk: c for c in model.competencies.all()}
    existing = {r.competency_id: r for r in rater.ratings.all()}
    saved, changes = [], {}
    for entry in entries:
        competency = entry["competency"]
        competency_id = getattr(competency, "pk", competency)
        if competency_id not in competencies:
            raise DomainError(
                _("The competency is not part of this assessment's model."),
                code=ErrorCode.INVALID_COMPETENCY,
            )
        level = int(entry["level"])
        if not 1 <= level <= model.scale_max:
            raise DomainError(
                _("Proficiency levels run from 1 to %(max)s.") % {"max": model.scale_max},
                code=ErrorCode.INVALID_LEVEL,
            )
        evidence = (entry.get("evidence") or "").strip()
        if not evidence:
            raise DomainError(_("Each rating needs evidence."), code=ErrorCode.EVIDENCE_REQUIRED)
        rating = existing.get(competency_id)
        code = competencies[competency_id].code
        if rating is None:
            rating = Rating.objects.create(
                rater=rater,
                assessment=assessment,
                competency_id=competency_id,
                level=level,
                evidence=evidence,
            )
            existing[competency_id] = rating
            changes[code] = [None, level]
        elif rating.level != level or rating.evidence != evidence:
            changes[code] = [rating.level, level]
            rating.level, rating.evidence = level, evidence
            rating.save(update_fields=["level", "evidence", "rated_at"])
        saved.append(rating)
    complete = set(existing) >= set(competencies)
    if complete and rater.completed_at is None:
        rater.completed_at = clock.now()
        rater.save(update_fields=["completed_at"])
    if changes:
        # Recorded on the rater, not the assessment: the audit trail is office-only, and the
        # assessment's own history must not reveal who the (anonymous) peers are.
        audit.record(actor=actor, obj=rater, action="rate", changes=changes)
    return saved


def rating_save(
    *, actor, assessment: Assessment, rater_type: str, competency, level: int, evidence: str
) -> Rating:
    """One rating (the API's ``assessments/{id}/ratings/`` POST)."""
    return ratings_save(
        actor=actor,
        assessment=assessment,
        rater_type=rater_type,
        entries=[{"competency": competency, "level": level, "evidence": evidence}],
    )[0]


# --- finalize ---------------------------------------------------------------------------------


RESULT_FIELDS = (
    "assessment_id",
    "competency_id",
    "actual",
    "required_level",
    "weight",
    "gap",
    "by_type",
)
"""The columns of an :class:`AssessmentResult` row as :func:`_compute` gives them."""


def _compute(
    assessments: list[Assessment],
) -> tuple[dict[int, list[tuple]], dict[int, Decimal | None], dict[int, list[str]]]:
    """Results (rows of :data:`RESULT_FIELDS`, written as they are: a round of 30,000 has
    half a million), index and problems per assessment, with three queries for any number."""
    ids = [a.pk for a in assessments]
    ratings: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
    for assessment_id, competency_id, rater_type, level in Rating.objects.filter(
        assessment_id__in=ids
    ).values_list("assessment_id", "competency_id", "rater__rater_type", "level"):
        ratings[(assessment_id, competency_id)].append((rater_type, level))
    model_ids = {a.model_id for a in assessments}
    requirements: dict[tuple[int, int], list[Requirement]] = defaultdict(list)
    for r in Requirement.objects.filter(model_id__in=model_ids).select_related("competency"):
        requirements[(r.model_id, r.level_id)].append(r)
    competencies: dict[int, list[Competency]] = defaultdict(list)
    for c in Competency.objects.filter(model_id__in=model_ids):
        competencies[c.model_id].append(c)

    results, indexes, problems = {}, {}, {}
    for a in assessments:
        type_weights = a.round.rater_weights
        profile = {r.competency_id: r for r in requirements[(a.model_id, a.level_id)]}
        rows, items, missing = [], [], []
        if not profile:
            missing.append(_("No requirement profile for the level assessed against."))
        for c in competencies[a.model_id]:
            means = weights.type_means(ratings.get((a.pk, c.pk), []))
            actual = weights.weighted_mean(means, type_weights)
            requirement = profile.get(c.pk)
            if actual is None:
                if requirement is not None:
                    missing.append(_("%(competency)s has no rating.") % {"competency": c})
                continue
            gap = Decimal("0")
            if requirement is not None:
                gap = scoring.gap(actual, requirement.required_level)
                items.append(
                    scoring.IndexItem(actual, requirement.required_level, requirement.weight)
                )
            rows.append(
                (
                    a.pk,
                    c.pk,
                    round_score(actual),
                    requirement.required_level if requirement else None,
                    requirement.weight if requirement else None,
                    round_score(gap),
                    {t: str(round_score(m)) for t, m in sorted(means.items())},
                )
            )
        results[a.pk] = rows
        indexes[a.pk] = scoring.competency_index(items)
        problems[a.pk] = missing
    return results, indexes, problems


def _finalize(
    actor, assessments: list[Assessment], on: dt.date, reason: str, strict: bool
) -> list[Assessment]:
    results, indexes, problems = _compute(assessments)
    now = clock.now()
    done = []
    for a in assessments:
        if problems[a.pk] or indexes[a.pk] is None:
            if strict:
                raise InvalidTransition(
                    " ".join(problems[a.pk]) or _("Nothing to compute."),
                    code=ErrorCode.ASSESSMENT_INCOMPLETE,
                )
            continue
        a.status = AStatus.FINALIZED
        a.index = round_score(indexes[a.pk])
        a.finalized_on = on
        a.finalized_at = now
        done.append(a)
    bulk.copy_rows(AssessmentResult, RESULT_FIELDS, (row for a in done for row in results[a.pk]))
    # One UPDATE per distinct index (indexes have two decimals: a few hundred values however
    # many assessments a round has), not a row at a time.
    by_index: dict[Decimal, list[int]] = defaultdict(list)
    for a in done:
        by_index[a.index].append(a.pk)
    for index, pks in by_index.items():
        Assessment.objects.filter(pk__in=pks).update(
            status=AStatus.FINALIZED, index=index, finalized_on=on, finalized_at=now
        )
    audit.record_bulk(
        actor=actor,
        entries=[
            audit.Entry(
                a,
                "finalize",
                from_state=AStatus.OPEN,
                to_state=AStatus.FINALIZED,
                reason=reason,
                changes={"index": str(a.index)},
            )
            for a in done
        ],
    )
    return done


@transaction.atomic
def assessment_finalize(
    *, actor, assessment: Assessment, reason: str = "", on: dt.date | None = None
) -> Assessment:
    """open → finalized: store each competency's weighted mean, the gaps and the competency
    index (DOMAIN.md). Refused (409) while a required competency has no rating."""
    locked = _lock_open(assessment)
    _require_manage(actor, locked.staff)
    locked = Assessment.objects.select_related("round").get(pk=locked.pk)
    _finalize(actor, [locked], on or clock.today(), reason, strict=True)
    return locked


@transaction.atomic
def round_finalize(*, actor, round: AssessmentRound, on: dt.date | None = None) -> int:
    """Finalize every complete open assessment of a round at once (set-based); the
    incomplete ones stay open. Returns how many were finalized."""
    if actor is not None and not is_office(actor):
        raise RoleRequired(_("Only the certification office finalizes a whole round."))
    round_ = AssessmentRound.objects.select_for_update().get(pk=round.pk)
    if round_.status != AssessmentRound.Status.OPEN:
        raise InvalidTransition(_("The round is closed."))
    assessments = list(
        Assessment.objects.select_for_update(of=("self",))
        .filter(round=round_, status=AStatus.OPEN)
        .select_related("staff")
        .order_by("pk")
    )
    for a in assessments:
        a.round = round_  # its weights, and the audit record's text
    return len(_finalize(actor, assessments, on or clock.today(), "", strict=False))


@transaction.atomic
def assessment_cancel(*, actor, assessment: Assessment, reason: str = "") -> Assessment:
    """open → cancelled (HR), e.g. when the staff member leaves."""
    if actor is not None and not is_office(actor):
        raise RoleRequired(_("Only the certification office cancels assessments."))
    locked = _lock_open(assessment)
    locked.status = AStatus.CANCELLED
    locked.save(update_fields=["status"])
    audit.record(
        actor=actor,
        obj=locked,
        action="cancel",
        from_state=AStatus.OPEN,
        to_state=AStatus.CANCELLED,
        reason=reason,
    )
    return locked
