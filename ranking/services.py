"""Writes of the annual ranking and re-certification (DOMAIN.md, "Annual ranking and dynamic
management"). Each function is one use case: it checks the role and the state, locks what it
changes, writes, and records an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, clock, transitions
from core.errors import ConflictOfInterest, DomainError, InvalidTransition, RoleRequired
from core.numbers import round_score
from core.roles import Role, has_role, is_office
from org import services as org_services
from org.models import Appointment, Level, Staff, Track

from . import engine
from .models import (
    MAX_BOTTOM_PCT,
    MIN_BOTTOM_PCT,
    HonourPhoto,
    RankingEntry,
    RankingRun,
    RecertificationCase,
    RecertificationSheet,
)

logger = logging.getLogger(__name__)

RUN_PARAMETERS = (
    "cohort",
    "bottom_pct",
    "override_reason",
    "min_months",
    "min_cohort",
    "kpi_weight",
    "pass_line",
    "elimination_line",
    "spread_threshold",
    "reason",
)
# Same-unit colleagues do not score each other in a re-certification (回避).
SAME_UNIT_CONFLICT = True


def _check_office(actor) -> None:
    if actor is not None and not is_office(actor):
        raise RoleRequired(_("Only the certification office may run the annual ranking."))


def _validate(run: RankingRun) -> None:
    if (
        not (MIN_BOTTOM_PCT <= run.bottom_pct <= MAX_BOTTOM_PCT)
        and not (run.override_reason or "").strip()
    ):
        raise DomainError(
            _(
                "The bottom band must be between 5 % and 10 %; another percentage needs an "
                "override reason."
            ),
            code="bottom_pct_out_of_range",
        )
    if run.elimination_line > run.pass_line:
        raise DomainError(
            _("The elimination line cannot be above the pass line."), code="invalid_lines"
        )
    run.full_clean(exclude=["summary", "supersedes"])


def _committed(track_id: int, year: int, *, lock: bool = False) -> RankingRun | None:
    qs = RankingRun.objects.filter(track_id=track_id, year=year, status=RankingRun.Status.COMMITTED)
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def _check_rerun_reason(run: RankingRun) -> RankingRun | None:
    previous = _committed(run.track_id, run.year)
    if previous is not None and previous.pk != run.pk and not (run.reason or "").strip():
        raise DomainError(
            _(
                "The ranking of %(year)s is already committed (run #%(run)s); a new run for "
                "that year needs a reason."
            )
            % {"year": run.year, "run": previous.pk},
            code="reason_required",
        )
    return previous


@transaction.atomic
def run_create(*, actor, track: Track, year: int, **params) -> RankingRun:
    """Compute a preview run (nothing is frozen until :func:`run_commit`)."""
    _check_office(actor)
    unknown = set(params) - set(RUN_PARAMETERS)
    if unknown:
        raise DomainError(_("Unknown parameters: %(p)s") % {"p": ", ".join(sorted(unknown))})
    run = RankingRun(track=track, year=year, created_by=actor if actor else None, **params)
    _validate(run)
    _check_rerun_reason(run)
    run.save()
    engine.compute(run)
    run.save(update_fields=["summary", "computed_at", "entries_written_at"])
    audit.record(
        actor=actor,
        obj=run,
        action="preview",
        to_state=run.status,
        reason=run.reason,
        changes={name: getattr(run, name) for name in ("track_id", "year", *RUN_PARAMETERS)},
    )
    return run


@transaction.atomic
def run_update(*, actor, run: RankingRun, **params) -> RankingRun:
    """Change a preview's parameters and compute it again. A committed run is immutable."""
    _check_office(actor)
    run = RankingRun.objects.select_for_update().get(pk=run.pk)
    if run.is_frozen:
        raise InvalidTransition(_("A committed ranking run cannot be changed."))
    unknown = set(params) - set(RUN_PARAMETERS)
    if unknown:
        raise DomainError(_("Unknown parameters: %(p)s") % {"p": ", ".join(sorted(unknown))})
    before = audit.snapshot(run, list(RUN_PARAMETERS))
    for name, value in params.items():
        setattr(run, name, value)
    _validate(run)
    _check_rerun_reason(run)
    engine.compute(run)
    run.save()
    audit.record(
        actor=actor,
        obj=run,
        action="recompute",
        changes=audit.diff(before, audit.snapshot(run, list(RUN_PARAMETERS))),
    )
    return run


