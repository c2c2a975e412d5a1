"""Numbering, rendering and storing one letter or a reserved batch, and revoking a letter
(the numbering and issue-once rules are in the package's docstring)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition
from jobs.models import Job
from org.models import Appointment

from .. import events, rendering, seals
from ..models import Letter, LetterCounter, LetterSeal, LetterTemplate
from .common import (
    KIND_OF_REASON,
    Grounds,
    Meeting,
    _check_issuer,
    _check_kind_and_language,
    _check_office,
    _kind_fits,
    _kind_mismatch,
    default_language,
    recipient_languages,
)
from .facts import letter_facts


def _today() -> dt.date:
    return clock.today()


def number_prefix(kind: str) -> str:
    """The prefix — and number series — of ``kind`` (``LETTER_NUMBER_PREFIXES``, else
    ``LETTER_NUMBER_PREFIX``)."""
    return settings.LETTER_NUMBER_PREFIXES.get(kind) or settings.LETTER_NUMBER_PREFIX


def format_number(prefix: str, year: int, seq: int) -> str:
    """``粤海人聘〔2026〕12号``: the year in full-width brackets 〔〕 (U+3014, U+3015)."""
    return f"{prefix}〔{year}〕{seq}号"


def _lock_counter(series: str, year: int) -> LetterCounter:
    LetterCounter.objects.get_or_create(series=series, year=year)
    return LetterCounter.objects.select_for_update().get(series=series, year=year)


def _reserve(
    *,
    actor,
    appointments: list[Appointment],
    kind: str,
    language: str,
    job: Job | None = None,
    grounds: Mapping[int, Grounds] | None = None,
    meeting: Meeting | None = None,
    languages: Mapping[int, str] | None = None,
) -> list[Letter]:
    """Number and insert the letters of ``appointments`` that have no live letter of ``kind``.

    Must run inside a transaction: the year's counter stays locked until it commits.
    """
    today = _today()
    series = number_prefix(kind)
    counter = _lock_counter(series, today.year)
    grounds = grounds or {}
    languages = languages or {}
    taken = set(
        Letter.objects.live()
        .filter(appointment__in=[a.pk for a in appointments], kind=kind)
        .values_list("appointment_id", flat=True)
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    templates = published_templates(kind=kind)
    letters = []
    for appointment in appointments:
        if appointment.pk in taken or not _kind_fits(
            kind, appointment, grounds.get(appointment.pk)
        ):
            continue
        taken.add(appointment.pk)
        counter.last_seq += 1
        recipient_language = languages.get(appointment.pk) or language
        letters.append(
            Letter(
                number=format_number(series, today.year, counter.last_seq),
                series=series,
                year=today.year,
                seq=counter.last_seq,
                kind=kind,
                language=recipient_language,
                appointment=appointment,
                staff_id=appointment.staff_id,
                level_id=appointment.level_id,
                verification_code=secrets.token_urlsafe(12),
                facts=letter_facts(
                    appointment, kind, recipient_language, grounds.get(appointment.pk), meeting
                ),
                issue_date=today,
                issued_by=user,
                job=job,
                template=templates.get(recipient_language),
            )
        )
    if letters:
        Letter.objects.bulk_create(letters)
        counter.save(update_fields=["last_seq"])
        if any(letter.pk is None for letter in letters):  # backends without RETURNING
            by_seq = dict(
                Letter.objects.filter(
                    series=series, year=today.year, seq__in=[x.seq for x in letters]
                ).values_list("seq", "pk")
            )
            for letter in letters:
                letter.pk = letter.id = by_seq[letter.seq]
    return letters


def published_templates(*, kind: str) -> dict[str, LetterTemplate]:
    """The published template version of ``kind`` per language (one query); a language
    without one uses the built-in wording."""
    return {
        t.language: t
        for t in LetterTemplate.objects.filter(kind=kind, state=LetterTemplate.State.PUBLISHED)
    }


def letter_path(letter: Letter) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / letter.pdf_path


def _store_pdf(letter: Letter, pdf: bytes) -> str:
    relative = f"letters/{letter.year}/{letter.verification_code}.pdf"
    target = Path(settings.PRIVATE_MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, target)
    return relative


def _store_issued(letter: Letter, pdf: bytes, actor, seal: LetterSeal | None = None) -> Letter:
    """Store the rendered PDF of the reserved ``letter`` with its hash and mark it issued;
    a letter printed with the e-seal records it and audits the seal's use."""
    letter.pdf_path = _store_pdf(letter, pdf)
    letter.sha256 = hashlib.sha256(pdf).hexdigest()
    letter.size = len(pdf)
    letter.issued_at = clock.now()
    letter.seal = seal
    Letter.objects.filter(pk=letter.pk, issued_at__isnull=True).update(
        pdf_path=letter.pdf_path,
        sha256=letter.sha256,
        size=letter.size,
        issued_at=letter.issued_at,
        seal=seal,
    )
    if seal is not None:
        seals.seal_use_record(actor=actor, seal=seal, letter=letter)
    audit.record(
        actor=actor,
        obj=letter,
        action="letter:issue",
        to_state="issued",
        changes={
            "number": letter.number,
            "kind": letter.kind,
            "appointment": letter.appointment_id,
            "sha256": letter.sha256,
        },
    )
    events.letter_issued(letter)
    return letter


