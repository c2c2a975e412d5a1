"""Home-page cards of the training app (see ``core.dashboard``). A few aggregate queries each."""

from __future__ import annotations

from django.db.models import Count, Q

from core.roles import Role, has_role, is_office
from org.scope import staff_of, visible_staff

from . import selectors
from .models import ExternalCertificate, TrainingSession


def cards(user, today) -> list[dict]:
    result = []
    me = staff_of(user)
    if me is not None:
        summary = selectors.training_summary(staff=me, on_date=today)
        result.append(
            {
                "template": "training/cards/my_training.html",
                "context": {"summary": summary},
                "order": 30,
            }
        )
    if is_office(user) or has_role(user, Role.MANAGER, Role.LEADERSHIP):
        population = visible_staff(user)
        if me is not None and not is_office(user) and not has_role(user, Role.LEADERSHIP):
            population = population.exclude(pk=me.pk)
        short, counted = selectors.short_of_credits(staff_qs=population, on_date=today)
        context = {"short": short, "counted": counted, "office": is_office(user)}
        if is_office(user):
            context["sessions"] = TrainingSession.objects.aggregate(
                open=Count("id", filter=Q(status=TrainingSession.Status.OPEN)),
                upcoming=Count(
                    "id", filter=Q(status=TrainingSession.Status.OPEN, start__gte=today)
                ),
            )
            context["to_verify"] = ExternalCertificate.objects.filter(
                status=ExternalCertificate.Status.SUBMITTED
            ).count()
        result.append({"template": "training/cards/office.html", "context": context, "order": 31})
    return result
