"""Course evaluation: participants rate the sessions they attended (anonymously); HR reads
the aggregates per course and per trainer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.errors import DomainError
from core.roles import is_office, require_office_page
from org.scope import staff_of

from .. import rules, selectors, services
from ..forms import EvaluationForm
from ..models import Course, TrainingSession
from ._common import show_error


@login_required
def evaluation_list(request):
    """My attended sessions still to rate, one form each."""
    me = staff_of(request.user)
    if me is None:
        raise Http404
    today = clock.today()
    pending = list(selectors.evaluations_to_give(staff=me, today=today))
    for enrolment in pending:
        enrolment.closes = services.evaluation_closes(enrolment.session)
    context = {
        "pending": pending,
        "form": EvaluationForm(),
        "is_office": is_office(request.user),
    }
    return render(request, "training/evaluation_list.html", context)


@login_required
@require_POST
def evaluation_submit(request, pk: int):
    session = get_object_or_404(TrainingSession, pk=pk)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rate each question from 1 to 5."))
        return redirect("training:evaluations")
    try:
        services.evaluation_submit(actor=request.user, session=session, **form.cleaned_data)
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Thank you: your anonymous rating is recorded."))
    return redirect("training:evaluations")


@login_required
def evaluation_results(request):
    require_office_page(request.user)
    course = None
    if request.GET.get("course", "").isdigit():
        course = Course.objects.filter(pk=int(request.GET["course"])).first()
    by_course, by_trainer = selectors.evaluation_results(course=course)
    context = {
        "by_course": by_course,
        "by_trainer": by_trainer,
        "course": course,
        "minimum": rules.EVALUATION_MIN_SHOWN,
    }
    return render(request, "training/evaluation_results.html", context)
