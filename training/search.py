"""Courses in the header's search (``core.search``) by code or title (the catalogue is open
to everyone who signs in)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import SearchHit, register

from .models import Course


def courses(user, query: str, limit: int) -> list[SearchHit]:
    rows = Course.objects.filter(
        Q(code__istartswith=query) | Q(title__icontains=query) | Q(title_en__icontains=query)
    ).order_by("code")
    return [
        SearchHit(
            title=course.display_title,
            detail=course.code,
            url=reverse("training:course-detail", args=[course.pk]),
        )
        for course in rows[:limit]
    ]


def register_search() -> None:
    register(courses, kind="courses", heading=_("Courses"), order=30)
