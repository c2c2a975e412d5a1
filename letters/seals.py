"""Electronic seals (电子印章): uploaded by an administrator, stored privately, read only to
render letters; every use is audited on the seal.

Without an active seal a letter leaves a blank space for the company's stamp on the paper copy
— nothing seal-like is ever drawn.
"""

from __future__ import annotations

import base64

from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.errors import RoleRequired
from core.roles import Role, has_role
from core.uploads import IMAGES, check_upload

from .models import LetterSeal

MAX_SEAL_BYTES = 1024 * 1024


def _require_admin(actor) -> None:
    if not (getattr(actor, "is_superuser", False) or has_role(actor, Role.ADMIN)):
        raise RoleRequired(_("Only an administrator may manage the electronic seal."))


@transaction.atomic
def letter_seal_upload(*, actor, name: str, file) -> LetterSeal:
    """Store ``file`` (PNG or JPEG, at most 1 MB) as the active e-seal; the previous one is
    deactivated (kept, with the letters that used it)."""
    _require_admin(actor)
    checked = check_upload(file, kinds=IMAGES, max_bytes=MAX_SEAL_BYTES)
    LetterSeal.objects.select_for_update().filter(active=True).update(active=False)
    seal = LetterSeal(name=name.strip() or _("Electronic seal"), content_type=checked.content_type)
    seal.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
    seal.file.save(f"seal.{checked.extension}", file, save=False)
    seal.save()
    audit.record(actor=actor, obj=seal, action="letter_seal:upload", to_state="active")
    return seal


@transaction.atomic
def letter_seal_deactivate(*, actor, seal: LetterSeal) -> LetterSeal:
    """Stop printing ``seal``: letters go back to a blank space for the stamp."""
    _require_admin(actor)
    LetterSeal.objects.filter(pk=seal.pk).update(active=False)
    seal.active = False
    audit.record(
        actor=actor, obj=seal, action="letter_seal:deactivate", from_state="active", to_state=""
    )
    return seal


def active_seal() -> LetterSeal | None:
    return LetterSeal.objects.filter(active=True).first()


def seal_data_uri(seal: LetterSeal) -> str:
    """The seal image inlined as a ``data:`` URL: the private file never gets a URL and the
    PDF renderer's fetcher is not widened to the private folder."""
    with seal.file.open("rb") as f:
        data = f.read()
    return f"data:{seal.content_type};base64,{base64.b64encode(data).decode()}"


def seal_use_record(*, actor, seal: LetterSeal, letter) -> None:
    audit.record(
        actor=actor,
        obj=seal,
        action="letter_seal:use",
        changes={"letter": letter.number, "letter_id": letter.pk},
    )
