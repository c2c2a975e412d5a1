"""Reads of the ranking app, already scoped and joined (one query per list)."""

from __future__ import annotations

from typing import Protocol

from django.db.models import Q, QuerySet

from core.roles import Role, has_role, is_office
from org.models import Level, OrgUnit
from org.scope import sees_everyone, staff_of, visible_staff_filter

from .models import HonourCitation, HonourPhoto, RankingEntry, RankingRun, RecertificationCase
from .services import run_entries_ensure


class ReferralLink(Protocol):
    """How the re-appointment app (a higher layer) links a referred case back to its review:
    ``fn(*, case_id) -> {"label": str, "url": str} | None``."""

    def __call__(self, *, case_id: int) -> dict | None: ...


_REFERRAL_LINKS: list[ReferralLink] = []


def register_referral_link(*, fn: ReferralLink) -> None:
    if fn not in _REFERRAL_LINKS:
        _REFERRAL_LINKS.append(fn)


def referral_link(*, reappointment_case_id: int) -> dict | None:
    for fn in _REFERRAL_LINKS:
        link = fn(case_id=reappointment_case_id)
        if link is not None:
            return link
    return None


VISIBLE_RUN_STATUSES = (RankingRun.Status.COMMITTED, RankingRun.Status.SUPERSEDED)


def under_recertification(*, staff_ids) -> set[int]:
    """Staff (of ``staff_ids``) with an open re-certification case — the certification
    eligibility rule "not under re-certification"."""
    return set(
        RecertificationCase.objects.filter(
            staff_id__in=list(staff_ids), status__in=RecertificationCase.ACTIVE
        ).values_list("staff_id", flat=True)
    )


def open_recertification(*, staff_id: int) -> dict | None:
    """The staff member's open re-certification case as ``{"level": code, "date": iso}`` —
    what the certification eligibility rule "not under re-certification" shows (registered in
    ``RankingConfig.ready``)."""
    row = (
        RecertificationCase.objects.filter(staff_id=staff_id, status__in=RecertificationCase.ACTIVE)
        .values_list("level__code", "opened_at")
        .first()
    )
    if row is None:
        return None
    return {"level": row[0], "date": row[1].date().isoformat()}


def open_recertifications(*, staff_ids: list[int]) -> dict[int, dict]:
    """:func:`open_recertification` for many staff in one query (registered in
    ``RankingConfig.ready`` for the bulk eligibility)."""
    out: dict[int, dict] = {}
    for staff_id, level, opened in (
        RecertificationCase.objects.filter(
            staff_id__in=staff_ids, status__in=RecertificationCase.ACTIVE
        )
        .order_by("staff_id", "opened_at", "id")
        .values_list("staff_id", "level__code", "opened_at")
    ):
        out.setdefault(staff_id, {"level": level, "date": opened.date().isoformat()})
    return out


def run_list(*, user) -> QuerySet[RankingRun]:
    """Office and leadership see every run (previews too); others only committed runs."""
    qs = RankingRun.objects.select_related("track", "created_by", "committed_by")
    if sees_everyone(user):
        return qs
    return qs.filter(status__in=VISIBLE_RUN_STATUSES)


def entry_list(*, user, run: RankingRun) -> QuerySet[RankingEntry]:
    """Entries of a run the caller may see: all for office/leadership; own and team entries
    for others, and only once the run is committed (a preview is the office's working copy).
    A preview's entries are written on this first read (``services.run_entries_ensure``), which
    refreshes ``run.summary`` from them: read the summary after calling this."""
    qs = RankingEntry.objects.filter(run=run).select_related("staff", "unit", "level")
    if sees_everyone(user):
        if run.entries_written_at is None:
            run_entries_ensure(run)
        return qs
    if run.status not in VISIBLE_RUN_STATUSES:
        return qs.none()
    return qs.filter(visible_staff_filter(user, prefix="staff__"))


def case_list(*, user) -> QuerySet[RecertificationCase]:
    """Office/leadership: all; a committee member: the cases of their panels; anyone: their own
    and (managers) their team's."""
    qs = RecertificationCase.objects.select_related(
        "staff", "level", "run", "run__track", "new_appointment__level"
    )
    if sees_everyone(user):
        return qs
    condition = visible_staff_filter(user, prefix="staff__")
    if getattr(user, "is_authenticated", False):
        condition |= Q(members=user)
    return qs.filter(condition).distinct()