def _render_and_store(letter: Letter, actor) -> Letter:
    seal = seals.active_seal()
    return _store_issued(letter, rendering.render_letter_pdf(letter, seal=seal), actor, seal)


def _issue_reserved(letter: Letter, actor) -> None:
    """Render a reserved letter outside any transaction (no lock is held while WeasyPrint
    works), then store it in a short one — unless another worker issued it meanwhile."""
    seal = seals.active_seal()
    pdf = rendering.render_letter_pdf(letter, seal=seal)
    with transaction.atomic():
        locked = (
            Letter.objects.select_for_update().filter(pk=letter.pk, issued_at__isnull=True).first()
        )
        if locked is not None:
            _store_issued(locked, pdf, actor, seal)


def _load_appointment(appointment) -> Appointment:
    pk = appointment.pk if isinstance(appointment, Appointment) else appointment
    return Appointment.objects.select_related("staff", "staff__unit", "level").get(pk=pk)


@transaction.atomic
def letter_issue(
    *,
    actor,
    appointment: Appointment,
    kind: str | None = None,
    language: str | None = None,
    grounds: Grounds | None = None,
    meeting: Meeting | None = None,
) -> Letter:
    """Issue one letter for ``appointment`` now: number it, render its PDF, store PDF and hash.

    ``kind`` defaults to the one the appointment's reason calls for (:data:`KIND_OF_REASON`),
    ``language`` to ``settings.LANGUAGE_CODE``; ``grounds`` are what the decision
    tells the letter (:class:`Grounds`; required for a re-certification letter about an
    appointment the person simply holds); ``meeting`` the leadership group's meeting that
    decided (:class:`Meeting`, printed in the reference to the decision). Refuses (409) when
    the appointment already has a live letter of this kind, 400 ``kind_mismatch`` when the kind
    does not fit.
    """
    language = language or default_language()
    _check_issuer(actor)
    appointment = _load_appointment(appointment)
    kind = kind or KIND_OF_REASON.get(appointment.reason, "")
    _check_kind_and_language(kind, language)
    if not _kind_fits(kind, appointment, grounds):
        raise _kind_mismatch(kind, appointment)
    letters = _reserve(
        actor=actor,
        appointments=[appointment],
        kind=kind,
        language=language,
        grounds={appointment.pk: grounds} if grounds else None,
        meeting=meeting,
    )
    if not letters:
        raise InvalidTransition(
            _("This appointment already has a %(kind)s; revoke it before issuing a new one.")
            % {"kind": Letter.Kind(kind).label}
        )
    return _render_and_store(letters[0], actor)


@transaction.atomic
def letter_revoke(*, actor, letter: Letter, reason: str) -> Letter:
    """Revoke a letter with a reason. The PDF stays stored and downloadable, marked revoked."""
    _check_office(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give a reason for revoking the letter."), code=ErrorCode.REASON_REQUIRED
        )
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.revoked_at is not None:
        raise InvalidTransition(_("This letter has already been revoked."))
    letter.revoked_at = clock.now()
    letter.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    letter.revoke_reason = reason
    letter.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit.record(
        actor=actor,
        obj=letter,
        action="letter:revoke",
        from_state="issued",
        to_state="revoked",
        reason=reason,
    )
    return letter


def letters_issue_now(*, actor, appointments: list[Appointment], kind: str) -> int:
    """Issue letters for many appointments in this process (demo data, benchmark): reserve
    the numbers in one transaction, then render each. Returns the number issued."""
    _check_issuer(actor)
    with transaction.atomic():
        letters = _reserve(
            actor=actor,
            appointments=appointments,
            kind=kind,
            language=default_language(),
            languages=recipient_languages(appointments),
        )
    for letter in letters:
        _issue_reserved(letter, actor)
    return len(letters)