@transaction.atomic
def ensure_entries(run: RankingRun) -> RankingRun:
    """Write a preview's entries if they are not written yet — on the first read of the
    preview (run page, entries API, export); :func:`run_commit` does it at the latest. The
    summary is refreshed from the rows written. Not audited: neither the parameters nor the
    state of the run change."""
    if run.entries_written_at is not None:
        return run
    locked = RankingRun.objects.select_for_update().get(pk=run.pk)
    if locked.entries_written_at is None and not locked.is_frozen:
        engine.write_entries(locked)
        locked.save(update_fields=["summary", "computed_at", "entries_written_at"])
    run.summary, run.computed_at = locked.summary, locked.computed_at
    run.entries_written_at = locked.entries_written_at
    return run


@transaction.atomic
def run_commit(*, actor, run: RankingRun, reason: str = "") -> RankingRun:
    """Freeze a preview: its parameters, inputs and results become immutable, a committed run
    of the same track and year (if any) is superseded (both are kept; the new run needs a
    reason), and a re-certification case is opened for every bottom-band member at their
    current level. Undecided cases of the superseded run are withdrawn; staff whose case of that
    year was already decided get no second case."""
    _check_office(actor)
    run = RankingRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RankingRun.Status.PREVIEW:
        raise InvalidTransition(_("This ranking run is already committed."))
    if reason and not run.reason:
        run.reason = reason
    previous = _committed(run.track_id, run.year, lock=True)
    already_decided: set[int] = set()
    if previous is not None:
        if not (run.reason or "").strip():
            raise DomainError(
                _("The ranking of %(year)s is already committed; give a reason to supersede it.")
                % {"year": run.year},
                code="reason_required",
            )
        previous.status = RankingRun.Status.SUPERSEDED
        previous.save(update_fields=["status"])
        audit.record(
            actor=actor,
            obj=previous,
            action="supersede",
            from_state=RankingRun.Status.COMMITTED,
            to_state=RankingRun.Status.SUPERSEDED,
            reason=run.reason,
            changes={"superseded_by": run.pk},
        )
        _withdraw_cases(actor=actor, run=previous, reason=run.reason)
        already_decided = set(
            RecertificationCase.objects.filter(
                run__track_id=run.track_id,
                run__year=run.year,
                status=RecertificationCase.Status.DECIDED,
            ).values_list("staff_id", flat=True)
        )
        run.supersedes = previous
    if run.entries_written_at is None:
        engine.write_entries(run)
    run.status = RankingRun.Status.COMMITTED
    run.committed_by = actor if getattr(actor, "is_authenticated", False) else None
    run.committed_at = clock.now()
    run.save(
        update_fields=[
            "status",
            "committed_by",
            "committed_at",
            "supersedes",
            "reason",
            "summary",
            "computed_at",
            "entries_written_at",
        ]
    )
    opened = _open_cases(actor=actor, run=run, skip=already_decided)
    audit.record(
        actor=actor,
        obj=run,
        action="commit",
        from_state=RankingRun.Status.PREVIEW,
        to_state=RankingRun.Status.COMMITTED,
        reason=run.reason,
        changes={"cases_opened": opened, "supersedes": previous.pk if previous else None},
    )
    return run


