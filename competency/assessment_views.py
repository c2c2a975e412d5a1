"""Pages: assessment rounds, assessments, the rating form and the staff competency profile.

Scope: an assessment page is found only within ``org.scope`` (404 otherwise); the rating page
also answers invited raters. The rated person never sees who the peer raters are.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.downloads import Kind as DownloadKind
from core.downloads import download_record
from core.errors import DomainError
from core.pdf import html_to_pdf
from core.roles import is_office, require_office_page
from org.models import Staff
from org.scope import get_visible_staff_or_404, staff_of

from . import assessments as svc
from . import charts, selectors
from .forms import RaterInviteForm, RoundForm
from .models import (
    Assessment,
    AssessmentResult,
    AssessmentRound,
    ProficiencyLevel,
    Rater,
    RaterType,
)

PAGE_SIZE = 50


# --- rounds -----------------------------------------------------------------------------------


@login_required
def round_list(request):
    require_office_page(request.user)
    page = Paginator(selectors.round_list().order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "competency/round_list.html", {"page": page, "form": RoundForm()})


@login_required
@require_POST
def round_create(request):
    require_office_page(request.user)
    form = RoundForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "competency/round_list.html",
            {"page": Paginator(selectors.round_list(), PAGE_SIZE).get_page(1), "form": form},
        )
    data = form.cleaned_data
    staff = Staff.objects.filter(
        unit__path__startswith=data["unit"].path,
        track_id=data["model"].track_id,
        status=Staff.Status.ACTIVE,
        level__isnull=False,
    )
    if data["level"]:
        staff = staff.filter(level=data["level"])
    try:
        round_ = svc.round_create(
            actor=request.user,
            model=data["model"],
            name=data["name"],
            staff=list(staff),
            due_date=data["due_date"],
            weights={t: data[f"weight_{t}"] for t in ("manager", "peer", "expert", "self")},
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("competency:round-list")
    return redirect("competency:round-detail", pk=round_.pk)


@login_required
def round_detail(request, pk: int):
    require_office_page(request.user)
    round_ = get_object_or_404(selectors.round_list(), pk=pk)
    qs = (
        round_.assessments.select_related("staff", "level", "staff__unit")
        .prefetch_related("raters")
        .order_by("staff__employee_no")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "competency/round_detail.html", {"round": round_, "page": page})


@login_required
@require_POST
def round_action(request, pk: int, action: str):
    require_office_page(request.user)
    round_ = get_object_or_404(AssessmentRound, pk=pk)
    try:
        if action == "finalize":
            n = svc.round_finalize(actor=request.user, round=round_)
            messages.success(request, _("%(n)s assessment(s) finalized.") % {"n": n})
        elif action == "close":
            svc.round_close(
                actor=request.user, round=round_, reason=request.POST.get("reason", "")[:2000]
            )
            messages.success(request, _("The round is closed."))
        else:
            raise PermissionDenied
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("competency:round-detail", pk=pk)


# --- assessments ------------------------------------------------------------------------------


@login_required
def assessment_list(request):
    """My pending ratings, then the assessments I may see."""
    qs = selectors.assessment_list(user=request.user).order_by("-id")
    status = request.GET.get("status")
    if status in Assessment.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "competency/assessment_list.html",
        {
            "pending": selectors.pending_ratings(user=request.user)[:100],
            "page": page,
            "status": status or "",
            "statuses": Assessment.Status.choices,
            "is_office": is_office(request.user),
        },
    )


def _assessment_in_scope(request, pk: int) -> Assessment:
    return get_object_or_404(selectors.assessment_list(user=request.user), pk=pk)


@login_required
def assessment_detail(request, pk: int):
    assessment = _assessment_in_scope(request, pk)
    user = request.user
    raters = [
        {
            "rater": r,
            "visible": selectors.sees_rater_identity(
                user=user, assessment=assessment, rater_type=r.rater_type
            ),
        }
        for r in assessment.raters.select_related("user__staff").order_by("rater_type", "id")
    ]
    ratings = [
        {
            "rating": r,
            "visible": selectors.sees_rater_identity(
                user=user, assessment=assessment, rater_type=r.rater.rater_type
            ),
        }
        for r in selectors.ratings_for(user=user, assessment=assessment).select_related(
            "rater__user__staff"
        )
    ]
    results = AssessmentResult.objects.filter(assessment=assessment).select_related("competency")
    can_manage = svc.can_manage(user, assessment.staff) and assessment.status == "open"
    my_rater = Rater.objects.filter(assessment=assessment, user=user).first()
    return render(
        request,
        "competency/assessment_detail.html",
        {
            "assessment": assessment,
            "raters": raters,
            "ratings": ratings,
            "results": results,
            "can_manage": can_manage,
            "invite_form": RaterInviteForm() if can_manage else None,
            "my_rater": my_rater,
            "is_rated_person": selectors.is_rated_person(user=user, assessment=assessment),
        },
    )


@login_required
@require_POST
def assessment_action(request, pk: int, action: str):
    assessment = _assessment_in_scope(request, pk)
    try:
        if action == "finalize":
            svc.assessment_finalize(actor=request.user, assessment=assessment)
            messages.success(request, _("The assessment is finalized."))
        elif action == "cancel":
            svc.assessment_cancel(
                actor=request.user,
                assessment=assessment,
                reason=request.POST.get("reason", "")[:2000],
            )
            messages.success(request, _("The assessment is cancelled."))
        elif action == "invite":
            form = RaterInviteForm(request.POST)
            if form.is_valid():
                svc.rater_invite(
                    actor=request.user,
                    assessment=assessment,
                    user=form.cleaned_data["user"],
                    rater_type=form.cleaned_data["rater_type"],
                )
                messages.success(request, _("The rater is invited."))
            else:
                messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        else:
            raise PermissionDenied
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("competency:assessment-detail", pk=pk)


@login_required
def rate(request, pk: int):
    """The rating form: every competency of the model, a level (with its behaviour anchor) and
    the evidence, all saved at once."""
    assessment = get_object_or_404(selectors.rateable_assessments(user=request.user), pk=pk)
    rater = Rater.objects.filter(assessment=assessment, user=request.user).first()
    rater_type = (
        rater.rater_type if rater else svc.implicit_rater_type(request.user, assessment.staff)
    )
    if rater_type is None:
        raise Http404
    competencies = list(
        assessment.model.competencies.prefetch_related(
            Prefetch("levels", queryset=ProficiencyLevel.objects.order_by("level"))
        ).order_by("order", "code")
    )
    existing = {r.competency_id: r for r in rater.ratings.all()} if rater else {}
    errors: dict[int, str] = {}
    values: dict[int, dict] = {
        c.pk: {
            "level": existing[c.pk].level if c.pk in existing else None,
            "evidence": existing[c.pk].evidence if c.pk in existing else "",
        }
        for c in competencies
    }
    if request.method == "POST":
        entries = []
        for c in competencies:
            raw = request.POST.get(f"level-{c.pk}", "")
            evidence = request.POST.get(f"evidence-{c.pk}", "").strip()[:5000]
            level = int(raw) if raw.isdigit() else None
            values[c.pk] = {"level": level, "evidence": evidence}
            if level is None and not evidence:
                continue  # left for later
            if level is None or not 1 <= level <= assessment.model.scale_max:
                errors[c.pk] = _("Choose a level.")
            elif not evidence:
                errors[c.pk] = _("Give the evidence (an observed example).")
            else:
                entries.append({"competency": c, "level": level, "evidence": evidence})
        if not errors and entries:
            try:
                svc.ratings_save(
                    actor=request.user,
                    assessment=assessment,
                    rater_type=rater_type,
                    entries=entries,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                left = len(competencies) - len({*existing, *(e["competency"].pk for e in entries)})
                if left:
                    messages.info(
                        request, _("Saved. %(n)s competencies still to rate.") % {"n": left}
                    )
                else:
                    messages.success(request, _("Saved. You have rated every competency."))
                return redirect("competency:assessment-list")
    rows = [
        {
            "competency": c,
            "value": values[c.pk],
            "error": errors.get(c.pk),
            "levels": list(c.levels.all()),
        }
        for c in competencies
    ]
    return render(
        request,
        "competency/rate.html",
        {
            "assessment": assessment,
            "rater_type": rater_type,
            "rater_type_label": RaterType(rater_type).label,
            "rows": rows,
            "scale": list(assessment.model.scale),
            "open": assessment.status == Assessment.Status.OPEN,
        },
    )


# --- profile ----------------------------------------------------------------------------------


def profile_context(staff: Staff) -> dict:
    profile = selectors.competency_profile(staff=staff)
    assessment = profile["assessment"]
    scale_max = assessment.model.scale_max if assessment else 5
    items = profile["items"]
    radar = charts.radar(
        [(i["competency"].display_name, i["required"], i["actual"]) for i in items],
        scale_max=scale_max,
    )
    history = selectors.history(staff=staff)
    trend = charts.trend(
        [
            (a.finalized_on.strftime("%Y-%m") if a.finalized_on else "", a.index)
            for a in history
            if a.index is not None
        ]
    )
    return {
        "staff": staff,
        "profile": profile,
        "items": items,
        "assessment": assessment,
        "radar": radar,
        "gaps": selectors.gaps_with_courses(profile=profile),
        "history": list(reversed(history)),
        "trend": trend,
    }


@login_required
def profile(request, pk: int):
    staff = get_visible_staff_or_404(request.user, pk)
    staff = Staff.objects.select_related("level", "unit", "track").get(pk=staff.pk)
    return render(request, "competency/profile.html", profile_context(staff))


@login_required
def profile_pdf(request, pk: int):
    """The same profile (radar chart included) as a PDF, rendered with WeasyPrint."""
    staff = get_visible_staff_or_404(request.user, pk)
    staff = Staff.objects.select_related("level", "unit", "track").get(pk=staff.pk)
    context = {**profile_context(staff), "generated": clock.localtime()}
    html = render_to_string("competency/profile_pdf.html", context, request=request)
    pdf = html_to_pdf(html)  # only the project's own files, never a URL from the content
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="competency-{staff.employee_no}.pdf"'
    download_record(request=request, kind=DownloadKind.PROFILE, obj=staff)
    return response


@login_required
def my_profile(request):
    me = staff_of(request.user)
    if me is None:
        raise Http404
    return redirect("competency:profile", pk=me.pk)
