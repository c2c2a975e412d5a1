"""The course catalogue and the sessions (培训班): browse, enrol, and — for HR — schedule,
enrol others, enter attendance and scores, complete."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.roles import is_office, require_office_page
from org.scope import staff_of, visible_staff

from .. import selectors, services
from ..forms import EnrolForm, SessionForm
from ..models import Course, Enrolment, TrainingSession
from ._common import show_error

PAGE_SIZE = 50


@login_required
def course_list(request):
    qs = selectors.course_list().annotate(
        open_sessions=Count("sessions", filter=Q(sessions__status=TrainingSession.Status.OPEN))
    )
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q) | Q(title_en__icontains=q))
    category = request.GET.get("category", "")
    if category in Course.Category.values:
        qs = qs.filter(category=category)
    form = request.GET.get("form", "")
    if form in Course.Form.values:
        qs = qs.filter(form=form)
    if not is_office(request.user):
        qs = qs.filter(active=True)
    required = set(
        selectors.requirement_list().values_list("required_courses", flat=True).distinct()
    )
    context = {
        "courses": qs.order_by("category", "code"),
        "q": q,
        "selected": {"category": category, "form": form},
        "categories": Course.Category.choices,
        "forms": Course.Form.choices,
        "required": required,
    }
    return render(request, "training/course_list.html", context)


@login_required
def course_detail(request, pk: int):
    course = get_object_or_404(selectors.course_list(), pk=pk)
    sessions = selectors.session_list().filter(course=course).order_by("-start")[:20]
    me = staff_of(request.user)
    mine = set()
    if me is not None:
        mine = set(
            Enrolment.objects.filter(staff=me, session__course=course).values_list(
                "session_id", flat=True
            )
        )
    context = {
        "course": course,
        "sessions": sessions,
        "mine": mine,
        "me": me,
        "required_by": course.required_by.select_related("level"),
    }
    return render(request, "training/course_detail.html", context)


@login_required
def session_list(request):
    qs = selectors.session_list()
    status = request.GET.get("status", "")
    if status in TrainingSession.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-start", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    me = staff_of(request.user)
    mine = set()
    if me is not None:
        mine = set(
            Enrolment.objects.filter(staff=me, session__in=list(page)).values_list(
                "session_id", flat=True
            )
        )
    context = {
        "page": page,
        "status": status,
        "statuses": TrainingSession.Status.choices,
        "mine": mine,
        "me": me,
        "is_office": is_office(request.user),
    }
    return render(request, "training/session_list.html", context)


@login_required
def session_form(request, pk: int | None = None):
    require_office_page(request.user)
    session = get_object_or_404(TrainingSession, pk=pk) if pk else None
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = services.session_save(actor=request.user, session=session, **data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Session saved."))
            return redirect("training:session-detail", pk=saved.pk)
    return render(request, "training/session_form.html", {"form": form, "session": session})


@login_required
def session_detail(request, pk: int):
    session = get_object_or_404(selectors.session_list(), pk=pk)
    office = is_office(request.user)
    enrolments = selectors.enrolment_list(user=request.user, session=session).order_by(
        "staff__employee_no"
    )
    me = staff_of(request.user)
    context = {
        "session": session,
        "enrolments": enrolments,
        "seats_left": max(session.capacity - session.enrolled_count, 0),
        "is_office": office,
        "me": me,
        "my_enrolment": Enrolment.objects.filter(session=session, staff=me).first() if me else None,
        "enrol_form": EnrolForm(),
    }
    return render(request, "training/session_detail.html", context)


@login_required
@require_POST
def session_enrol(request, pk: int):
    session = get_object_or_404(TrainingSession, pk=pk)
    if "employee_no" in request.POST:
        form = EnrolForm(request.POST)
        staff = None
        if form.is_valid():
            staff = (
                visible_staff(request.user)
                .filter(employee_no=form.cleaned_data["employee_no"].strip())
                .first()
            )
        if staff is None:
            messages.error(request, _("No staff member with this employee number."))
            return redirect("training:session-detail", pk=pk)
    else:
        staff = staff_of(request.user)
        if staff is None:
            messages.error(request, _("Your account is not linked to a staff record."))
            return redirect("training:session-detail", pk=pk)
    try:
        services.session_enrol(actor=request.user, session=session, staff=staff)
        messages.success(request, _("%(name)s is enrolled.") % {"name": staff.name})
    except DomainError as exc:
        show_error(request, exc)
    return redirect("training:session-detail", pk=pk)


@login_required
@require_POST
def session_withdraw(request, pk: int, enrolment_pk: int):
    enrolment = get_object_or_404(
        selectors.enrolment_list(user=request.user).filter(session_id=pk), pk=enrolment_pk
    )
    try:
        services.enrolment_withdraw(actor=request.user, enrolment=enrolment)
        messages.success(request, _("Enrolment withdrawn."))
    except DomainError as exc:
        show_error(request, exc)
    return redirect("training:session-detail", pk=pk)


@login_required
@require_POST
def session_results(request, pk: int):
    """Attendance and scores of every enrolment, from the table on the session page."""
    require_office_page(request.user)
    session = get_object_or_404(TrainingSession, pk=pk)
    results = []
    for enrolment in session.enrolments.all():
        score_text = request.POST.get(f"score_{enrolment.pk}", "").strip()
        try:
            score = Decimal(score_text) if score_text else None
        except InvalidOperation:
            messages.error(request, _("“%(value)s” is not a score.") % {"value": score_text})
            return redirect("training:session-detail", pk=pk)
        results.append(
            {
                "staff": enrolment.staff_id,
                "attended": request.POST.get(f"attended_{enrolment.pk}") == "on",
                "score": score,
            }
        )
    try:
        services.session_results_record(actor=request.user, session=session, results=results)
        messages.success(request, _("Attendance and scores saved."))
    except DomainError as exc:
        show_error(request, exc)
    return redirect("training:session-detail", pk=pk)


@login_required
@require_POST
def session_complete(request, pk: int):
    require_office_page(request.user)
    session = get_object_or_404(TrainingSession, pk=pk)
    try:
        written = services.session_complete(actor=request.user, session=session)
        messages.success(
            request,
            _("Session completed: %(n)s training records written.") % {"n": written},
        )
    except DomainError as exc:
        show_error(request, exc)
    return redirect("training:session-detail", pk=pk)


@login_required
@require_POST
def session_cancel(request, pk: int):
    require_office_page(request.user)
    session = get_object_or_404(TrainingSession, pk=pk)
    try:
        services.session_cancel(
            actor=request.user, session=session, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Session cancelled."))
    except DomainError as exc:
        show_error(request, exc)
    return redirect("training:session-detail", pk=pk)
