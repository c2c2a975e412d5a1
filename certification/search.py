"""Certification cycles in the header's search (``core.search``) by name, as the cycle list
shows them to the caller (drafts for the office only)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import SearchHit, register

from .selectors import cycle_list


def cycles(user, query: str, limit: int) -> list[SearchHit]:
    rows = cycle_list(user=user).filter(name__icontains=query).order_by("-window_start", "-id")
    return [
        SearchHit(
            title=cycle.name,
            detail=f"{cycle.track.display_name} · {cycle.get_status_display()}",
            url=reverse("certification:cycle-detail", args=[cycle.pk]),
        )
        for cycle in rows[:limit]
    ]


def register_search() -> None:
    register(cycles, kind="cycles", heading=_("Certification cycles"), order=20)