def _open_cases(*, actor, run: RankingRun, skip: set[int]) -> int:
    band = list(
        RankingEntry.objects.filter(run=run, in_bottom_band=True)
        .exclude(staff_id__in=skip)
        .filter(staff__level__isnull=False)
        .values_list("pk", "staff_id", "staff__level_id")
    )
    cases = RecertificationCase.objects.bulk_create(
        [
            RecertificationCase(
                run=run,
                entry_id=pk,
                staff_id=staff_id,
                level_id=level_id,
            )
            for pk, staff_id, level_id in band
        ]
    )
    for case in cases:
        audit.record(
            actor=actor,
            obj=case,
            action="open",
            to_state=RecertificationCase.Status.OPEN,
            changes={"run": run.pk, "staff": case.staff_id, "level": case.level_id},
        )
    return len(cases)


def _withdraw_cases(*, actor, run: RankingRun, reason: str) -> None:
    open_cases = RecertificationCase.objects.select_for_update().filter(
        run=run, status=RecertificationCase.Status.OPEN
    )
    for case in open_cases:
        case.status = RecertificationCase.Status.WITHDRAWN
        case.decision_reason = reason
        case.save(update_fields=["status", "decision_reason"])
        audit.record(
            actor=actor,
            obj=case,
            action="withdraw",
            from_state=RecertificationCase.Status.OPEN,
            to_state=RecertificationCase.Status.WITHDRAWN,
            reason=reason,
        )


# --- re-certification ---------------------------------------------------------------------


def _lock_open_case(case: RecertificationCase) -> RecertificationCase:
    case = (
        RecertificationCase.objects.select_for_update()
        .select_related("run", "level", "staff")
        .get(pk=case.pk)
    )
    if case.status != RecertificationCase.Status.OPEN:
        raise InvalidTransition(_("This re-certification case is already closed."))
    return case


def conflicts_with(member, staff: Staff) -> list[str]:
    """Conflict types between a panel member and the staff member re-certified, decided by the
    certification app's one conflict rule (self, own manager, direct report, same unit,
    declared conflict)."""
    from certification.conflicts import Person, conflict_kinds, person_of_user
    from certification.models import DeclaredConflict

    declared = dict(
        DeclaredConflict.objects.filter(member=member, staff=staff).values_list("staff_id", "kind")
    )
    return conflict_kinds(
        person_of_user(member),
        Person(staff.pk, staff.manager_id, staff.unit_id),
        same_unit=SAME_UNIT_CONFLICT,
        declared=declared,
    )


@transaction.atomic
def assign_panel(
    *, actor, case: RecertificationCase, members: list, chair=None
) -> RecertificationCase:
    """Set the panel of a case: committee members without a conflict of interest, and its
    chair — one of them (by default the current chair if still a member, else the first
    listed). A member who already submitted a sheet cannot be removed."""
    _check_office(actor)
    case = _lock_open_case(case)
    for member in members:
        if not has_role(member, Role.COMMITTEE):
            raise DomainError(
                _("%(user)s is not a committee member.") % {"user": member.get_username()},
                code="not_committee_member",
            )
        kinds = conflicts_with(member, case.staff)
        if kinds:
            raise ConflictOfInterest(
                _("%(user)s has a conflict of interest with %(staff)s (%(kinds)s).")
                % {"user": member.get_username(), "staff": case.staff, "kinds": ", ".join(kinds)}
            )
    new_ids = {m.pk for m in members}
    submitted = set(
        case.sheets.filter(status=RecertificationSheet.Status.SUBMITTED).values_list(
            "member_id", flat=True
        )
    )
    if submitted - new_ids:
        raise InvalidTransition(_("A member who has submitted a sheet cannot be removed."))
    if chair is not None and chair.pk not in new_ids:
        raise DomainError(_("The chair must be a member of the panel."), code="chair_not_member")
    if chair is None and members:
        chair = case.chair if case.chair_id in new_ids else members[0]
    before = sorted(case.members.values_list("pk", flat=True))
    before_chair = case.chair_id
    case.members.set(members)
    case.chair = chair
    case.save(update_fields=["chair"])
    audit.record(
        actor=actor,
        obj=case,
        action="assign_panel",
        changes={
            "members": [before, sorted(new_ids)],
            "chair": [before_chair, chair.pk if chair else None],
        },
    )
    return case


