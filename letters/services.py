"""Issuing and revoking letters (DOMAIN.md, "Appointment letters (PDF) — 聘任书").

Rules enforced here:

- **Numbering**: ``{prefix}〔{year}〕{seq}号``, ``seq`` counting 1, 2, 3 … within the issue year.
  The per-year :class:`~letters.models.LetterCounter` row is locked (``SELECT … FOR UPDATE``) in
  the same transaction that inserts the letter, so concurrent issuers queue on that row: no two
  letters share a number and no number is skipped (a failed issue rolls its number back).
- **Issue once**: one live (not revoked) letter per appointment and kind (a database
  constraint too); its PDF bytes and SHA-256 are stored under ``PRIVATE_MEDIA_ROOT`` and every
  download returns those bytes. An issued letter is never edited; it can be revoked with a
  reason (the file is kept), after which a new letter — with a new number — may be issued.
- **Batch issue** runs as a background job (``jobs``): each chunk reserves the numbers of its
  letters in one short locked transaction, then renders each PDF outside the counter lock, so
  several workers render in parallel. A letter whose rendering was cut short by a crash keeps its
  reserved number and is rendered when the job is resumed — never numbered twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import secrets
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition, RoleRequired
from core.roles import Role, has_role, is_office
from jobs import registry as job_registry
from jobs import services as job_services
from jobs.models import Job
from notifications.selectors import languages_of
from org.models import Appointment, Level

from . import events, rendering, seals, selectors
from .models import Letter, LetterCounter, LetterSeal, LetterTemplate

JOB_KIND = selectors.JOB_KIND
logger = logging.getLogger(__name__)

_R = Appointment.Reason
_ANY_HELD = frozenset({_R.INITIAL, _R.PROMOTION, _R.RENEWAL, _R.KEPT, _R.DEMOTION})

# Which appointments each kind of letter may be issued for. The letters about a
# re-certification (kept, demotion, elimination, result) are issued at the leadership's approval
# for the appointment the person holds then (with the decision's grounds); a demotion notice may
# also be issued for the demotion's own appointment.
KIND_REASONS: dict[str, frozenset[str] | set[str]] = {
    Letter.Kind.APPOINTMENT: {_R.INITIAL},
    Letter.Kind.PROMOTION: {_R.PROMOTION},
    Letter.Kind.RENEWAL: {_R.RENEWAL},
    Letter.Kind.KEPT: _ANY_HELD,
    Letter.Kind.DEMOTION: _ANY_HELD,
    Letter.Kind.ELIMINATION: _ANY_HELD,
    Letter.Kind.RECERTIFICATION: _ANY_HELD,
}
# The kind of letter an appointment's own reason calls for (the batch page, the API default).
KIND_OF_REASON: dict[str, str] = {
    _R.INITIAL: Letter.Kind.APPOINTMENT,
    _R.PROMOTION: Letter.Kind.PROMOTION,
    _R.RENEWAL: Letter.Kind.RENEWAL,
    _R.KEPT: Letter.Kind.KEPT,
    _R.DEMOTION: Letter.Kind.DEMOTION,
}


class Grounds(TypedDict, total=False):
    """What a decision tells its letter (all keys optional; printed when given). Numbers as
    ``Decimal`` or ``str``, dates as ``date``; ``ground`` may be a lazy translation (it is
    rendered in the letter's language).

    - ``ranking_year``, ``cohort`` (label), ``cohort_size``, ``rank``, ``band_size``,
      ``ranking_score``: the annual ranking that put the person in the bottom band;
    - ``recert_score``, ``pass_line``, ``elimination_line``, ``ground``: the re-certification;
    - ``new_level_id``: the level a demotion moves to;
    - ``approved_on``, ``appeal_until``, ``effective_on``: the decision, the last day to appeal
      and the day it takes effect if no appeal is filed.
    """

    ranking_year: int
    cohort: str
    cohort_size: int | None
    rank: int | None
    band_size: int | None
    ranking_score: Decimal | str | None
    recert_score: Decimal | str | None
    pass_line: Decimal | str | None
    elimination_line: Decimal | str | None
    ground: str | Promise
    new_level_id: int
    approved_on: dt.date | None
    appeal_until: dt.date
    effective_on: dt.date


def _today() -> dt.date:
    return clock.today()


def number_prefix(kind: str) -> str:
    """The prefix — and number series — of ``kind`` (``LETTER_NUMBER_PREFIXES``, else
    ``LETTER_NUMBER_PREFIX``)."""
    return settings.LETTER_NUMBER_PREFIXES.get(kind) or settings.LETTER_NUMBER_PREFIX


def format_number(prefix: str, year: int, seq: int) -> str:
    """``粤海人聘〔2026〕12号``: the year in full-width brackets 〔〕 (U+3014, U+3015)."""
    return f"{prefix}〔{year}〕{seq}号"


def _check_office(actor) -> None:
    if actor is not None and not is_office(actor):
        raise RoleRequired(_("Only the certification office may issue or revoke letters."))


def _check_issuer(actor) -> None:
    """The office issues letters; the leadership group's approval of a cycle issues its
    letters too (certification calls :func:`issue_letters_job` with the approver)."""
    if actor is not None and not (is_office(actor) or has_role(actor, Role.LEADERSHIP)):
        raise RoleRequired(_("Only the certification office may issue or revoke letters."))


def _check_kind_and_language(kind: str, language: str) -> None:
    if kind not in Letter.Kind.values:
        raise DomainError(
            _("Unknown kind of letter: %(kind)s") % {"kind": kind}, code=ErrorCode.INVALID
        )
    if language not in Letter.Language.values:
        raise DomainError(
            _("Unknown letter language: %(language)s") % {"language": language},
            code=ErrorCode.INVALID,
        )


# The appointment reasons a kind speaks of by itself; for any other held appointment the letter
# needs the decision's grounds (a re-certification decided at approval).
_OWN_REASONS: dict[str, set[str]] = {
    Letter.Kind.KEPT: {_R.KEPT},
    Letter.Kind.DEMOTION: {_R.DEMOTION},
    Letter.Kind.ELIMINATION: set(),
    Letter.Kind.RECERTIFICATION: {_R.KEPT, _R.DEMOTION},
}


def _kind_fits(kind: str, appointment: Appointment, grounds: Grounds | None = None) -> bool:
    if appointment.reason not in KIND_REASONS[kind]:
        return False
    own = _OWN_REASONS.get(kind)
    return own is None or appointment.reason in own or bool(grounds)


def _kind_mismatch(kind: str, appointment: Appointment) -> DomainError:
    return DomainError(
        _("A %(kind)s cannot be issued for an appointment of reason “%(reason)s”.")
        % {"kind": Letter.Kind(kind).label, "reason": appointment.get_reason_display()},
        code=ErrorCode.KIND_MISMATCH,
    )


def _previous_appointment(appointment: Appointment) -> Appointment | None:
    return (
        Appointment.objects.filter(staff_id=appointment.staff_id, start__lt=appointment.start)
        .select_related("level")
        .order_by("-start", "-id")
        .first()
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _level_facts(level: Level | None) -> dict:
    if level is None:
        return {"code": "", "name": ""}
    return {"code": level.code, "name": level.display_name}


def letter_facts(
    appointment: Appointment, kind: str, language: str, grounds: Grounds | None = None
) -> dict:
    """What the letter states, in its language, frozen at issue. Adverse notices (demotion,
    elimination) carry no benefits: only the levels, the grounds, the dates and the appeal."""
    level = appointment.level
    staff = appointment.staff
    given: dict[str, object] = dict(grounds or {})
    zh = language == "zh-hans"
    with translation.override(language):
        facts = {
            "company": settings.COMPANY_NAME if zh else settings.COMPANY_NAME_EN,
            "staff_name": staff.name,
            "employee_no": staff.employee_no,
            "unit": staff.unit.display_path,
            "level_code": level.code,
            "level_name": level.display_name,
            "term_start": appointment.start.isoformat(),
            "term_end": appointment.end.isoformat(),
            "reason": appointment.reason,
            "decision_line": _by_kind(settings.LETTER_DECISION_LINES, kind, language),
            "cc": settings.LETTER_CC.get(language, ""),
            **signatory_for(kind, language),
        }
        if kind not in Letter.ADVERSE:
            facts |= {
                "honorary_title": level.display_title,
                "allowance": str(level.allowance),
                "training_package": str(level.training_package_value),
                "office": level.office_entitlement,
            }
        if kind == Letter.Kind.RENEWAL:
            previous = _previous_appointment(appointment)
            if previous is not None:
                facts["previous_term_start"] = previous.start.isoformat()
                facts["previous_term_end"] = previous.end.isoformat()
        if kind in Letter.ADVERSE or kind == Letter.Kind.RECERTIFICATION:
            if appointment.reason == Appointment.Reason.DEMOTION:
                previous = _previous_appointment(appointment)
                old: Level | None = previous.level if previous else None
                new: Level | None = level
                given.setdefault("effective_on", appointment.start)
            else:
                old = level
                new_id = (grounds or {}).get("new_level_id")
                new = Level.objects.filter(pk=new_id).first() if new_id else None
            old_facts, new_facts = _level_facts(old), _level_facts(new)
            facts |= {
                "old_level_code": old_facts["code"],
                "old_level_name": old_facts["name"],
                "new_level_code": new_facts["code"] if kind != Letter.Kind.ELIMINATION else "",
                "new_level_name": new_facts["name"] if kind != Letter.Kind.ELIMINATION else "",
                "appeal_route": settings.LETTER_APPEAL_ROUTE.get(language, ""),
            }
        if kind == Letter.Kind.RECERTIFICATION:
            facts["outcome"] = (
                _("not passed, demoted one level")
                if appointment.reason == Appointment.Reason.DEMOTION or given.get("new_level_id")
                else _("passed, the level is kept")
            )
        for key in Grounds.__annotations__:
            if key in given and key != "new_level_id":
                facts[key] = _text(given[key])
    return facts


def _by_kind(setting: dict, kind: str, language: str) -> str:
    entry = setting.get(kind) or setting.get("default") or {}
    return entry.get(language) or entry.get("zh-hans", "")


def signatory_for(kind: str, language: str) -> dict:
    """The signatory block of ``kind`` from ``settings.LETTER_SIGNATORIES`` (the kind's entry
    over ``default``), in ``language``."""
    configured = settings.LETTER_SIGNATORIES
    entry = {**configured.get("default", {}), **configured.get(kind, {})}
    suffix = "" if language == "zh-hans" else "_en"
    return {
        "signatory_title": entry.get(f"title{suffix}") or entry.get("title", ""),
        "signatory_name": entry.get(f"name{suffix}") or entry.get("name", ""),
    }


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
                    appointment, kind, recipient_language, grounds.get(appointment.pk)
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


def default_language() -> str:
    return settings.LANGUAGE_CODE


def recipient_languages(appointments) -> dict[int, str]:
    """The language each appointment's letter is written in: the recipient's preferred
    language (their notification settings), ``settings.LANGUAGE_CODE`` for someone without a
    login or a choice. One query for all of them."""
    ids = [a.pk for a in appointments]
    users = dict(Appointment.objects.filter(pk__in=ids).values_list("pk", "staff__user_id"))
    chosen = languages_of(user_ids=[u for u in users.values() if u is not None])
    return {pk: chosen.get(user_id, default_language()) for pk, user_id in users.items()}


@transaction.atomic
def letter_issue(
    *,
    actor,
    appointment: Appointment,
    kind: str | None = None,
    language: str | None = None,
    grounds: Grounds | None = None,
) -> Letter:
    """Issue one letter for ``appointment`` now: number it, render its PDF, store PDF and hash.

    ``kind`` defaults to the one the appointment's reason calls for (:data:`KIND_OF_REASON`),
    ``language`` to ``settings.LANGUAGE_CODE``; ``grounds`` are what the decision
    tells the letter (:class:`Grounds`; required for a re-certification letter about an
    appointment the person simply holds). Refuses (409) when the appointment already has a
    live letter of this kind, 400 ``kind_mismatch`` when the kind does not fit.
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
    )
    if not letters:
        raise InvalidTransition(
            _("This appointment already has a %(kind)s; revoke it before issuing a new one.")
            % {"kind": Letter.Kind(kind).label}
        )
    return _render_and_store(letters[0], actor)


