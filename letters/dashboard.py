"""Home-page card: the office sees this year's letters and running batches; staff their own."""

from django.db.models import Count, Q, Window

from core.roles import is_office
from jobs.models import Job
from org.scope import staff_of

from .models import Letter
from .services import JOB_KIND


def cards(user, today) -> list[dict]:
    context: dict = {"year": today.year, "mine": None}
    if is_office(user):
        context["company"] = (
            Letter.objects.issued()
            .filter(year=today.year)
            .aggregate(issued=Count("id"), revoked=Count("id", filter=Q(revoked_at__isnull=False)))
        )
        context["running_jobs"] = Job.objects.filter(
            kind=JOB_KIND, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).count()
    me = staff_of(user)
    if me is not None:
        # the latest letter, carrying how many there are (one query, a window)
        mine = list(
            Letter.objects.issued()
            .filter(staff=me)
            .annotate(total=Window(Count("id")))
            .order_by("-issued_at")[:1]
        )
        context["mine"] = mine[0].total if mine else 0
        context["latest"] = mine[0] if mine else None
    if "company" not in context and context["mine"] is None:
        return []
    return [{"template": "letters/cards/letters.html", "context": context, "order": 60}]
