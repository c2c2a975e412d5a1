"""The assessment-profile page: the employee chooses the year's profile of their level's
framework; the line manager (or HR) approves or refuses (with a reason) the team's pending
choices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core import clock
from core.errors import DomainError
from core.roles import Role, has_role, is_office
from org.scope import scope_by_staff, staff_of

from . import services
from .appraisal_views import _errors
from .models import AssessmentProfile, ProfileChoice


def _year(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else clock.today().year


@login_required
def profiles(request):
    year = _year(request)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action in ("approve", "refuse"):
                choice = get_object_or_404(
                    scope_by_staff(ProfileChoice.objects.all(), request.user),
                    pk=request.POST.get("choice") or 0,
                )
                if action == "approve":
                    services.profile_approve(actor=request.user, choice=choice)
                    messages.success(request, _("Profile approved."))
                else:
                    services.profile_refuse(
                        actor=request.user, choice=choice, reason=request.POST.get("reason", "")
                    )
                    messages.success(request, _("Profile refused; the employee chooses again."))
            else:
                profile = get_object_or_404(AssessmentProfile, pk=request.POST.get("profile") or 0)
                services.profile_choose(actor=request.user, profile=profile, year=year)
                messages.success(request, _("Profile chosen; your line manager approves it."))
        except (DomainError, ValidationError) as exc:
            _errors(request, exc)
        return redirect(f"{request.path}?year={year}")
    me = staff_of(request.user)
    mine = (
        ProfileChoice.objects.filter(staff=me, year=year).select_related("profile").first()
        if me
        else None
    )
    offered = (
        list(
            AssessmentProfile.objects.filter(framework__level_id=me.level_id)
            .select_related("framework__level")
            .prefetch_related("items__indicator")
            .order_by("framework__period_type", "name")
        )
        if me and me.level_id
        else []
    )
    pending = []
    if has_role(request.user, Role.MANAGER) or is_office(request.user):
        pending = list(
            scope_by_staff(ProfileChoice.objects.all(), request.user)
            .filter(year=year, status=ProfileChoice.Status.PENDING)
            .exclude(staff=me)
            .select_related("staff", "profile")
            .order_by("staff__employee_no")
        )
    return render(
        request,
        "kpi/profiles.html",
        {"year": year, "mine": mine, "offered": offered, "pending": pending},
    )
