"""The development-goals panel of the appraisal pages (``kpi.appraisal_panels``) and the goal
list of the staff file's training tab."""

from __future__ import annotations

from django.urls import reverse

from core import clock
from kpi.appraisal_panels import Panel
from kpi.appraisal_panels import register as register_panel

from .forms import GoalForm
from .models import DevelopmentGoal
from .services.goals import may_set_goals


def goals_panel(request, appraisal, *, editable: bool) -> Panel:
    goals = list(
        DevelopmentGoal.objects.filter(appraisal=appraisal)
        .select_related("competency", "course")
        .order_by("due_on", "id")
    )
    can_edit = editable and may_set_goals(request.user, appraisal)
    return Panel(
        template="training/partials/development_goals.html",
        context={
            "goals": goals,
            "appraisal": appraisal,
            "today": clock.today(),
            "form": GoalForm(staff=appraisal.staff) if can_edit else None,
            "add_url": reverse("training:goal-add", args=[appraisal.pk]),
            "back": request.get_full_path(),
        },
    )


def register() -> None:
    register_panel(goals_panel)