@transaction.atomic
def reopen_sheet(*, actor, sheet: RecertificationSheet, reason: str) -> RecertificationSheet:
    """submitted → draft, by the chair of the case's panel only, with a reason (the
    certification workflow's rule); the member then scores again."""
    reason = transitions.require_reason(reason)
    sheet = RecertificationSheet.objects.select_for_update().get(pk=sheet.pk)
    case = _lock_open_case(sheet.case)
    if actor is None or case.chair_id != actor.pk:
        raise RoleRequired(_("Only the panel chair may reopen a sheet."))
    transitions.check_state(sheet, (RecertificationSheet.Status.SUBMITTED,), _("reopen the sheet"))
    sheet.submitted_at = None
    transitions.move(
        actor=actor,
        obj=sheet,
        to=RecertificationSheet.Status.DRAFT,
        action="reopen",
        reason=reason,
        fields=("submitted_at",),
    )
    return sheet


def spread(case: RecertificationCase, totals=None) -> tuple[Decimal | None, bool]:
    """(population std dev of the submitted totals, rounded; whether it is above the run's
    threshold — the case is then flagged for discussion). ``None`` under two sheets. ``totals``
    may be given when the sheets are already loaded."""
    from certification.scoring import std_dev

    if totals is None:
        totals = list(
            case.sheets.filter(status=RecertificationSheet.Status.SUBMITTED).values_list(
                "total", flat=True
            )
        )
    if len(totals) < 2:
        return None, False
    value = std_dev(totals)
    return round_score(value), value > case.run.spread_threshold


@transaction.atomic
def score_case(
    *, actor, case: RecertificationCase, total: Decimal, comment: str = "", submit: bool = True
) -> RecertificationSheet:
    """A panel member records their total (0–100); once submitted the sheet is locked."""
    case = _lock_open_case(case)
    if not case.members.filter(pk=actor.pk).exists():
        raise RoleRequired(_("Only a member of this case's panel may score it."))
    if conflicts_with(actor, case.staff):
        raise ConflictOfInterest(_("You have a conflict of interest with this staff member."))
    total = Decimal(total)
    if not (Decimal(0) <= total <= Decimal(100)):
        raise DomainError(_("A total is between 0 and 100."), code="invalid")
    sheet = RecertificationSheet.objects.select_for_update().filter(case=case, member=actor).first()
    if sheet is not None and sheet.status == RecertificationSheet.Status.SUBMITTED:
        raise InvalidTransition(_("Your sheet is already submitted."))
    if sheet is None:
        sheet = RecertificationSheet(case=case, member=actor, total=total)
    sheet.total, sheet.comment = total, comment
    if submit:
        sheet.status = RecertificationSheet.Status.SUBMITTED
        sheet.submitted_at = clock.now()
    sheet.full_clean(exclude=["case", "member"])
    sheet.save()
    audit.record(
        actor=actor,
        obj=sheet,
        action="submit" if submit else "save",
        to_state=sheet.status,
        changes={"total": total},
    )
    return sheet


def committee_score(case: RecertificationCase) -> tuple[Decimal | None, int, int]:
    """(rounded trimmed mean or ``None`` before the quorum, submitted, quorum) — with the
    certification engine's own ``trimmed_mean`` and ``quorum``."""
    from certification.scoring import quorum, trimmed_mean

    totals = list(
        case.sheets.filter(status=RecertificationSheet.Status.SUBMITTED).values_list(
            "total", flat=True
        )
    )
    needed = quorum(case.members.count())
    if not totals or len(totals) < needed:
        return None, len(totals), needed
    return round_score(trimmed_mean(totals)), len(totals), needed


def _previous_failure(case: RecertificationCase) -> bool:
    """Whether the staff member failed the re-certification of the year before (a second
    failure in a row eliminates)."""
    return RecertificationCase.objects.filter(
        staff_id=case.staff_id,
        status=RecertificationCase.Status.DECIDED,
        outcome__in=[RecertificationCase.Outcome.DEMOTED],
        run__year=case.run.year - 1,
    ).exists()


