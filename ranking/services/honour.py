"""The honour roll's photos (光荣榜): top-band members of a committed run."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError
from core.uploads import IMAGES, check_upload
from org.models import Staff

from ..models import HonourPhoto, RankingEntry, RankingRun
from .common import require_office

PHOTO_MAX_BYTES = 2 * 1024 * 1024


@transaction.atomic
def honour_photo_set(*, actor, run: RankingRun, staff: Staff, upload) -> HonourPhoto:
    """Add (or replace) the honour-roll photo of a top-band member of a committed run."""
    require_office(actor)
    on_roll = RankingEntry.objects.filter(
        run=run, run__status=RankingRun.Status.COMMITTED, staff=staff, in_top_band=True
    ).exists()
    if not on_roll:
        raise DomainError(
            _("%(staff)s is not on the honour roll of this ranking.") % {"staff": staff.name},
            code="not_on_honour_roll",
        )
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
    transaction.on_commit(lambda: storage.delete(name))
