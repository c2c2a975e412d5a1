"""The training ledger's external certificates (DOMAIN.md, "Training"): a staff member
submits one, the office verifies it into a training record or rejects it.

The ledger import lives in :mod:`training.imports`, the XLSX export in :mod:`training.exports`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, clock
from core.errors import DomainError, ErrorCode, InvalidTransition, RoleRequired
from core.roles import is_office
from core.uploads import CheckedUpload, FileKind, check_upload
from org.models import Staff
from org.scope import staff_of

from ..models import Course, ExternalCertificate, TrainingRecord
from .common import require_office

CERTIFICATE_KINDS = frozenset({FileKind.PDF, FileKind.JPEG, FileKind.PNG})


def certificate_max_bytes() -> int:
    return int(getattr(settings, "TRAINING_CERTIFICATE_MAX_BYTES", 5 * 1024 * 1024))


def certificate_file_check(*, upload: UploadedFile) -> CheckedUpload:
    """What an acceptable certificate file was decoded as (PDF, JPEG or PNG, not empty, at most
    ``TRAINING_CERTIFICATE_MAX_BYTES``, default 5 MiB), else a DomainError
    (:func:`core.uploads.check_upload`)."""
    return check_upload(upload, kinds=CERTIFICATE_KINDS, max_bytes=certificate_max_bytes())


@transaction.atomic
def certificate_submit(
    *,
    actor,
    staff: Staff,
    title: str,
    issuer: str,
    issued_on: dt.date,
    file: UploadedFile,
    course: Course | None = None,
    hours: Decimal = Decimal(0),
    credits: Decimal = Decimal(0),
    expires_on: dt.date | None = None,
) -> ExternalCertificate:
    """A staff member (or the office on their behalf) submits an external certificate;
    ``expires_on`` (optional) is the last day it is valid, on or after the issue date."""
    own = staff_of(actor) if actor is not None else None
    if not (actor is None or is_office(actor) or (own and own.pk == staff.pk)):
        raise RoleRequired(_("Only the certification office may submit for someone else."))
    checked = certificate_file_check(upload=file)
    if issued_on > clock.today():
        raise DomainError(_("The issue date lies in the future."), code=ErrorCode.FUTURE_DATE)
    _check_expiry(issued_on=issued_on, expires_on=expires_on)
    original = (file.name or "").rsplit("/", 1)[-1][:255]
    cert = ExternalCertificate(
        staff=staff,
        title=title,
        issuer=issuer,
        issued_on=issued_on,
        expires_on=expires_on,
        course=course,
        hours=hours,
        credits=credits,
        original_name=original,
        content_type=checked.content_type,
        size=checked.size,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # A random name: the original name is kept as data, never used as a path.
    cert.file.save(f"{staff.pk}/{uuid.uuid4().hex}.{checked.extension}", file, save=False)
    cert.full_clean()
    cert.save()
    audit.record(
        actor=actor,
        obj=cert,
        action="submit",
        to_state=cert.status,
        changes={
            "title": title,
            "issuer": issuer,
            "credits": credits,
            "expires_on": expires_on,
            "file": original,
        },
    )
    return cert


def _check_expiry(*, issued_on: dt.date, expires_on: dt.date | None) -> None:
    if expires_on is not None and expires_on < issued_on:
        raise DomainError(
            _("A certificate cannot expire before it was issued."), code=ErrorCode.INVALID_DATES
        )


@transaction.atomic
def certificate_verify(
    *,
    actor,
    certificate: ExternalCertificate,
    credits: Decimal | None = None,
    reason: str = "",
    expires_on: dt.date | None = None,
) -> TrainingRecord:
    """HR verifies a submitted certificate: it becomes a training record (source ``external``)
    dated the issue date, with the credits HR accepts (default: the credits claimed). HR may
    set or correct the expiry date read from the certificate (``expires_on``; ``None`` keeps
    the submitted one)."""
    require_office(actor)
    cert = ExternalCertificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.status != ExternalCertificate.Status.SUBMITTED:
        raise InvalidTransition(
            _("The certificate is already %(status)s.") % {"status": cert.get_status_display()}
        )
    accepted = cert.credits if credits is None else credits
    if accepted < 0:
        raise DomainError(_("Credits cannot be negative."))
    if expires_on is not None:
        _check_expiry(issued_on=cert.issued_on, expires_on=expires_on)
        cert.expires_on = expires_on
    record = TrainingRecord.objects.create(
        staff_id=cert.staff_id,
        course=cert.course,
        title=cert.title[:200],
        date=cert.issued_on,
        hours=cert.hours,
        credits=accepted,
        result=TrainingRecord.Result.PASSED,
        source=TrainingRecord.Source.EXTERNAL,
        certificate=cert,
    )
    cert.status = ExternalCertificate.Status.VERIFIED
    cert.credits = accepted
    cert.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    cert.reviewed_at = clock.now()
    cert.review_reason = reason
    cert.save(
        update_fields=[
            "status",
            "credits",
            "expires_on",
            "reviewed_by",
            "reviewed_at",
            "review_reason",
        ]
    )
    audit.record(
        actor=actor,
        obj=cert,
        action="verify",
        from_state=ExternalCertificate.Status.SUBMITTED,
        to_state=cert.status,
        reason=reason,
        changes={"record": record.pk, "credits": accepted, "expires_on": cert.expires_on},
    )
    return record


@transaction.atomic
def certificate_reject(
    *, actor, certificate: ExternalCertificate, reason: str
) -> ExternalCertificate:
    require_office(actor)
    if not (reason or "").strip():
        raise DomainError(_("Give a reason for the rejection."), code=ErrorCode.REASON_REQUIRED)
    cert = ExternalCertificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.status != ExternalCertificate.Status.SUBMITTED:
        raise InvalidTransition(
            _("The certificate is already %(status)s.") % {"status": cert.get_status_display()}
        )
    cert.status = ExternalCertificate.Status.REJECTED
    cert.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    cert.reviewed_at = clock.now()
    cert.review_reason = reason
    cert.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    audit.record(
        actor=actor,
        obj=cert,
        action="reject",
        from_state=ExternalCertificate.Status.SUBMITTED,
        to_state=cert.status,
        reason=reason,
    )
    return cert