def outcome_for(
    case: RecertificationCase, score: Decimal
) -> tuple[RecertificationCase.Outcome, RecertificationCase.Ground]:
    """DOMAIN.md's outcomes: pass → kept; fail → demoted one level; fail at the lowest level,
    under the elimination line, or a second failure in a row → eliminated."""
    outcome, ground = RecertificationCase.Outcome, RecertificationCase.Ground
    run = case.run
    if score >= run.pass_line:
        return outcome.KEPT, ground.PASSED
    if score < run.elimination_line:
        return outcome.ELIMINATED, ground.UNDER_ELIMINATION_LINE
    if _lower_level(case.level) is None:
        return outcome.ELIMINATED, ground.LOWEST_LEVEL
    if _previous_failure(case):
        return outcome.ELIMINATED, ground.SECOND_FAILURE
    return outcome.DEMOTED, ground.FAILED


def _lower_level(level: Level) -> Level | None:
    return (
        Level.objects.filter(track_id=level.track_id, order__lt=level.order)
        .order_by("-order")
        .first()
    )


@transaction.atomic
def decide_case(
    *, actor, case: RecertificationCase, reason: str = "", on: dt.date | None = None
) -> RecertificationCase:
    """Decide a case from its committee score (needs the quorum) and apply the outcome:
    kept → the current appointment stays; demoted → a new appointment one level down
    (reason ``demotion``) and a demotion notice letter; eliminated → the open appointment is
    closed and the staff member leaves the post (history kept)."""
    _check_office(actor)
    case = _lock_open_case(case)
    if case.run.status != RankingRun.Status.COMMITTED:
        raise InvalidTransition(_("The ranking run of this case is no longer committed."))
    on = on or clock.today()
    score, submitted, needed = committee_score(case)
    if score is None:
        raise InvalidTransition(
            _("The quorum is not reached: %(n)s of %(q)s sheets submitted.")
            % {"n": submitted, "q": needed},
            code="quorum_not_reached",
        )
    staff = Staff.objects.select_for_update().get(pk=case.staff_id)
    if staff.level_id != case.level_id:
        raise InvalidTransition(_("The staff member's level changed since the case was opened."))
    outcome, ground = outcome_for(case, score)
    decision = _("Re-certification %(year)s, case %(case)s") % {
        "year": case.run.year,
        "case": case.pk,
    }
    if outcome == RecertificationCase.Outcome.DEMOTED:
        case.new_appointment = org_services.appoint(
            actor=actor,
            staff=staff,
            level=_lower_level(case.level),
            start=on,
            reason=Appointment.Reason.DEMOTION,
            decision=decision,
            audit_reason=reason,
        )
    elif outcome == RecertificationCase.Outcome.ELIMINATED:
        case.closed_appointment = eliminate_from_post(
            actor=actor, staff=staff, on=on, decision=decision, reason=reason
        )
    case.status = RecertificationCase.Status.DECIDED
    case.committee_score = score
    case.outcome, case.ground = outcome, ground
    case.decision_reason = reason
    case.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    case.decided_on = on
    case.save()
    audit.record(
        actor=actor,
        obj=case,
        action="decide",
        from_state=RecertificationCase.Status.OPEN,
        to_state=outcome,
        reason=reason,
        changes={"committee_score": score, "ground": ground, "sheets": submitted},
    )
    if case.new_appointment is not None:
        appointment_id, case_id = case.new_appointment.pk, case.pk
        transaction.on_commit(lambda: issue_demotion_notice(actor, appointment_id, case_id))
    return case


def issue_demotion_notice(actor, appointment_id: int, case_id: int) -> None:
    """The demotion notice letter (降级通知) of the letters app, when it is installed. Runs
    after the decision committed: a rendering failure does not undo the decision, and the
    letter can be issued again from the letters pages."""
    from . import sources

    issue = sources.service("letters.services", "issue_letter")
    if issue is None:
        return
    try:
        appointment = Appointment.objects.get(pk=appointment_id)
        letter = issue(actor=actor, appointment=appointment, kind="demotion")
    except Exception:
        logger.exception("Demotion notice for appointment %s failed", appointment_id)
        return
    RecertificationCase.objects.filter(pk=case_id).update(letter_id=letter.pk)


