"""The training tab of the employee file (``core.staff_file``): credits in the last 12 months
against the current level's requirement, the latest records, and the development goals agreed
in appraisal reviews."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.staff_file import FileSection, register

from .models import DevelopmentGoal
from .selectors import record_list, training_summary

SHOWN = 8


def section(viewer, staff, today) -> FileSection:
    records = record_list(user=viewer).filter(staff=staff).order_by("-date", "-id")
    return FileSection(
        key="training",
        label=_("Training"),
        template="training/staff_file/section.html",
        context={
            "summary": training_summary(staff=staff, on_date=today),
            "records": list(records[:SHOWN]),
            "goals": list(
                DevelopmentGoal.objects.filter(staff=staff)
                .select_related("competency", "course", "appraisal__period")
                .order_by("-due_on", "-id")[:SHOWN]
            ),
            "today": today,
        },
        url=reverse("training:staff", args=[staff.pk]),
    )


def register_section() -> None:
    register(section, order=40)
