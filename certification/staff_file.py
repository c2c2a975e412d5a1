"""The certification tab of the employee file (``core.staff_file``): the person's promotion
applications the viewer may see (``certification.selectors.application_list``), with their
state; scores stay on the application page, where the blind-review rules decide."""

from django.utils.translation import gettext_lazy as _

from core.staff_file import FileSection, register

from .selectors import application_list


def section(viewer, staff, today) -> FileSection | None:
    rows = list(
        application_list(user=viewer).filter(staff=staff).order_by("-cycle__window_start", "-id")
    )
    return FileSection(
        key="certification",
        label=_("Certification"),
        template="certification/staff_file/section.html",
        context={"applications": rows},
        count=len(rows),
    )


def register_section() -> None:
    register(section, order=50)