@transaction.atomic
def eliminate_from_post(
    *, actor, staff: Staff, on: dt.date, decision: str = "", reason: str = ""
) -> Appointment | None:
    """淘汰: the staff member leaves the post. Their open appointment is closed on ``on`` and
    they no longer hold a level (the current level equals the open appointment: none). The
    appointment history and the staff record are kept; nothing is deleted."""
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    current = (
        Appointment.objects.select_for_update()
        .filter(staff=staff, closed_on__isnull=True)
        .select_related("level")
        .first()
    )
    if current is None:
        raise InvalidTransition(_("%(staff)s holds no post.") % {"staff": staff})
    if on <= current.start:
        raise InvalidTransition(
            _("The elimination must be after the current appointment's start (%(start)s).")
            % {"start": current.start.isoformat()}
        )
    current.closed_on = on
    current.save(update_fields=["closed_on"])
    from_level = current.level.code
    staff.level = None
    staff.level_since = None
    staff.save(update_fields=["level", "level_since"])
    audit.record(
        actor=actor,
        obj=staff,
        action=f"appoint:{Appointment.Reason.ELIMINATION}",
        from_state=from_level,
        to_state="",
        reason=reason,
        changes={"closed_appointment": current.pk, "closed_on": on, "decision": decision},
    )
    return current


# --- honour roll photos ------------------------------------------------------------------

PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


def _photo_content_type(upload) -> str:
    """The content type of an uploaded photo, decided by decoding it: JPEG or PNG, ≤ 2 MB."""
    from PIL import Image

    if upload.size > PHOTO_MAX_BYTES:
        raise DomainError(_("A photo is at most 2 MB."), code="invalid_photo")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except Exception as exc:  # Pillow raises many kinds on a broken or foreign file
        raise DomainError(_("The file is not a JPEG or PNG image."), code="invalid_photo") from exc
    if kind not in PHOTO_TYPES:
        raise DomainError(_("The file is not a JPEG or PNG image."), code="invalid_photo")
    upload.seek(0)
    return PHOTO_TYPES[kind]


@transaction.atomic
def honour_photo_set(*, actor, run: RankingRun, staff: Staff, upload) -> HonourPhoto:
    """Add (or replace) the honour-roll photo of a top-band member of a committed run."""
    _check_office(actor)
    on_roll = RankingEntry.objects.filter(
        run=run, run__status=RankingRun.Status.COMMITTED, staff=staff, in_top_band=True
    ).exists()
    if not on_roll:
        raise DomainError(
            _("%(staff)s is not on the honour roll of this ranking.") % {"staff": staff.name},
            code="not_on_honour_roll",
        )
    content_type = _photo_content_type(upload)
    photo = HonourPhoto.objects.select_for_update().filter(run=run, staff=staff).first()
    replaced = photo.file.name if photo else ""
    if photo is None:
        photo = HonourPhoto(run=run, staff=staff)
    photo.content_type = content_type
    photo.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
    photo.file.save(upload.name, upload, save=False)
    photo.save()
    if replaced and replaced != photo.file.name:
        storage = photo.file.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    audit.record(
        actor=actor,
        obj=photo,
        action="photo_replace" if replaced else "photo_add",
        changes={"run": run.pk, "staff": staff.pk},
    )
    return photo


@transaction.atomic
def honour_photo_remove(*, actor, photo: HonourPhoto) -> None:
    """Take a photo off the honour roll; the file is deleted once the transaction commits."""
    _check_office(actor)
    photo = HonourPhoto.objects.select_for_update().get(pk=photo.pk)
    audit.record(
        actor=actor,
        obj=photo,
        action="photo_remove",
        changes={"run": photo.run_id, "staff": photo.staff_id},
    )
    name, storage = photo.file.name, photo.file.storage
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))
