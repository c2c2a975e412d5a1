"""The KPI tab of the employee file (``core.staff_file``): the annual scores and grades."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.staff_file import FileSection, register

from .selectors import annual_list

YEARS = 5


def section(viewer, staff, today) -> FileSection:
    rows = list(annual_list(user=viewer).filter(staff=staff).order_by("-year")[:YEARS])
    return FileSection(
        key="kpi",
        label=_("KPI"),
        template="kpi/staff_file/section.html",
        context={"annual": rows},
        count=len(rows),
        url=reverse("kpi:staff", args=[staff.pk]),
    )


def register_section() -> None:
    register(section, order=20)
