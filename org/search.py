"""People in the header's search (``core.search``): by name anywhere in it, employee number
from its start, or pinyin initials (张三丰: "zsf") — within the caller's scope."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import SearchHit, register

from .models import Staff
from .scope import visible_staff_filter


def people(user, query: str, limit: int) -> list[SearchHit]:
    matches = Q(name__icontains=query) | Q(employee_no__istartswith=query)
    if query.isascii() and query.isalpha():
        matches |= Q(name_initials__startswith=query.lower())
    rows = (
        Staff.objects.filter(visible_staff_filter(user))
        .filter(matches)
        .select_related("unit", "level")
        .order_by("name", "employee_no")[:limit]
    )
    return [
        SearchHit(
            title=f"{s.name} · {s.employee_no}",
            detail=" · ".join(
                x for x in (s.unit.display_path, s.level.code if s.level else "") if x
            ),
            url=reverse("org:staff-detail", args=[s.pk]),
        )
        for s in rows
    ]


def register_search() -> None:
    register(people, kind="people", heading=_("People"), order=10)
