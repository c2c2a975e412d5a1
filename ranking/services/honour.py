"""The honour roll (光荣榜) of a committed run's top band: each member's photo and achievement
write-up (事迹简介), both kept by the certification office and audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError, ErrorCode
from core.uploads import IMAGES, check_upload
from org.models import Staff

from ..models import CITATION_MAX_LENGTH, HonourCitation, HonourPhoto, RankingEntry, RankingRun
from .common import require_office

PHOTO_MAX_BYTES = 2 * 1024 * 1024


def _require_on_roll(*, run: RankingRun, staff: Staff) -> None:
    on_roll = RankingEntry.objects.filter(
        run=run, run__status=RankingRun.Status.COMMITTED, staff=staff, in_top_band=True
    ).exists()
    if not on_roll:
        raise DomainError(
            _("%(staff)s is not on the honour roll of this ranking.") % {"staff": staff.name},
            code=ErrorCode.NOT_ON_HONOUR_ROLL,
        )


@transaction.atomic
def honour_photo_set(*, actor, run: RankingRun, staff: Staff, upload) -> HonourPhoto:
    """Add (or replace) the honour-roll photo of a top-band member of a committed run."""
    require_office(actor)
    _require_on_roll(run=run, staff=staff)
    checked = check_upload(upload, kinds=IMAGES, max_bytes=PHOTO_MAX_BYTES)
    photo = HonourPhoto.objects.select_for_update().filter(run=run, staff=staff).first()
    replaced = photo.file.name if photo else ""
    if photo is None:
        photo = HonourPhoto(run=run, staff=staff)
    photo.content_type = checked.content_type
    photo.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
    # Stored with the extension of what the file decoded as, never the uploader's name.
    photo.file.save(f"photo.{checked.extension}", upload, save=False)
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
    require_office(actor)
    photo = HonourPhoto.objects.select_for_update().get(pk=photo.pk)
    audit.record(
        actor=actor,
        obj=photo,
        action="photo_remove",
        changes={"run": photo.run_id, "staff": photo.staff_id},
    )
    name, storage = photo.file.name, photo.file.storage
    photo.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def honour_citation_set(
    *, actor, run: RankingRun, staff: Staff, text: str
) -> HonourCitation | None:
    """Write, change or (with empty ``text``) clear the achievement write-up of a member of a
    committed run's honour roll; the old and the new text are kept in the audit trail."""
    require_office(actor)
    _require_on_roll(run=run, staff=staff)
    text = (text or "").strip().replace("\r\n", "\n")
    if len(text) > CITATION_MAX_LENGTH:
        raise DomainError(
            _("The write-up has %(n)d characters; at most %(max)d fit on the honour roll.")
            % {"n": len(text), "max": CITATION_MAX_LENGTH},
            code=ErrorCode.CITATION_TOO_LONG,
        )
    citation = HonourCitation.objects.select_for_update().filter(run=run, staff=staff).first()
    before = citation.text if citation else ""
    if text == before:
        return citation
    if citation is not None and not text:  # (no citation and no text returned above)
        audit.record(
            actor=actor,
            obj=citation,
            action="citation_remove",
            changes={"run": run.pk, "staff": staff.pk, "text": [before, ""]},
        )
        citation.delete()
        return None
    if citation is None:
        citation = HonourCitation(run=run, staff=staff)
    citation.text = text
    citation.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    citation.save()
    audit.record(
        actor=actor,
        obj=citation,
        action="citation_edit" if before else "citation_add",
        changes={"run": run.pk, "staff": staff.pk, "text": [before, text]},
    )
    return citation
