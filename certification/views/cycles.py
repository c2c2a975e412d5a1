"""The cycle list (everyone) and the cycle board: the account manager's apply and objection,
the office's transitions, qualification in bulk, panels and objections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import audit, clock
from core.errors import DomainError
from core.listing import Listing
from core.roles import is_office, require_office_page
from core.xlsx import Column, write_table, xlsx_response
from letters.services import letters_issue_job
from org.filters import unit_filter
from org.models import Staff
from org.scope import staff_of

from .. import eligibility, selectors, services
from ..actions import cycle_actions, cycle_steps
from ..models import (
    Application,
    Cycle,
    Objection,
    Panel,
)
from ..results import cycle_results
from .common import _run

A = Application.Status


@login_required
def cycle_list(request):
    cycles = selectors.cycle_list(user=request.user).annotate(
        n_applications=Count("applications", filter=~Q(applications__status=A.WITHDRAWN)),
        n_candidates=Count("applications", filter=Q(applications__status=A.QUALIFIED)),
    )
    me = staff_of(request.user)
    mine = {}
    if me is not None:
        mine = {
            a.cycle_id: a for a in Application.objects.filter(staff=me).exclude(status=A.WITHDRAWN)
        }
    rows = [(c, mine.get(c.pk)) for c in cycles]
    return render(
        request,
        "certification/cycle_list.html",
        {"rows": rows, "office": is_office(request.user)},
    )


BOARD_SORTS = {
    "employee_no": ("staff__employee_no",),
    "name": ("staff__name", "staff__employee_no"),
    "unit": ("staff__unit__path", "staff__employee_no"),
    "level": ("target_level__order", "staff__employee_no"),
    "status": ("status", "staff__employee_no"),
    "eligible": ("eligible", "staff__employee_no"),
    "materials": ("materials_count", "staff__employee_no"),
}


def _board_filtered(request, cycle):
    """The cycle board's applications with the reader's filters: status, target level, org
    unit (with its sub-units) and search."""
    apps = selectors.application_list(user=request.user).filter(cycle=cycle)
    status = request.GET.get("status", "")
    if status in A.values:
        apps = apps.filter(status=status)
    else:
        status = ""
    level = request.GET.get("level", "")
    if level.isdigit() and len(level) < 18:
        apps = apps.filter(target_level_id=level)
    else:
        level = ""
    units = unit_filter(request)
    apps = units.apply(apps, field="staff__unit")
    q = (request.GET.get("q") or "").strip()
    if q:
        apps = apps.filter(
            Q(staff__name__icontains=q)
            | Q(staff__employee_no__icontains=q)
            | Q(staff__name_initials__istartswith=q)
        )
    return apps, {"status": status, "level": level, "units": units, "q": q}


@login_required
def cycle_board_export(request, pk: int):
    """The cycle board's applications as filtered and sorted on the page, as XLSX."""
    cycle = get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)
    if not selectors.sees_all(user=request.user):  # the board: the office and the leadership
        raise PermissionDenied
    apps, _filters = _board_filtered(request, cycle)
    listing = Listing(request, apps, sorts=BOARD_SORTS, default="level")
    statuses = dict(A.choices)
    yes, no = gettext("yes"), gettext("no")
    columns = [
        Column(gettext("Employee number"), 14),
        Column(pgettext("person", "Name"), 12),
        Column(gettext("Org unit"), 28),
        Column(gettext("Target level"), 12),
        Column(gettext("Status"), 14),
        Column(gettext("Eligible"), 10),
        Column(gettext("Materials"), 10),
    ]
    rows = (
        (
            a.staff.employee_no,
            a.staff.name,
            a.staff.unit.display_path,
            a.target_level.code,
            str(statuses.get(a.status, a.status)),
            "" if a.eligible is None else (yes if a.eligible else no),
            a.materials_count,
        )
        for a in listing.queryset.iterator(chunk_size=2000)
    )
    name = f"cycle-{cycle.pk}-applications-{clock.today():%Y%m%d}.xlsx"
    book = write_table(title=gettext("Applications"), columns=columns, rows=rows)
    return xlsx_response(request, file=book, filename=name)


