"""The office's set-up pages: a new cycle (with defaults from the track's last cycle) and the
panels of a cycle with their members and the conflicts of interest of each candidate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.arithmetic import quorum
from committee.panels import min_panel_size
from core import clock
from core.errors import DomainError
from core.roles import require_office_page
from core.workdays import calendar_exceptions, year_known
from org.models import Level, Track

from .. import selectors, services
from ..conflicts import recusals
from ..forms import (
    CycleForm,
    DimensionFormSet,
    OfferForm,
    PanelForm,
    committee_users,
    unit_label,
)
from ..models import Application, Cycle, DeclaredConflict, Panel

STANDARD_DIMENSIONS = [
    ("performance", gettext_lazy("Work performance"), "kpi", Decimal(40)),
    ("training", gettext_lazy("Training and development"), "training", Decimal(20)),
    ("competency", gettext_lazy("Competency assessment"), "competency", Decimal(20)),
    ("defence", gettext_lazy("Defence"), "committee", Decimal(20)),
]


def _defaults(track: Track) -> tuple[list[dict], dict[int, dict]]:
    """The scoring sheet and offers of the track's latest cycle, else the standard sheet."""
    last = Cycle.objects.filter(track=track).order_by("-window_start", "-id").first()
    dims = []
    offers = {}
    if last is not None:
        dims = [
            {
                "code": d.code,
                "name": d.name,
                "source": d.source,
                "weight": d.weight,
                "max_score": d.max_score,
            }
            for d in last.dimensions.all()
        ]
        offers = {
            o.level_id: {"offered": True, "quota": o.quota, "pass_line": o.pass_line}
            for o in last.offers.all()
        }
    if not dims:
        dims = [
            {"code": c, "name": str(n), "source": s, "weight": w, "max_score": Decimal(100)}
            for c, n, s, w in STANDARD_DIMENSIONS
        ]
    return dims, offers


@login_required
def cycle_create(request):
    """A new draft cycle: track, name, window, offers with quotas, the scoring sheet."""
    require_office_page(request.user)
    tracks = list(Track.objects.order_by("code"))
    wanted = request.POST.get("track") or request.GET.get("track") or ""
    track = next((t for t in tracks if str(t.pk) == wanted), tracks[0] if tracks else None)
    if track is None:
        raise PermissionDenied
    levels = list(Level.objects.filter(track=track, order__gt=1).order_by("order"))
    dim_defaults, offer_defaults = _defaults(track)
    bound = request.method == "POST"
    data = request.POST if bound else None
    form = CycleForm(data, initial={"publicity_days": 5, "same_unit_conflict": True})
    offer_forms = [
        OfferForm(
            data,
            prefix=f"offer-{lv.pk}",
            level=lv,
            initial=offer_defaults.get(lv.pk, {"quota": 1, "pass_line": Decimal(60)}),
        )
        for lv in levels
    ]
    dim_forms = DimensionFormSet(data, prefix="dim", initial=dim_defaults)
    offers_error = ""
    if bound:
        valid = all([form.is_valid(), dim_forms.is_valid()] + [f.is_valid() for f in offer_forms])
        offers = [
            {
                "level": f.level,
                "quota": f.cleaned_data["quota"],
                "pass_line": f.cleaned_data["pass_line"],
            }
            for f in offer_forms
            if f.is_valid() and f.cleaned_data.get("offered")
        ]
        if valid and not offers:
            offers_error = _("Offer at least one level.")
            valid = False
        if valid:
            try:
                cycle = services.cycle_create(
                    actor=request.user,
                    track=track,
                    offers=offers,
                    dimensions=dim_forms.dimensions(),
                    **form.cleaned_data,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("The cycle was created as a draft. Check it, then open applications."),
                )
                return redirect("certification:cycle-detail", pk=cycle.pk)
        else:
            messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "certification/cycle_form.html",
        {
            "form": form,
            "tracks": tracks,
            "track": track,
            "offer_forms": offer_forms,
            "offers_error": offers_error,
            "dim_forms": dim_forms,
        },
    )