def my_cases(*, user) -> QuerySet[RecertificationCase]:
    """The caller's own re-certification cases once an outcome is proposed (what their home
    page shows: the proposed outcome, the approval, the appeal window), newest first."""
    me = staff_of(user)
    if me is None:
        return RecertificationCase.objects.none()
    return (
        RecertificationCase.objects.filter(staff=me)
        .exclude(status=RecertificationCase.Status.WITHDRAWN)
        .select_related("level", "run")
        .order_by("-id")
    )


def cohort_labels(*, run: RankingRun, keys) -> dict:
    """``{cohort_key: label}`` for a run's cohorts (one query)."""
    keys = [k for k in keys if k is not None]
    if run.cohort == RankingRun.Cohort.LEVEL:
        return {lv.pk: str(lv) for lv in Level.objects.filter(pk__in=keys)}
    if run.cohort == RankingRun.Cohort.UNIT:
        return {u.pk: u.display_name for u in OrgUnit.objects.filter(pk__in=keys)}
    return {k: run.track.display_name for k in keys}


def latest_committed_runs() -> QuerySet[RankingRun]:
    """The committed run of the latest ranked year of each track."""
    runs = RankingRun.objects.filter(status=RankingRun.Status.COMMITTED).select_related("track")
    latest: dict[int, RankingRun] = {}
    for run in runs.order_by("track_id", "-year"):
        latest.setdefault(run.track_id, run)
    return RankingRun.objects.filter(pk__in=[r.pk for r in latest.values()]).select_related("track")


def honour_roll(*, run: RankingRun) -> QuerySet[RankingEntry]:
    """光荣榜: the top band of every cohort, with the level's honorary title."""
    return (
        RankingEntry.objects.filter(run=run, in_top_band=True)
        .select_related("staff", "staff__level", "unit", "level")
        .order_by("cohort_key", "rank", "staff__employee_no")
    )


def honour_photos(*, runs) -> dict[tuple[int, int], int]:
    """``{(run_id, staff_id): photo_id}`` of the honour-roll photos of ``runs`` (one query)."""
    rows = HonourPhoto.objects.filter(run__in=runs).values_list("run_id", "staff_id", "pk")
    return {(run_id, staff_id): pk for run_id, staff_id, pk in rows}


def honour_citations(*, runs) -> dict[tuple[int, int], str]:
    """``{(run_id, staff_id): write-up}`` of the honour-roll write-ups of ``runs`` (one query)."""
    rows = HonourCitation.objects.filter(run__in=runs).values_list("run_id", "staff_id", "text")
    return {(run_id, staff_id): text for run_id, staff_id, text in rows}


def honour_boards(*, runs) -> list[dict]:
    """The honour roll of each run in ``runs``: ``{"run", "groups": [(cohort label, entries)]}``,
    each entry carrying ``photo_id`` and ``citation``; a constant number of queries."""
    photos = honour_photos(runs=runs)
    citations = honour_citations(runs=runs)
    boards = []
    for run in runs:
        entries = list(honour_roll(run=run))
        labels = cohort_labels(run=run, keys={e.cohort_key for e in entries})
        groups: dict = {}
        for entry in entries:
            # What the board shows beside each entry (not fields of the entry).
            entry.photo_id = photos.get((run.pk, entry.staff_id))  # type: ignore[attr-defined]
            entry.citation = citations.get((run.pk, entry.staff_id), "")  # type: ignore[attr-defined]
            groups.setdefault(entry.cohort_key, []).append(entry)
        boards.append(
            {"run": run, "groups": [(labels.get(k, "—"), rows) for k, rows in groups.items()]}
        )
    return boards


def visible_honour_photos(*, user) -> QuerySet[HonourPhoto]:
    """Photos anyone signed in may see: those of committed runs (the honour roll's); the office
    also sees those of superseded runs."""
    qs = HonourPhoto.objects.all()
    if is_office(user):
        return qs
    return qs.filter(run__status=RankingRun.Status.COMMITTED)


def my_entries(*, user) -> QuerySet[RankingEntry]:
    """The caller's and (managers) their team's entries in committed runs."""
    return (
        RankingEntry.objects.filter(run__status__in=VISIBLE_RUN_STATUSES, excluded=False)
        .filter(visible_staff_filter(user, prefix="staff__"))
        .select_related("staff", "run", "run__track", "level", "unit")
        .order_by("-run__year", "-run_id", "staff__employee_no")
    )


def can_run(*, user) -> bool:
    return is_office(user)


def oversees_cases(user) -> bool:
    """Who oversees the re-certification procedure and sees every sheet, spread and trimmed
    mean of a case without a sheet of their own (``committee.visibility``'s ``oversees``): the
    office, and the leadership group, which approves the outcomes."""
    return is_office(user) or has_role(user, Role.LEADERSHIP)