@login_required
def cycle_detail(request, pk: int):
    cycle = get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)
    errors = _my_form_errors(request) if request.method == "POST" else {}
    if request.method == "POST" and not errors:
        return _cycle_post(request, cycle)
    me = staff_of(request.user)
    rights = selectors.cycle_rights(user=request.user, cycle=cycle, is_staff=me is not None)
    office = rights.office
    ctx: dict = {"cycle": cycle, "office": office, "offers": list(cycle.offers.all())}
    ctx["dimensions"] = list(cycle.dimensions.all())
    if me is not None:
        staff = Staff.objects.select_related("level", "track").get(pk=me.pk)
        ctx["my_application"] = (
            Application.objects.filter(cycle=cycle, staff=staff)
            .exclude(status=A.WITHDRAWN)
            .select_related("target_level")
            .first()
        )
        target = eligibility.next_level(staff)
        ctx["my_target"] = target
        if target is not None and staff.track_id == cycle.track_id:
            ctx["my_eligibility"] = eligibility.evaluate(staff, target, cycle.eval_date)
            ctx["can_apply"] = selectors.may_apply(
                cycle=cycle,
                target_level_id=target.pk,
                offered_level_ids=[o.level_id for o in ctx["offers"]],
                has_application=ctx["my_application"] is not None,
            )
    published = rights.published
    if rights.oversees:
        apps, board_filters = _board_filtered(request, cycle)
        status_filter = board_filters["status"]
        ctx["board"] = board_filters
        ctx["can_decide"] = rights.can_decide
        listing = Listing(request, apps, sorts=BOARD_SORTS, default="level")
        ctx["listing"] = listing
        ctx["page"] = listing.page
        ctx["applications"] = list(listing.page)
        for a in ctx["applications"]:
            a.evaluation = eligibility.Evaluation.from_snapshot(a.eligibility)
        counts = dict(
            Application.objects.filter(cycle=cycle)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        ctx["status_rows"] = [(value, label, counts.get(value, 0)) for value, label in A.choices]
        ctx["status_filter"] = status_filter or ""
        if cycle.status != Cycle.Status.DRAFT:
            ctx["results"] = cycle_results(cycle) if cycle.status != Cycle.Status.OPEN else []
        ctx["panels"] = list(
            Panel.objects.filter(cycle=cycle)
            .select_related("level", "chair")
            .annotate(n_members=Count("members"))
        )
        ctx["objections"] = list(
            Objection.objects.filter(application__cycle=cycle).select_related(
                "application__staff", "application__target_level", "filed_by"
            )
        )
        open_objections = sum(1 for o in ctx["objections"] if o.status == Objection.Status.OPEN)
        ctx["actions"] = cycle_actions(
            user=request.user,
            cycle=cycle,
            status_counts=counts,
            results=ctx.get("results"),
            open_objections=open_objections,
        )
        ctx["transitions"] = [a.name for a in ctx["actions"]]
        ctx["approval_list"] = selectors.approval_list(user=request.user, cycle=cycle)
        if rights.may_approve:
            ctx["decision_blocker"] = services.approval_blocker(
                user=request.user, cycle=cycle, open_objections=open_objections
            )
            ctx["may_decide"] = ctx["decision_blocker"] is None
        ctx["steps"] = cycle_steps(cycle=cycle)
        ctx["awaiting_approval"] = rights.awaiting_approval
        ctx["history"] = audit.history(cycle)[:20]
        if cycle.status in (Cycle.Status.APPROVAL, Cycle.Status.CLOSED):
            ctx["letters"] = selectors.cycle_letters(cycle=cycle)
    elif published:
        ctx["results"] = [r for r in cycle_results(cycle) if r.recommended]
    ctx["published"] = published
    # the eligibility overrides are shown to the office and to the leadership group who approve
    ctx["sees_overrides"] = rights.oversees
    ctx["can_object"] = rights.can_object
    # The account manager's apply and objection forms (errors shown next to their fields).
    ctx["errors"], ctx["posted"] = errors, request.POST if errors else {}
    if ctx["can_object"]:
        chosen = request.POST.get("application") or request.GET.get("object") or ""
        ctx["object_choice"] = int(chosen) if chosen.isdigit() and len(chosen) < 18 else None
    if me is not None and published:
        ctx["my_objections"] = list(
            selectors.objection_list(user=request.user)
            .filter(application__cycle=cycle, filed_by=request.user)
            .select_related("application__staff", "application__target_level")
            .order_by("created_at")
        )
    return render(request, "certification/cycle_detail.html", ctx)


def _my_form_errors(request) -> dict:
    """Required fields of the apply and objection forms, checked before any service runs so
    that the page shows the error next to the field (in the user's language)."""
    action = request.POST.get("action", "")
    errors = {}
    if action == "apply" and not request.POST.get("statement", "").strip():
        errors["statement"] = _("Write a statement: why you are ready for the next level.")
    if action == "object":
        if not request.POST.get("application", "").isdigit():
            errors["application"] = _("Choose the result you object to.")
        if not request.POST.get("reason", "").strip():
            errors["reason"] = _("Give the reason for your objection.")
    return errors


def _cycle_post(request, cycle):
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    if action == "apply":
        try:
            app = services.application_create(
                actor=request.user, cycle=cycle, statement=request.POST.get("statement", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("certification:cycle-detail", pk=cycle.pk)
        return redirect("certification:application-detail", pk=app.pk)
    if action in services.CYCLE_TRANSITIONS:
        try:
            services.CYCLE_TRANSITIONS[action][0](actor=request.user, cycle=cycle, reason=reason)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _transition_message(action, cycle))
    elif action == "decide":
        _decide(request, cycle)
    elif action == "bulk":
        _bulk(request, cycle)
    elif action == "object":
        app = (
            selectors.objectable_applications()
            .filter(pk=request.POST.get("application") or 0, cycle=cycle)
            .first()
        )
        if app is None:
            raise Http404
        _run(
            request,
            services.objection_file,
            str(_("Your objection was filed.")),
            application=app,
            reason=reason[:5000],
        )
        return redirect(reverse("certification:cycle-detail", args=[cycle.pk]) + "#my-objections")
    elif action == "resolve":
        objection = get_object_or_404(
            Objection, pk=request.POST.get("objection") or 0, application__cycle=cycle
        )
        verdict = request.POST.get("verdict", "dismiss")
        _run(
            request,
            services.objection_resolve,
            str(_("The objection was resolved.")),
            objection=objection,
            upheld=verdict != "dismiss",
            outcome="reject" if verdict == "reject" else "review",
            reason=reason,
        )
    return redirect("certification:cycle-detail", pk=cycle.pk)


def _transition_message(action: str, cycle: Cycle) -> str:
    """What the transition did, with its counts and dates (read once after it committed)."""
    cycle = Cycle.objects.get(pk=cycle.pk)
    if action == "publish":
        n = Application.objects.filter(cycle=cycle, recommended=True).count()
        return ngettext(
            "Published: %(n)s recommended candidate, in publicity until %(end)s.",
            "Published: %(n)s recommended candidates, in publicity until %(end)s.",
            n,
        ) % {"n": n, "end": cycle.publicity_end.isoformat() if cycle.publicity_end else "—"}
    if action in ("approve", "close"):
        counts = dict(
            Application.objects.filter(cycle=cycle, status__in=(A.PROMOTED, A.NOT_PROMOTED))
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        figures = {"n": counts.get(A.PROMOTED, 0), "m": counts.get(A.NOT_PROMOTED, 0)}
        if action == "approve":
            start = cycle.appointment_start or cycle.approved_on
            return _(
                "Approved: %(n)s candidate(s) appointed from %(start)s, %(m)s not appointed."
            ) % {**figures, "start": start.isoformat() if start else "—"}
        return _("Cycle closed: %(n)s promoted, %(m)s not promoted.") % figures
    return str(_("Done: the cycle is now %(state)s.") % {"state": cycle.get_status_display()})


def _decide(request, cycle) -> None:
    """The leadership group approves or returns one candidate of the approval list."""
    chosen = request.POST.get("application", "")
    app = get_object_or_404(
        selectors.application_list(user=request.user),
        pk=int(chosen) if chosen.isdigit() and len(chosen) < 18 else 0,
        cycle=cycle,
    )
    approve = request.POST.get("decision") == "approve"
    comment = request.POST.get("comment", "")[:2000]
    try:
        services.application_leadership_decide(
            actor=request.user, application=app, approve=approve, comment=comment
        )
    except DomainError as exc:
        messages.error(request, f"{app.staff.name}: {exc.message}")
        return
    if approve:
        messages.success(request, _("%(name)s approved.") % {"name": app.staff.name})
    else:
        messages.success(
            request,
            _("%(name)s returned: %(comment)s") % {"name": app.staff.name, "comment": comment},
        )


def _bulk(request, cycle) -> None:
    """Qualify (all four checks confirmed once for the batch), return or reject the selected
    submitted applications — each through its own service call, so each is audited.
    Qualifying is all or nothing: an ineligible application needs its own reason
    (``reason-<id>``; the row's own form sends ``reason``), else nothing is qualified and each
    refused row says why."""
    op = request.POST.get("op", "")
    reason = request.POST.get("reason", "")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and len(i) < 18]
    apps = list(Application.objects.filter(cycle=cycle, pk__in=ids).select_related("staff"))
    if op == "qualify" and request.POST.get("confirm") != "on":
        messages.error(request, _("Confirm the four checklist points for the selection."))
        return
    if op == "qualify":
        reasons = {a.pk: request.POST.get(f"reason-{a.pk}", "")[:2000] for a in apps}
        if len(apps) == 1 and not reasons[apps[0].pk].strip():
            reasons[apps[0].pk] = reason[:2000]
        try:
            services.applications_qualify(actor=request.user, applications=apps, reasons=reasons)
        except DomainError as exc:
            messages.error(request, exc.message)
            names = {str(a.pk): a.staff.name for a in apps}
            for pk, line in (exc.details.get("rows") or {}).items():
                messages.error(request, f"{names.get(pk, pk)}: {line}")
            return
        if apps:
            messages.success(
                request,
                ngettext(
                    "%(n)s application qualified for the committee review.",
                    "%(n)s applications qualified for the committee review.",
                    len(apps),
                )
                % {"n": len(apps)},
            )
        return
    done, failed = 0, []
    for app in apps:
        try:
            if op == "return":
                services.application_return(actor=request.user, application=app, reason=reason)
            elif op == "reject":
                services.application_reject(actor=request.user, application=app, reason=reason)
            else:
                continue
            done += 1
        except DomainError as exc:
            failed.append(f"{app.staff.name}: {exc.message}")
    if done:
        messages.success(request, _("%(n)s application(s) done.") % {"n": done})
    for line in failed:
        messages.error(request, line)


@login_required
@require_POST
def cycle_letters(request, pk: int):
    """The office issues the appointment letters of every promotion of the cycle as one
    background job (letters already issued are not issued twice) and follows its progress."""
    require_office_page(request.user)
    cycle = get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)
    ids = selectors.promoted_appointment_ids(cycle=cycle)
    if cycle.status not in (Cycle.Status.APPROVAL, Cycle.Status.CLOSED) or not ids:
        messages.error(request, _("Letters are issued once the cycle is approved."))
    elif (pending := selectors.pending_letters_job(appointment_ids=ids)) is not None:
        return redirect(pending.get_absolute_url())
    else:
        try:
            job = letters_issue_job(actor=request.user, appointment_ids=ids, kind="promotion")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect(job.get_absolute_url())
    return redirect("certification:cycle-detail", pk=cycle.pk)
