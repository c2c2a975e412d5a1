"""The letters entry point of the deciding services (:func:`letter_issue_for`, always after
commit) and the background job that issues a batch, chunk by chunk."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import DomainError
from jobs import registry as job_registry
from jobs import services as job_services
from jobs.models import Job
from org.models import Appointment

from ..models import Letter
from .common import (
    JOB_KIND,
    Grounds,
    Meeting,
    _check_issuer,
    _check_kind_and_language,
    _kind_fits,
    _kind_mismatch,
    _meeting,
    default_language,
    recipient_languages,
)
from .issue import _issue_reserved, _reserve, letter_issue

logger = logging.getLogger("letters.services")


def letter_issue_for(
    *,
    actor,
    appointment_ids: list[int],
    kind: str,
    background: bool = False,
    on_issued: Callable[[Letter], None] | None = None,
    grounds: Mapping[int, Grounds] | None = None,
    language: str | None = None,
    meeting: Meeting | None = None,
) -> None:
    """The one way a decision asks for its letters — promotion (a cycle's approval), renewal
    (re-appointment), kept / demotion / elimination / result (re-certification).

    Always scheduled with ``transaction.on_commit``: nothing is numbered or rendered unless the
    decision commits, the rendering runs outside the decision's row locks, and a failure to
    issue never undoes the decision — it is logged, and the office issues the letter again from
    the letters pages (:func:`letter_issue`) or the cycle page. ``background=True`` issues them as
    one background job with a progress page (a cycle's approval); otherwise each letter is
    issued right after the commit and ``on_issued(letter)`` is called with it (to link it to
    the case that decided it). ``grounds`` maps an appointment id to what the decision tells
    its letter (:class:`Grounds`). ``language``: every letter in it; by default each
    recipient's own (:func:`recipient_languages`). ``meeting``: the leadership group's meeting
    that decided (:class:`Meeting`), named in every letter's reference to the decision.
    """
    ids = list(dict.fromkeys(int(pk) for pk in appointment_ids))
    if not ids:
        return
    grounds = {int(k): v for k, v in (grounds or {}).items()}

    def issue() -> None:
        if background:
            try:
                letters_issue_job(
                    actor=actor,
                    appointment_ids=ids,
                    kind=kind,
                    language=language,
                    meeting=meeting,
                )
            except Exception:  # blind on purpose (logged): the decision stands, office re-issues
                logger.exception("Letters (%s) for appointments %s failed", kind, ids)
            return
        appointments = list(Appointment.objects.filter(pk__in=ids).order_by("pk"))
        languages = recipient_languages(appointments)
        for appointment in appointments:
            try:
                letter = letter_issue(
                    actor=actor,
                    appointment=appointment,
                    kind=kind,
                    language=language or languages[appointment.pk],
                    grounds=grounds.get(appointment.pk),
                    meeting=meeting,
                )
            except Exception:  # blind on purpose (logged): the decision stands, office re-issues
                logger.exception("Letter (%s) for appointment %s failed", kind, appointment.pk)
                continue
            if on_issued is not None:
                on_issued(letter)

    transaction.on_commit(issue)


def letters_issue_job(
    *,
    actor,
    appointment_ids: list[int],
    kind: str,
    language: str | None = None,
    meeting: Meeting | None = None,
) -> Job:
    """Start a background job that issues a letter of ``kind`` for each appointment, each in
    its recipient's language (:func:`recipient_languages`) unless ``language`` is given.

    Appointments that already have a live letter of this kind are skipped (counted apart, not
    issued twice); unknown ids or appointments of another reason fail as items of the job.
    """
    _check_issuer(actor)
    _check_kind_and_language(kind, language or default_language())
    ids = list(dict.fromkeys(int(pk) for pk in appointment_ids))
    with transaction.atomic():
        job = job_services.job_start(
            actor=actor,
            kind=JOB_KIND,
            items=ids,
            title=_("Issue %(count)d letters (%(kind)s)")
            % {"count": len(ids), "kind": Letter.Kind(kind).label},
            params={
                "kind": kind,
                "language": language or "",
                "appointment_ids": ids,
                "meeting": list(meeting) if meeting else None,
            },
        )
        job.result_url = f"{reverse('letters:list')}?job={job.pk}"
        job.skipped_url = f"{reverse('letters:list')}?skipped_by={job.pk}"
        job.save(update_fields=["result_url", "skipped_url"])
    return job


# --- the batch job's steps (run on the worker) --------------------------------------------


def _job_actor(job: Job):
    return job.created_by


def job_prepare(job: Job, items: list) -> list:
    """Reserve the numbers of a chunk's letters in one short transaction."""
    appointments = list(
        Appointment.objects.select_related("staff", "staff__unit", "level").filter(pk__in=items)
    )
    by_pk = {a.pk: a for a in appointments}
    ordered = [by_pk[pk] for pk in items if pk in by_pk]
    language = job.params.get("language") or ""
    with transaction.atomic():
        _reserve(
            actor=_job_actor(job),
            appointments=ordered,
            kind=job.params["kind"],
            language=language or default_language(),
            job=job,
            meeting=_meeting(job.params.get("meeting")),
            languages=None if language else recipient_languages(ordered),
        )
    return items


def job_process(job: Job, item) -> str | None:
    kind = job.params["kind"]
    letter = (
        Letter.objects.live()
        .select_related("template")
        .filter(appointment_id=item, kind=kind)
        .first()
    )
    if letter is None:
        appointment = Appointment.objects.filter(pk=item).first()
        if appointment is None:
            raise DomainError(_("Appointment %(id)s does not exist.") % {"id": item})
        if not _kind_fits(kind, appointment):
            raise _kind_mismatch(kind, appointment)
        raise DomainError(_("No letter was reserved for appointment %(id)s.") % {"id": item})
    if letter.job_id != job.pk and letter.issued_at is not None:
        return job_registry.SKIPPED  # it already existed: not issued again, not counted as new
    if letter.issued_at is None:
        _issue_reserved(letter, _job_actor(job))
    return None


def job_remaining(job: Job) -> list:
    ids = list(job.params.get("appointment_ids", []))
    issued = set(
        Letter.objects.live()
        .issued()
        .filter(appointment_id__in=ids, kind=job.params["kind"])
        .values_list("appointment_id", flat=True)
    )
    return [pk for pk in ids if pk not in issued]
