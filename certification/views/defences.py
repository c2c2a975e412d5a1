"""The office's defence calendar of a cycle (述职答辩): the days with their slots, the
candidates still without a slot with a form to schedule each, move and cancel; and the
``.ics`` download of one defence for its candidate, its panel members and the office."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import clock
from core.errors import DomainError
from core.labels import name_people, person_name
from core.roles import require_office_page

from .. import defence_ics, selectors, services
from ..forms import DefenceForm
from ..models import Application, Cycle, Defence, Panel
from ..services.defences import SCHEDULABLE_CYCLE

MAX_DAYS = 62


def _days(defences: list[Defence], start: dt.date | None) -> list[dt.date]:
    """The calendar's days: from ``start`` (default: today or the first defence, whichever is
    earlier) for two weeks, or to the last defence (at most ``MAX_DAYS``)."""
    dates = [timezone.localtime(d.starts_at).date() for d in defences]
    today = clock.today()
    first = start or min([today, *dates])
    last = max([first + dt.timedelta(days=13), *[d for d in dates if d >= first]])
    last = min(last, first + dt.timedelta(days=MAX_DAYS - 1))
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _initial(defence: Defence | None) -> dict:
    minutes = int(settings.DEFENCE_DEFAULT_MINUTES)
    if defence is None or defence.cancelled:
        return {"minutes": minutes}
    start = timezone.localtime(defence.starts_at)
    return {
        "date": start.date(),
        "start": start.time().replace(second=0, microsecond=0),
        "minutes": int((defence.ends_at - defence.starts_at).total_seconds() // 60),
        "place": defence.place,
        "video_url": defence.video_url,
        "note": defence.note,
    }


def _post(request, cycle: Cycle) -> tuple[int | None, DefenceForm | None, str]:
    """Run the posted action; ``(application id, form, error)`` when it was refused."""
    action = request.POST.get("action", "")
    if action == "cancel":
        defence = get_object_or_404(
            Defence, pk=request.POST.get("defence") or 0, application__cycle=cycle
        )
        try:
            services.defence_cancel(
                actor=request.user, defence=defence, reason=request.POST.get("reason", "")[:2000]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The defence was cancelled; the attendees are told."))
        return None, None, ""
    app_id = request.POST.get("application", "")
    app = get_object_or_404(
        Application, pk=int(app_id) if app_id.isdigit() and len(app_id) < 18 else 0, cycle=cycle
    )
    form = DefenceForm(request.POST, prefix=f"a{app.pk}")
    if not form.is_valid():
        return app.pk, form, str(_("Check the fields of the slot."))
    starts_at, ends_at = form.slot()
    try:
        services.defence_schedule(
            actor=request.user,
            application=app,
            starts_at=starts_at,
            ends_at=ends_at,
            place=form.cleaned_data["place"],
            video_url=form.cleaned_data["video_url"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        return app.pk, form, exc.message
    messages.success(request, _("The defence was scheduled; the attendees are told."))
    return None, None, ""


@login_required
def cycle_defences(request, pk: int):
    """The office's calendar of the cycle's defences (a constant number of queries)."""
    require_office_page(request.user)
    cycle = get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)
    failed_app, failed_form, failed_error = None, None, ""
    if request.method == "POST":
        failed_app, failed_form, failed_error = _post(request, cycle)
        if failed_app is None:
            return redirect("certification:cycle-defences", pk=cycle.pk)
    in_order = Prefetch("members", queryset=get_user_model().objects.order_by("pk"))
    panels = {p.level_id: p for p in Panel.objects.filter(cycle=cycle).prefetch_related(in_order)}
    name_people([m for p in panels.values() for m in p.members.all()])  # one query
    candidates = list(
        Application.objects.filter(cycle=cycle, status=Application.Status.QUALIFIED)
        .select_related("staff", "target_level")
        .order_by("target_level__order", "staff__employee_no")
    )
    defences = {
        d.application_id: d
        for d in Defence.objects.filter(application__cycle=cycle).select_related(
            "application__staff", "application__target_level"
        )
    }
    active = sorted(
        (d for d in defences.values() if not d.cancelled), key=lambda d: (d.starts_at, d.pk)
    )
    start = None
    raw = request.GET.get("start", "")
    if raw:
        try:
            start = dt.date.fromisoformat(raw[:10])
        except ValueError:
            start = None
    days = _days(active, start)
    by_day: dict[dt.date, list] = {day: [] for day in days}
    editable = cycle.status in SCHEDULABLE_CYCLE

    def row_of(app, defence):
        panel = panels.get(app.target_level_id)
        form = (
            failed_form
            if app.pk == failed_app
            else DefenceForm(initial=_initial(defence), prefix=f"a{app.pk}")
        )
        return {
            "app": app,
            "defence": defence,
            "panel": panel,
            "members": [person_name(m) for m in (panel.members.all() if panel else [])],
            "form": form if editable else None,
            "error": failed_error if app.pk == failed_app else "",
        }

    for d in active:
        local = timezone.localtime(d.starts_at)
        if local.date() in by_day:
            by_day[local.date()].append(
                {**row_of(d.application, d), "start": local, "end": timezone.localtime(d.ends_at)}
            )
    scheduled_ids = {d.application_id for d in active}
    unscheduled = [row_of(a, defences.get(a.pk)) for a in candidates if a.pk not in scheduled_ids]
    outside = [d for d in active if timezone.localtime(d.starts_at).date() not in by_day]
    return render(
        request,
        "certification/cycle_defences.html",
        {
            "cycle": cycle,
            "days": [(day, by_day[day]) for day in days],
            "unscheduled": unscheduled,
            "outside": outside,
            "editable": editable,
            "previous": days[0] - dt.timedelta(days=14),
            "next": days[0] + dt.timedelta(days=14),
            "default_minutes": int(settings.DEFENCE_DEFAULT_MINUTES),
        },
        status=400 if failed_app is not None else 200,
    )


@login_required
def defence_ics_download(request, pk: int):
    """The defence's invitation, for its candidate, its panel members and the office (404 for
    anyone else); a cancelled defence gives its cancellation."""
    defence = selectors.defence_list(user=request.user).filter(pk=pk).first()
    if defence is None:
        raise Http404
    app = defence.application
    panel = Panel.objects.filter(cycle_id=app.cycle_id, level_id=app.target_level_id).first()
    members = list(panel.members.select_related("staff").order_by("pk")) if panel else []
    text = defence_ics.build(
        defence,
        candidate_user=app.staff.user if app.staff.user_id else None,
        members=members,
        cancelled=defence.cancelled,
    )
    response = HttpResponse(text, content_type=defence_ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{defence_ics.filename_of(defence)}"'
    return response
