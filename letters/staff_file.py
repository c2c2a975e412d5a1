"""The letters tab of the employee file (``core.staff_file``): the person's issued letters the
viewer may see (``letters.selectors.letter_list``), each with its PDF."""

from django.utils.translation import gettext_lazy as _

from core.staff_file import FileSection, register

from .selectors import letter_list


def section(viewer, staff, today) -> FileSection:
    rows = list(letter_list(user=viewer).filter(staff=staff).order_by("-issued_at", "-id"))
    return FileSection(
        key="letters",
        label=_("Letters"),
        template="letters/staff_file/section.html",
        context={"letters": rows},
        count=len(rows),
    )


def register_section() -> None:
    register(section, order=70)