@login_required
def cycle_panels(request, pk: int):
    """Panels per offered level (chair and members), and for each candidate of the level the
    members who must not score them (回避), with the reason, and the quorum that results."""
    require_office_page(request.user)
    cycle = get_object_or_404(selectors.cycle_list(user=request.user), pk=pk)
    users = committee_users()
    panels = {
        p.level_id: p
        for p in Panel.objects.filter(cycle=cycle)
        .select_related("chair")
        .prefetch_related("members")
    }
    offers = list(cycle.offers.select_related("level").order_by("level__order"))
    editable = cycle.status not in (
        Cycle.Status.PUBLICITY,
        Cycle.Status.APPROVAL,
        Cycle.Status.CLOSED,
    )
    if request.method == "POST":
        level_id = request.POST.get("level", "")
        offer = next((o for o in offers if str(o.level_id) == level_id), None)
        if offer is None:
            messages.error(request, _("The cycle does not offer this level."))
            return redirect("certification:cycle-panels", pk=cycle.pk)
        form = PanelForm(request.POST, prefix=f"panel-{offer.level_id}", users=users)
        if form.is_valid():
            try:
                services.panel_save(
                    actor=request.user,
                    cycle=cycle,
                    level=offer.level,
                    chair=form.cleaned_data["chair"],
                    members=list(form.cleaned_data["members"]),
                    panel=panels.get(offer.level_id),
                    deadline=form.cleaned_data["deadline"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request, _("The panel for %(level)s was saved.") % {"level": offer.level}
                )
                return redirect(f"{request.path}#panel-{offer.level_id}")
        else:
            messages.error(request, _("Please correct the errors below."))
        forms_by_level = {offer.level_id: form}
    else:
        forms_by_level = {}
    apps = list(
        Application.objects.filter(
            cycle=cycle,
            status__in=(
                Application.Status.SUBMITTED,
                Application.Status.RETURNED,
                Application.Status.QUALIFIED,
                Application.Status.PROMOTED,
                Application.Status.NOT_PROMOTED,
            ),
        )
        .select_related("staff", "staff__unit__parent")
        .order_by("staff__employee_no")
    )
    conflicts = recusals(cycle, apps)
    names = {u.pk: u.panel_label for u in users}
    for p in panels.values():
        for m in p.members.all():
            names.setdefault(m.pk, m.get_username())
    declared = DeclaredConflict.Kind
    min_panel = min_panel_size()
    sections = []
    for offer in offers:
        panel = panels.get(offer.level_id)
        form = forms_by_level.get(offer.level_id) or PanelForm(
            prefix=f"panel-{offer.level_id}",
            users=users,
            initial={
                "chair": panel.chair_id if panel else None,
                "members": [m.pk for m in panel.members.all()] if panel else [],
                "deadline": panel.deadline if panel else None,
            },
        )
        members = sorted(panel.members.all(), key=lambda m: m.username) if panel else []
        rows = []
        for app in (a for a in apps if a.target_level_id == offer.level_id):
            app.unit_label = unit_label(app.staff.unit)
            per_member = conflicts.get(app.pk, {})
            recused = [
                (names.get(m.pk, m.get_username()), [_kind_label(k, declared) for k in kinds])
                for m in members
                if (kinds := per_member.get(m.pk))
            ]
            scorers = len(members) - len(recused)
            rows.append(
                {
                    "app": app,
                    "recused": recused,
                    "scorers": scorers,
                    "quorum": quorum(scorers, cycle.quorum_numerator, cycle.quorum_denominator)
                    if members
                    else None,
                    "too_small": scorers < min_panel,
                }
            )
        sections.append(
            {"offer": offer, "panel": panel, "form": form, "members": members, "rows": rows}
        )
    return render(
        request,
        "certification/cycle_panels.html",
        {"cycle": cycle, "sections": sections, "editable": editable, "min_panel": min_panel},
    )


def _kind_label(kind: str, declared) -> str:
    labels = {
        "self": _("the candidate themself"),
        "manager": _("the member's own manager"),
        "report": _("a direct report of the member"),
        "same_unit": _("same org unit"),
    }
    if kind.startswith("declared:"):
        code = kind.split(":", 1)[1]
        label = declared(code).label if code in declared.values else code
        return _("declared: %(kind)s") % {"kind": label}
    return labels.get(kind, kind)


HOLIDAYS = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("Anti-Fascist 70th Day"),
}


@login_required
def workdays(request):
    """The working-day calendar publicity counts with (DOMAIN.md step 4): the statutory
    holidays and make-up working days of the next twelve months, the office's overrides, and
    the years the calendar package does not know yet (their holidays must be entered as
    overrides, in the admin)."""
    require_office_page(request.user)
    today = clock.today()
    last = today + dt.timedelta(days=365)
    rows = calendar_exceptions(today, last)
    for row in rows:
        row["holiday_label"] = HOLIDAYS.get(row["holiday"], row["holiday"])
    years = range(today.year, last.year + 1)
    return render(
        request,
        "certification/workdays.html",
        {
            "rows": rows,
            "first": today,
            "last": last,
            "unknown_years": [y for y in years if not year_known(y)],
            "admin_url": reverse("admin:core_workdayoverride_changelist"),
        },
    )
