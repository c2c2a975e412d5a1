"""Pages: HR's ranking runs (cohort tabs, distribution, bands, export), the honour roll, a staff
member's own ranking (a manager's team), and the re-certification cases."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.db.models.functions import Floor
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from committee import visibility
from core import audit, clock
from core.downloads import Kind as DownloadKind
from core.downloads import download_record
from core.errors import DomainError
from core.pdf import html_to_pdf
from core.roles import Role, has_role, is_office, require_office_page
from kpi.models import AnnualScore
from org.models import Staff
from org.scope import sees_everyone, staff_of

from . import charts, exports, forms, selectors, services
from . import distribution as distribution_figures
from .models import (
    CITATION_MAX_LENGTH,
    HonourCitation,
    HonourPhoto,
    RankingEntry,
    RankingRun,
    RecertificationCase,
)

PAGE_SIZE = 50
POSTER_COLUMNS = 5  # cards per row on the A4 landscape poster
# A refusal of the preview shown next to the field it is about.
FIELD_OF_ERROR = {"reason_required": "reason", "bottom_pct_out_of_range": "bottom_pct"}


def _require_viewer(user) -> None:
    if not sees_everyone(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def run_list(request):
    _require_viewer(request.user)
    form = forms.RunForm(request.POST or None)
    if request.method == "POST":
        require_office_page(request.user)
        if form.is_valid():
            try:
                run = services.run_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                field = FIELD_OF_ERROR.get(exc.code)
                if field in form.fields:
                    form.add_error(field, exc.message)
                else:
                    messages.error(request, exc.message)
            else:
                messages.success(request, _("The preview is computed."))
                return redirect("ranking:run-detail", pk=run.pk)
    forms.style(form)
    runs = Paginator(selectors.run_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "ranking/run_list.html",
        {"runs": runs, "form": form, "can_run": is_office(request.user)},
    )


def _histogram(run: RankingRun, cohort_key, cohort: dict | None) -> str:
    counts = (
        RankingEntry.objects.filter(run=run, cohort_key=cohort_key, excluded=False)
        .annotate(bin=Floor(F("score") / charts.BIN_WIDTH))
        .values("bin")
        .annotate(n=Count("id"))
        .values_list("bin", "n")
    )
    cut = cohort.get("cut") if cohort and not cohort.get("small") else None
    top_line = cohort.get("top_line") if cohort and not cohort.get("small") else None
    return charts.histogram_svg(
        {int(b): n for b, n in counts if b is not None}, cut=cut, top_line=top_line
    )


@login_required
@require_http_methods(["GET", "POST"])
def run_detail(request, pk: int):
    _require_viewer(request.user)
    run = get_object_or_404(selectors.run_list(user=request.user), pk=pk)
    if request.method == "POST":
        require_office_page(request.user)
        form = forms.CommitForm(request.POST)
        if form.is_valid() and request.POST.get("action") == "publish_results":
            try:
                published = services.recertification_results_publish(
                    actor=request.user, run=run, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("%(n)s re-certification result(s) published.") % {"n": len(published)},
                )
        elif form.is_valid():
            try:
                services.run_commit(actor=request.user, run=run, reason=form.cleaned_data["reason"])
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The ranking is committed."))
        return redirect("ranking:run-detail", pk=run.pk)
    entries = selectors.entry_list(user=request.user, run=run)  # writes a preview's entries
    cohorts = run.summary.get("cohorts", [])
    labels = selectors.cohort_labels(run=run, keys=[c["key"] for c in cohorts])
    for cohort in cohorts:
        cohort["label"] = labels.get(cohort["key"], "—")
    selected = None
    wanted = request.GET.get("cohort", "")
    for cohort in cohorts:
        if str(cohort["key"]) == wanted:
            selected = cohort
    if selected is None and cohorts:
        selected = cohorts[0]
    key = selected["key"] if selected else None
    context = {
        "run": run,
        "cohorts": cohorts,
        "selected": selected,
        "chart": _histogram(run, key, selected) if selected else "",
        "bottom": entries.filter(cohort_key=key, in_bottom_band=True).order_by(
            "score", "staff__employee_no"
        ),
        "top": entries.filter(cohort_key=key, in_top_band=True).order_by(
            "rank", "staff__employee_no"
        ),
        "excluded": entries.filter(excluded=True).order_by("reason", "staff__employee_no")[:200],
        "excluded_reasons": [
            (RankingEntry.Reason(code).label, n)
            for code, n in run.summary.get("excluded", {}).items()
            if code in RankingEntry.Reason.values
        ],
        "commit_form": forms.CommitForm(),
        "not_closed": [services.GROUNDS[g] for g in services.year_not_closed(run)]
        if run.status == RankingRun.Status.PREVIEW
        else [],
        "early_grounds": [services.GROUNDS.get(g, g) for g in run.early_commit_grounds],
        "can_run": is_office(request.user),
        "history": audit.history(run)[:10],
    }
    return render(request, "ranking/run_detail.html", context)


@login_required
def run_export(request, pk: int):
    _require_viewer(request.user)
    run = get_object_or_404(selectors.run_list(user=request.user), pk=pk)
    content = exports.run_xlsx(run, selectors.entry_list(user=request.user, run=run))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"ranking-{run.track.code}-{run.year}-{run.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    download_record(request=request, kind=DownloadKind.EXPORT, obj=run, label=name)
    return response


def _require_poster_reader(user) -> None:
    """The poster PDF is for the office and the leadership group (who print and hang it)."""
    if not (is_office(user) or has_role(user, Role.LEADERSHIP)):
        raise PermissionDenied


@login_required
def honour_roll(request):
    """光荣榜: visible to every signed-in user; the office edits a member's photo and write-up on
    the member's own page, HR and the leadership group print the poster."""
    runs = list(selectors.latest_committed_runs().order_by("track__code"))
    return render(
        request,
        "ranking/honour_roll.html",
        {
            "boards": selectors.honour_boards(runs=runs),
            "can_edit": is_office(request.user),
            "can_print": is_office(request.user) or has_role(request.user, Role.LEADERSHIP),
        },
    )


