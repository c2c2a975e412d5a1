"""The ranking tab of the employee file (``core.staff_file``): ranks in committed annual runs
and re-certification cases, each as the ranking app's own lists show them to the viewer."""

from django.utils.translation import gettext_lazy as _

from core.staff_file import FileSection, register

from .selectors import case_list, my_entries

SHOWN = 5


def section(viewer, staff, today) -> FileSection:
    entries = list(my_entries(user=viewer).filter(staff=staff)[:SHOWN])
    cases = list(case_list(user=viewer).filter(staff=staff).order_by("-id")[:SHOWN])
    return FileSection(
        key="ranking",
        label=_("Ranking"),
        template="ranking/staff_file/section.html",
        context={"entries": entries, "cases": cases},
        count=len(entries) + len(cases),
    )


def register_section() -> None:
    register(section, order=60)
