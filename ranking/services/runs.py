"""Annual ranking runs (DOMAIN.md, "Annual ranking"): a preview is computed, changed and
computed again; committing freezes it, supersedes a committed run of the same year and opens a
re-certification case for every bottom-band member."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import JSONObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, bulk, clock
from core.errors import DomainError, ErrorCode, InvalidTransition
from kpi.models import Period
from org.models import Track

from .. import engine, events
from ..models import (
    MAX_BOTTOM_PCT,
    MIN_BOTTOM_PCT,
    RankingEntry,
    RankingRun,
    RecertificationCase,
)
from .common import require_office

GROUNDS = {
    "year_not_ended": gettext_lazy("the year has not ended"),
    "kpi_periods_open": gettext_lazy("KPI periods of the year are not all locked"),
}

RUN_PARAMETERS = (
    "cohort",
    "bottom_pct",
    "min_months",
    "min_cohort",
    "kpi_weight",
    "pass_line",
    "elimination_line",
    "spread_threshold",
    "reason",
)


def _validate(run: RankingRun) -> None:
    # DOMAIN.md: "p outside [5 %, 10 %] is always refused" — there is no override.
    if not (MIN_BOTTOM_PCT <= run.bottom_pct <= MAX_BOTTOM_PCT):
        raise DomainError(
            _("The bottom band must be between 5 % and 10 %; no other percentage is accepted."),
            code=ErrorCode.BOTTOM_PCT_OUT_OF_RANGE,
            details={"bottom_pct": str(run.bottom_pct)},
        )
    if run.elimination_line > run.pass_line:
        raise DomainError(
            _("The elimination line cannot be above the pass line."), code=ErrorCode.INVALID_LINES
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
            code=ErrorCode.REASON_REQUIRED,
        )
    return previous


@transaction.atomic
def run_create(*, actor, track: Track, year: int, **params) -> RankingRun:
    """Compute a preview run (nothing is frozen until :func:`run_commit`)."""
    require_office(actor)
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
    require_office(actor)
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
def run_entries_ensure(run: RankingRun) -> RankingRun:
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


def year_not_closed(run: RankingRun) -> list[str]:
    """What is not closed about the run's year (empty: nothing): ``year_not_ended`` while
    today is in or before that year; ``kpi_periods_open`` while a KPI period of the year is
    not locked. Committing then needs a reason (DOMAIN.md)."""
    grounds = []
    if clock.today().year <= run.year:
        grounds.append("year_not_ended")
    if Period.objects.filter(year=run.year).exclude(status=Period.Status.LOCKED).exists():
        grounds.append("kpi_periods_open")
    return grounds


@transaction.atomic
def run_commit(*, actor, run: RankingRun, reason: str = "") -> RankingRun:
    """Freeze a preview: its parameters, inputs and results become immutable, a committed run
    of the same track and year (if any) is superseded (both are kept; the new run needs a
    reason), and a re-certification case is opened for every bottom-band member at their
    current level. Undecided cases of the superseded run are withdrawn; staff whose case of that
    year was already decided get no second case."""
    require_office(actor)
    run = RankingRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RankingRun.Status.PREVIEW:
        raise InvalidTransition(_("This ranking run is already committed."))
    grounds = year_not_closed(run)
    if grounds:
        if not (reason or "").strip():
            raise DomainError(
                _(
                    "The year %(year)s is not closed (%(grounds)s); committing the ranking now "
                    "needs a reason."
                )
                % {"year": run.year, "grounds": ", ".join(str(GROUNDS[g]) for g in grounds)},
                code=ErrorCode.EARLY_COMMIT_REASON_REQUIRED,
                details={"grounds": grounds},
            )
        run.early_commit_reason = reason.strip()
        run.early_commit_grounds = grounds
    if reason and not run.reason:
        run.reason = reason
    previous = _committed(run.track_id, run.year, lock=True)
    already_decided: set[int] = set()
    if previous is not None:
        if not (run.reason or "").strip():
            raise DomainError(
                _("The ranking of %(year)s is already committed; give a reason to supersede it.")
                % {"year": run.year},
                code=ErrorCode.REASON_REQUIRED,
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
    try:
        # Two commits of the same year at once: neither saw the other's committed run, and
        # the one-committed-run-per-year constraint refuses the second — a conflict (409),
        # not a server error.
        with transaction.atomic():
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
                    "early_commit_reason",
                    "early_commit_grounds",
                ]
            )
    except IntegrityError as exc:
        raise InvalidTransition(
            _(
                "Another ranking of %(year)s was committed at the same moment; reload the page "
                "to see it, and commit again with a reason if this run should replace it."
            )
            % {"year": run.year}
        ) from exc
    opened, carried = _open_cases(actor=actor, run=run, skip=already_decided)
    audit.record(
        actor=actor,
        obj=run,
        action="commit",
        from_state=RankingRun.Status.PREVIEW,
        to_state=RankingRun.Status.COMMITTED,
        reason=run.reason,
        changes={
            "cases_opened": opened,
            "cases_carried": carried,
            "supersedes": previous.pk if previous else None,
            "early_commit_grounds": grounds,
        },
    )
    return run


def _open_cases(*, actor, run: RankingRun, skip: set[int]) -> tuple[int, int]:
    """Open a case per bottom-band member; one who already has an active case (of an earlier
    year, or a referral) keeps it: the entry notes the case carried. Returns (opened,
    carried).

    Set-based: the cases, then their ``open`` audit records, are each one ``INSERT … SELECT``
    from the rows just written (nothing loaded into Python); only the staff members with a
    login are read back, to be notified."""
    band_entries = RankingEntry.objects.filter(run=run, in_bottom_band=True).exclude(
        staff_id__in=skip
    )
    active = dict(
        RecertificationCase.objects.filter(
            staff_id__in=band_entries.values("staff_id"),
            status__in=RecertificationCase.ACTIVE,
        ).values_list("staff_id", "pk")
    )
    carried_entries = list(band_entries.filter(staff_id__in=list(active)).only("pk", "staff_id"))
    for entry in carried_entries:
        entry.carried_case_id = active[entry.staff_id]
    RankingEntry.objects.bulk_update(carried_entries, ["carried_case"])
    band = (
        band_entries.exclude(staff_id__in=list(active))
        .filter(staff__level__isnull=False)
        .values_list("pk", "staff_id", "staff__level_id")
    )
    opened = _insert_cases(run, band)
    cases = RecertificationCase.objects.filter(run=run)
    audit.record_rows(
        actor=actor,
        rows=cases,
        action="open",
        to_state=RecertificationCase.Status.OPEN,
        object_repr=RecertificationCase.str_expression(run.year),
        changes=JSONObject(run=Value(run.pk), staff=F("staff_id"), level=F("level_id")),
    )
    events.cases_opened(run, cases)
    return opened, len(carried_entries)


def _insert_cases(run: RankingRun, band) -> int:
    """Open a case per row of ``band`` (entry, staff member, level) with one ``INSERT …
    SELECT``: every other column takes the value a new case gets (its defaults, the time of
    opening), from one template row. Returns how many were opened."""
    template = RecertificationCase(run=run)
    per_row = ["entry_id", "staff_id", "level_id"]
    fields = [
        f
        for f in RecertificationCase._meta.concrete_fields
        if not f.primary_key and f.attname not in per_row
    ]
    for field in fields:
        field.pre_save(template, add=True)  # auto_now_add: the time of opening
    return bulk.insert_select(
        RecertificationCase,
        fields=per_row,
        rows=band,
        constants={f.attname: getattr(template, f.attname) for f in fields},
    )


def _withdraw_cases(*, actor, run: RankingRun, reason: str) -> None:
    """Withdraw the superseded run's cases still in scoring, each with its ``withdraw`` audit
    record — set-based: the cases are locked, audited with one ``INSERT … SELECT`` and
    withdrawn with one ``UPDATE`` (a superseded run may have thousands)."""
    open_cases = RecertificationCase.objects.filter(
        run=run, status=RecertificationCase.Status.OPEN
    ).order_by("pk")  # deterministic, and without the default ordering's join to the run
    list(open_cases.select_for_update().values_list("pk", flat=True))  # lock them
    audit.record_rows(
        actor=actor,
        rows=open_cases,
        action="withdraw",
        from_state=RecertificationCase.Status.OPEN,
        to_state=RecertificationCase.Status.WITHDRAWN,
        reason=reason,
        object_repr=RecertificationCase.str_expression(run.year),
    )
    open_cases.update(status=RecertificationCase.Status.WITHDRAWN, decision_reason=reason)