def _honour_entry_or_404(run_pk: int, staff_pk: int) -> RankingEntry:
    return get_object_or_404(
        RankingEntry.objects.select_related("run__track", "staff", "unit", "level"),
        run_id=run_pk,
        staff_id=staff_pk,
        in_top_band=True,
        run__status=RankingRun.Status.COMMITTED,
    )


@login_required
@require_http_methods(["GET", "POST"])
def honour_member(request, run_pk: int, staff_pk: int):
    """The one place where the office keeps a member's photo and achievement write-up."""
    require_office_page(request.user)
    entry = _honour_entry_or_404(run_pk, staff_pk)
    citation = HonourCitation.objects.filter(run_id=run_pk, staff_id=staff_pk).first()
    photo = HonourPhoto.objects.filter(run_id=run_pk, staff_id=staff_pk).first()
    form = forms.HonourCitationForm(
        request.POST or None, initial={"text": citation.text if citation else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.honour_citation_set(
                actor=request.user, run=entry.run, staff=entry.staff, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(
                request,
                _("The write-up of %(name)s is saved.") % {"name": entry.staff.name},
            )
            return redirect("ranking:honour-member", run_pk=run_pk, staff_pk=staff_pk)
    entry.photo_id = photo.pk if photo else None
    entry.citation = citation.text if citation else ""
    return render(
        request,
        "ranking/honour_member.html",
        {
            "entry": entry,
            "photo": photo,
            "form": forms.styled(form),
            "photo_form": forms.styled(forms.HonourPhotoForm()),
            "max_length": CITATION_MAX_LENGTH,
        },
    )


@login_required
def honour_poster(request, pk: int):
    """The honour roll of one committed run as a poster PDF (A4 landscape), photos embedded."""
    _require_poster_reader(request.user)
    run = get_object_or_404(
        RankingRun.objects.select_related("track"), pk=pk, status=RankingRun.Status.COMMITTED
    )
    (board,) = selectors.honour_boards(runs=[run])
    photos = {p.pk: p for p in HonourPhoto.objects.filter(run=run)}
    groups = [(label, poster_rows(rows)) for label, rows in board["groups"]]
    for _label, rows in board["groups"]:
        for entry in rows:
            entry.photo_uri = photo_data_uri(photos[entry.photo_id]) if entry.photo_id else ""
    html = render_to_string(
        "ranking/honour_poster.html",
        {
            "run": run,
            "groups": groups,
            "company": settings.COMPANY_NAME
            if translation.get_language().startswith("zh")
            else settings.COMPANY_NAME_EN,
            "generated": clock.localtime(),
        },
        request=request,
    )
    pdf = html_to_pdf(html)  # the photos are data: URIs; nothing else is fetched
    name = f"honour-roll-{run.track.code}-{run.year}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    download_record(request=request, kind=DownloadKind.EXPORT, obj=run, label=name)
    return response


def poster_rows(entries: list) -> list[list]:
    """``entries`` in rows of :data:`POSTER_COLUMNS`, the last one padded with ``None``."""
    rows = [entries[i : i + POSTER_COLUMNS] for i in range(0, len(entries), POSTER_COLUMNS)]
    if rows:
        rows[-1] = rows[-1] + [None] * (POSTER_COLUMNS - len(rows[-1]))
    return rows


def photo_data_uri(photo: HonourPhoto) -> str:
    """The photo as a ``data:`` URI (photos are stored privately, outside the folders the PDF
    renderer may read)."""
    with photo.file.open("rb") as handle:
        content = base64.b64encode(handle.read()).decode("ascii")
    return f"data:{photo.content_type};base64,{content}"


@login_required
@require_http_methods(["POST"])
def honour_photo_add(request):
    require_office_page(request.user)
    form = forms.HonourPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a JPEG or PNG photo."))
        if form.has_error("run") or form.has_error("staff"):
            return redirect("ranking:honour-roll")
        return redirect(
            "ranking:honour-member",
            run_pk=form.cleaned_data["run"],
            staff_pk=form.cleaned_data["staff"],
        )
    run = get_object_or_404(RankingRun, pk=form.cleaned_data["run"])
    staff = get_object_or_404(Staff, pk=form.cleaned_data["staff"])
    try:
        services.honour_photo_set(
            actor=request.user, run=run, staff=staff, upload=form.cleaned_data["photo"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The photo is on the honour roll."))
    return redirect("ranking:honour-member", run_pk=run.pk, staff_pk=staff.pk)


@login_required
def honour_photo(request, pk: int):
    """A photo of the honour roll: every signed-in user, while its run is the committed one."""
    photo = get_object_or_404(selectors.visible_honour_photos(user=request.user), pk=pk)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    download_record(request=request, kind=DownloadKind.PHOTO, obj=photo)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["POST"])
def honour_photo_delete(request, pk: int):
    require_office_page(request.user)
    photo = get_object_or_404(HonourPhoto, pk=pk)
    services.honour_photo_remove(actor=request.user, photo=photo)
    messages.success(request, _("The photo is removed."))
    return redirect("ranking:honour-member", run_pk=photo.run_id, staff_pk=photo.staff_id)


@login_required
def mine(request):
    """A staff member's own rank and percentile (committed runs only); a manager's team."""
    entries = Paginator(selectors.my_entries(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    me = staff_of(request.user)
    trend = ""
    if me is not None:
        own = (
            selectors.my_entries(user=request.user)
            .filter(staff=me, run__status=RankingRun.Status.COMMITTED)
            .order_by("run__year")
        )
        trend = charts.trend_svg([(e.run.year, e.score, e.percentile) for e in own])
    return render(
        request,
        "ranking/mine.html",
        {
            "entries": entries,
            "is_manager": has_role(request.user, Role.MANAGER),
            "trend": trend,
            "published": list(
                services.published_cases()
                .select_related("staff", "level")
                .order_by("publicity_end", "staff__employee_no")[:100]
            ),
        },
    )


@login_required
def case_list(request):
    if not (sees_everyone(request.user) or has_role(request.user, Role.COMMITTEE)):
        raise PermissionDenied
    qs = selectors.case_list(user=request.user).order_by("-run__year", "staff__employee_no")
    status = request.GET.get("status", "")
    if status in RecertificationCase.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ranking/case_list.html",
        {"page": page, "status": status, "statuses": RecertificationCase.Status.choices},
    )


def _case_post(request, case, *, office: bool, is_member: bool, is_self: bool) -> str:
    """One action of the case page; returns the success message (a DomainError propagates)."""
    action = request.POST.get("action")
    leadership = has_role(request.user, Role.LEADERSHIP)
    if action == "assign" and office:
        form = forms.AssignForm(request.POST)
        if form.is_valid():
            services.recertification_panel_assign(
                actor=request.user,
                case=case,
                members=list(form.cleaned_data["members"]),
                chair=form.cleaned_data["chair"],
            )
            return _("The panel is saved.")
    elif action == "reopen" and is_member:
        form = forms.ReopenForm(request.POST)
        if form.is_valid():
            sheet = get_object_or_404(
                case.sheets, member_id=form.cleaned_data["member"], round=case.round
            )
            services.recertification_sheet_reopen(
                actor=request.user, sheet=sheet, reason=form.cleaned_data["reason"]
            )
            return _("The sheet is reopened.")
    elif action == "score" and is_member:
        form = forms.ScoreForm(request.POST, definition=case.sheet_definition)
        if form.is_valid():
            services.recertification_sheet_score(
                actor=request.user,
                case=case,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                submit=form.cleaned_data["submit"],
            )
            return _("Your sheet is saved.")
    elif action == "propose" and office:
        form = forms.ReasonForm(request.POST)
        if form.is_valid():
            services.recertification_case_propose(
                actor=request.user, case=case, reason=form.cleaned_data["reason"]
            )
            return _("The outcome is proposed and published.")
    elif action == "approve" and leadership:
        form = forms.ApproveForm(request.POST)
        if form.is_valid():
            services.recertification_case_approve(
                actor=request.user, case=case, **form.cleaned_data
            )
            return _("The leadership group's decision is recorded.")
    elif action == "object":
        form = forms.ObjectionForm(request.POST)
        if form.is_valid():
            services.recertification_objection_file(
                actor=request.user, case_id=case.pk, text=form.cleaned_data["text"]
            )
            return _("Your objection is filed.")
    elif action == "resolve_objection" and office:
        form = forms.ObjectionResolveForm(request.POST)
        if form.is_valid():
            objection = get_object_or_404(case.objections, pk=form.cleaned_data["objection"])
            services.recertification_objection_resolve(
                actor=request.user,
                objection=objection,
                upheld=form.cleaned_data["upheld"],
                reason=form.cleaned_data["reason"],
            )
            return _("The objection is resolved.")
    elif action == "appeal" and is_self:
        form = forms.AppealForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("material")
            services.recertification_appeal_file(
                actor=request.user,
                case=case,
                reason=form.cleaned_data["reason"],
                uploads=[upload] if upload else [],
            )
            return _("Your appeal is filed; the office will resolve it.")
    elif action == "resolve_appeal" and office:
        form = forms.AppealResolveForm(request.POST)
        if form.is_valid():
            appeal = get_object_or_404(case.appeals, pk=form.cleaned_data["appeal"])
            services.recertification_appeal_resolve(
                actor=request.user,
                appeal=appeal,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
            return _("The appeal is resolved.")
    else:
        raise PermissionDenied
    messages.error(request, _("Please correct the form."))
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request, pk: int):
    published = services.published_cases().filter(pk=pk).exists()
    qs = selectors.case_list(user=request.user)
    if published:  # the published result list is open to every signed-in user
        qs = RecertificationCase.objects.select_related("staff", "level", "run", "run__track")
    case = get_object_or_404(qs, pk=pk)
    office = is_office(request.user)
    is_member = case.members.filter(pk=request.user.pk).exists()
    me = staff_of(request.user)
    is_self = me is not None and me.pk == case.staff_id
    oversees = selectors.oversees_cases(request.user)
    if request.method == "POST":
        try:
            done = _case_post(request, case, office=office, is_member=is_member, is_self=is_self)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if done:
                messages.success(request, done)
        return redirect("ranking:case-detail", pk=case.pk)
    score, submitted, needed = services.committee_score(case)
    own_sheet = case.sheets.filter(member=request.user, round=case.round).first()
    is_chair = is_member and case.chair_id == request.user.pk
    sees_sheets = visibility.sees_others_of(own_sheet=own_sheet, oversees=oversees)
    sheets = (
        list(
            case.sheets.select_related("member")
            .prefetch_related("lines")
            .filter(status="submitted", round=case.round)
        )
        if sees_sheets
        else []
    )
    spread, spread_flag = services.spread(case, [x.total for x in sheets])
    committee = get_user_model().objects.filter(groups__name=Role.COMMITTEE).order_by("username")
    appeals = list(case.appeals.prefetch_related("materials").order_by("id"))
    context = {
        "case": case,
        "office": office,
        "leadership": has_role(request.user, Role.LEADERSHIP),
        "is_member": is_member,
        "is_chair": is_chair,
        "is_self": is_self,
        "published": published,
        "members": case.members.order_by("username"),
        "sheets": sheets,
        "sees_sheets": sees_sheets,
        "spread": spread if sees_sheets else None,
        "spread_flag": spread_flag,
        "own_sheet": own_sheet,
        "score": score if sees_sheets else None,
        "submitted": submitted,
        "needed": needed,
        "assign_form": forms.styled(
            forms.AssignForm(
                initial={"members": case.members.all(), "chair": case.chair_id},
                queryset=committee,
            )
        ),
        "score_form": forms.ScoreForm(definition=case.sheet_definition),
        "reason_form": forms.ReasonForm(),
        "objections": list(case.objections.order_by("id")) if oversees else [],
        "appeals": appeals if (oversees or is_self) else [],
        "open_appeal": next((a for a in appeals if a.status == "open"), None),
        "can_appeal": is_self
        and case.status == RecertificationCase.Status.APPROVED
        and case.appeal_until is not None
        and clock.today() <= case.appeal_until,
        "appeal_form": forms.AppealForm(),
        "referral": _referral(case),
        "history": audit.history(case)[:20] if oversees else None,
    }
    if not (oversees or is_member):
        # the staff member (or their manager, or anyone on the published list) sees the case
        # and its proposed outcome, not the sheets
        context["sheets"], context["spread"], context["spread_flag"] = [], None, False
    return render(request, "ranking/case_detail.html", context)


def _referral(case) -> dict | None:
    """The re-appointment review that referred the case, as ``{"label", "url"}`` from the hook
    the reappointment app (a higher layer) registers."""
    if case.reappointment_case_id is None:
        return None
    return selectors.referral_link(reappointment_case_id=case.reappointment_case_id) or {
        "label": f"#{case.reappointment_case_id}",
        "url": "",
    }


@login_required
def distribution(request):
    """The leadership group's and the office's dashboard: KPI annual grades and ranking bands
    by branch and year (one aggregate query each)."""
    if not has_role(request.user, Role.LEADERSHIP, Role.HR, Role.ADMIN):
        raise PermissionDenied
    figures = distribution_figures.dashboard(year=request.GET.get("year", ""))
    return render(
        request,
        "ranking/distribution.html",
        {
            "years": figures.years,
            "year": figures.year,
            "grades": figures.grades,
            "bands": figures.bands,
            "grade_labels": dict(AnnualScore.Grade.choices),
        },
    )
