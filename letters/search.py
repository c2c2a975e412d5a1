"""Letters in the header's search (``core.search``) by their number (粤海人聘〔2026〕31号: "31",
"2026〕3"), within the caller's scope (``letters.selectors.letter_list``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import SearchHit, register

from .selectors import letter_list


def letters(user, query: str, limit: int) -> list[SearchHit]:
    rows = letter_list(user=user).filter(number__icontains=query).order_by("-issued_at", "-id")
    return [
        SearchHit(
            title=letter.number,
            detail=f"{letter.staff.name} · {letter.get_kind_display()}",
            url=reverse("letters:pdf", args=[letter.pk]),
        )
        for letter in rows[:limit]
    ]


def register_search() -> None:
    register(letters, kind="letters", heading=_("Letters"), order=40)
