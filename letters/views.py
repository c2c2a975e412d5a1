"""Pages: my letters, the letters list (HR: revoke, batch issue), downloads, verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.downloads import Kind as DownloadKind
from core.downloads import download_record
from core.errors import DomainError
from core.roles import Role, has_role, is_office, require_office_page
from org.models import Appointment
from org.scope import scope_by_staff

from . import rendering, selectors, services
from .forms import BatchIssueForm, RevokeForm
from .models import Letter

PAGE_SIZE = 50


@login_required
def my_letters(request):
    letters = selectors.my_letters(user=request.user)
    return render(request, "letters/my_letters.html", {"letters": letters})


@login_required
def letter_list(request):
    if not (is_office(request.user) or has_role(request.user, Role.MANAGER, Role.LEADERSHIP)):
        raise PermissionDenied
    qs = selectors.letter_list(user=request.user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(
            Q(number__icontains=q) | Q(staff__name__icontains=q) | Q(staff__employee_no=q)
        )
    kind = request.GET.get("kind", "")
    if kind in Letter.Kind.values:
        qs = qs.filter(kind=kind)
    state = request.GET.get("state", "")
    if state == "valid":
        qs = qs.filter(revoked_at__isnull=True)
    elif state == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    job = request.GET.get("job", "")
    if job.isdigit():
        qs = qs.filter(job_id=int(job))
    skipped_by = request.GET.get("skipped_by", "")
    if skipped_by.isdigit():
        qs = selectors.letters_skipped_by_job(qs=qs, job_id=int(skipped_by))
    page = Paginator(qs.order_by("-year", "-seq"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "kinds": Letter.Kind.choices,
        "selected": {"kind": kind, "state": state, "job": job, "skipped_by": skipped_by},
        "can_revoke": is_office(request.user),
        "revoke_form": RevokeForm(),
    }
    return render(request, "letters/letter_list.html", context)


@login_required
def letter_pdf(request, pk: int):
    letter = selectors.get_letter_or_404(user=request.user, pk=pk)
    try:
        data = selectors.read_pdf(letter=letter)
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{letter.pk}.pdf"'
    response["ETag"] = f'"{letter.sha256}"'
    download_record(request=request, kind=DownloadKind.LETTER, obj=letter)
    return response


@login_required
@require_POST
def letter_revoke(request, pk: int):
    letter = selectors.get_letter_or_404(user=request.user, pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for revoking the letter."))
    else:
        try:
            services.letter_revoke(
                actor=request.user, letter=letter, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Letter %(number)s revoked.") % {"number": letter.number})
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("letters:list")


@login_required
def batch_issue(request):
    """HR: issue letters for a set of appointments as a background job."""
    require_office_page(request.user)
    form = BatchIssueForm(
        request.POST or None, initial={"kind": "promotion", "reason": "promotion"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        appointments = scope_by_staff(Appointment.objects.all(), request.user).filter(
            reason=data["reason"], start__gte=data["start_from"]
        )
        if data["only_open"]:
            appointments = appointments.filter(closed_on__isnull=True)
        ids = list(appointments.order_by("start", "id").values_list("pk", flat=True))
        try:
            job = services.letters_issue_job(
                actor=request.user,
                appointment_ids=ids,
                kind=data["kind"],
                meeting=services.Meeting(data["meeting_year"], data["meeting_no"])
                if data["meeting_year"]
                else None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect(job.get_absolute_url())
    for name, field in form.fields.items():
        widget = field.widget
        if widget.input_type == "checkbox":
            css = "form-check-input"
        else:
            css = "form-select" if widget.input_type == "select" else "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
            widget.attrs["aria-describedby"] = f"{name}-error"
        widget.attrs["class"] = css
    return render(request, "letters/batch_issue.html", {"form": form})


def verify(request, code: str):
    """Public: anyone holding the letter can check it is genuine and still valid."""
    letter = selectors.letter_by_code(code=code)
    if letter is None:
        raise Http404
    context = {
        "letter": letter,
        "public": selectors.public_verification(letter=letter),
        "verify_url": rendering.verify_url(code),
    }
    return render(request, "letters/verify.html", context)
