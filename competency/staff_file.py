"""The competency tab of the employee file (``core.staff_file``): finalized assessments."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.staff_file import FileSection, register

from .selectors import FINALIZED, assessment_list

SHOWN = 5


def section(viewer, staff, today) -> FileSection:
    rows = list(
        assessment_list(user=viewer)
        .filter(staff=staff, status=FINALIZED)
        .order_by("-finalized_on", "-id")[:SHOWN]
    )
    return FileSection(
        key="competency",
        label=_("Competency"),
        template="competency/staff_file/section.html",
        context={"assessments": rows},
        count=len(rows),
        url=reverse("competency:profile", args=[staff.pk]),
    )


def register_section() -> None:
    register(section, order=30)
