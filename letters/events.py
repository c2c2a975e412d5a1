"""What the letters app tells people (``notifications``): a letter issued to them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import clock
from notifications.registry import EventType, register
from notifications.services import notify
from org.models import Staff

from .models import Letter

LETTER_ISSUED = "letters.letter_issued"

EVENTS = (
    EventType(
        LETTER_ISSUED,
        _("Letter issued to me"),
        _("Your %(kind)s %(number)s has been issued"),
        _(
            "The certification office issued your %(kind)s %(number)s on %(date)s.\n"
            "Next: read and download it under My letters; its QR code lets anyone check that "
            "it is genuine."
        ),
    ),
)


def register_events() -> None:
    register(*EVENTS)


def letter_issued(letter: Letter) -> None:
    """Tell the staff member (when they have a login) that their letter was issued."""
    user_id = Staff.objects.filter(pk=letter.staff_id).values_list("user_id", flat=True).first()
    if user_id is None:
        return
    notify(
        event=LETTER_ISSUED,
        recipients=[user_id],
        context={
            "kind": Letter.Kind(letter.kind).label,
            "number": letter.number,
            "date": clock.today().isoformat(),  # issued just now
        },
        url=reverse("letters:mine"),
    )
