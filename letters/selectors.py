"""Reads for letters, scoped through ``org.scope`` (out of scope = not found)."""

from __future__ import annotations

import hashlib
import logging

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from core import terms
from core.errors import DomainError, ErrorCode, NotInScope
from jobs.models import Job
from org.scope import scope_by_staff, staff_of

from .models import Letter

JOB_KIND = "letters.issue"

logger = logging.getLogger(__name__)


def latest_letter_id() -> Subquery:
    """The id of an appointment's latest valid issued letter, as a subquery on the outer
    appointment (``org.selectors.appointment_list`` annotates it as ``letter_id``)."""
    return Subquery(
        Letter.objects.filter(
            appointment=OuterRef("pk"), issued_at__isnull=False, revoked_at__isnull=True
        )
        .order_by("-issued_at", "-id")
        .values("pk")[:1]
    )


def letter_list(*, user) -> QuerySet[Letter]:
    """Issued letters the caller may see: own (staff), subtree (manager), all (office)."""
    return scope_by_staff(Letter.objects.issued(), user).select_related(
        "staff", "level", "appointment"
    )


def my_letters(*, user) -> QuerySet[Letter]:
    me = staff_of(user)
    if me is None:
        return Letter.objects.none()
    return Letter.objects.issued().filter(staff=me).select_related("staff", "level")


def get_letter_or_404(*, user, pk) -> Letter:
    try:
        return letter_list(user=user).get(pk=pk)
    except (Letter.DoesNotExist, ValueError, TypeError) as exc:
        raise NotInScope from exc


def letter_by_code(*, code: str) -> Letter | None:
    """The issued letter with this verification code (public verification), or ``None``."""
    if not code or len(code) > 32:
        return None
    return (
        Letter.objects.issued()
        .select_related("staff", "level")
        .filter(verification_code=code)
        .first()
    )


class LetterFileChanged(DomainError):
    code = ErrorCode.LETTER_FILE_CHANGED
    status = 409


def read_pdf(*, letter: Letter) -> bytes:
    """The stored bytes of an issued letter, exactly as issued (checked against its SHA-256)."""
    from .services import letter_path

    path = letter_path(letter)
    try:
        data = path.read_bytes()
    except OSError as exc:
        logger.error("The PDF of letter %s is missing at %s", letter.number, path)
        raise NotInScope() from exc
    if hashlib.sha256(data).hexdigest() != letter.sha256:
        logger.error("The PDF of letter %s no longer matches its SHA-256", letter.number)
        raise LetterFileChanged(
            _("The stored file of this letter has been altered; it is not served.")
        )
    return data


def masked_name(*, name: str) -> str:
    """A name as the public verification shows it (PIPL: no more than needed): the first
    character and one star — ``刘*``, ``Z*`` — so neither the full name nor its length shows."""
    name = (name or "").strip()
    return f"{name[0]}*" if name else ""


def public_verification(*, letter) -> dict:
    """What anyone holding a verification code may learn: whether the letter stands, its
    number, dates and issuer, and the holder's masked name — never the kind of decision
    (a demotion), the level or the employee number."""
    facts = letter.facts
    return {
        "number": letter.number,
        "valid": not letter.revoked,
        "revoked": letter.revoked,
        "revoked_at": letter.revoked_at,
        "issue_date": letter.issue_date,
        "issuer": facts.get("company", ""),
        "staff_name": masked_name(name=facts.get("staff_name", "")),
        "term_start": facts.get("term_start") or None,
        "term_end": facts.get("term_end") or None,
        "term_last_day": terms.last_day(facts.get("term_end")),
        "sha256": letter.sha256,
    }


def letters_skipped_by_job(*, qs: QuerySet[Letter], job_id: int) -> QuerySet[Letter]:
    """Of ``qs``, the live letters a batch job skipped because they already existed: the job's
    appointments and kind, issued by something else than the job."""
    job = Job.objects.filter(pk=job_id, kind=JOB_KIND).first()
    if job is None:
        return qs.none()
    return qs.filter(
        appointment_id__in=job.params.get("appointment_ids", []),
        kind=job.params.get("kind", ""),
        revoked_at__isnull=True,
    ).exclude(job_id=job_id)