def letter_issue_for(
    *,
    actor,
    appointment_ids: list[int],
    kind: str,
    background: bool = False,
    on_issued: Callable[[Letter], None] | None = None,
    grounds: Mapping[int, Grounds] | None = None,
    language: str | None = None,
) -> None:
    """The one way a decision asks for its letters — promotion (a cycle's approval), renewal
    (re-appointment), kept / demotion / elimination / result (re-certification).

    Always scheduled with ``transaction.on_commit``: nothing is numbered or rendered unless the
    decision commits, the rendering runs outside the decision's row locks, and a failure to
    issue never undoes the decision — it is logged, and the office issues the letter again from
    the letters pages (``issue_letter``) or the cycle page. ``background=True`` issues them as
    one background job with a progress page (a cycle's approval); otherwise each letter is
    issued right after the commit and ``on_issued(letter)`` is called with it (to link it to
    the case that decided it). ``grounds`` maps an appointment id to what the decision tells
    its letter (:class:`Grounds`). ``language``: every letter in it; by default each
    recipient's own (:func:`recipient_languages`).
    """
    ids = list(dict.fromkeys(int(pk) for pk in appointment_ids))
    if not ids:
        return
    grounds = {int(k): v for k, v in (grounds or {}).items()}

    def issue() -> None:
        if background:
            try:
                letters_issue_job(actor=actor, appointment_ids=ids, kind=kind, language=language)
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
                )
            except Exception:  # blind on purpose (logged): the decision stands, office re-issues
                logger.exception("Letter (%s) for appointment %s failed", kind, appointment.pk)
                continue
            if on_issued is not None:
                on_issued(letter)

    transaction.on_commit(issue)


def letters_issue_job(
    *, actor, appointment_ids: list[int], kind: str, language: str | None = None
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
            params={"kind": kind, "language": language or "", "appointment_ids": ids},
        )
        job.result_url = f"{reverse('letters:list')}?job={job.pk}"
        job.skipped_url = f"{reverse('letters:list')}?skipped_by={job.pk}"
        job.save(update_fields=["result_url", "skipped_url"])
    return job


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


# --- the batch job's steps (run on the worker) --------------------------------------------


def _job_actor(job: Job):
    return job.created_by


def _job_prepare(job: Job, items: list) -> list:
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
            languages=None if language else recipient_languages(ordered),
        )
    return items


def _job_process(job: Job, item) -> str | None:
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


def _job_remaining(job: Job) -> list:
    ids = list(job.params.get("appointment_ids", []))
    issued = set(
        Letter.objects.live()
        .issued()
        .filter(appointment_id__in=ids, kind=job.params["kind"])
        .values_list("appointment_id", flat=True)
    )
    return [pk for pk in ids if pk not in issued]


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
