"""The certification office's pages for letter templates: the overview, the draft editor with
its live PDF preview, publishing and the version history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotInScope
from core.roles import require_office_page

from . import template_services, wording
from .forms import LetterTemplateForm
from .models import Letter, LetterTemplate


def _styled(form) -> None:
    for name, field in form.fields.items():
        css = "form-control font-monospace" if name in ("body", "closing") else "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
            field.widget.attrs["aria-describedby"] = f"{name}-error"
        field.widget.attrs["class"] = css


@login_required
def template_list(request):
    require_office_page(request.user)
    rows = template_services.template_overview(user=request.user)
    return render(request, "letters/templates/list.html", {"rows": rows})


@login_required
def template_edit(request, kind: str, language: str):
    """The draft of ``kind`` in ``language``: edit, save, preview, publish; the versions."""
    require_office_page(request.user)
    versions = list(
        template_services.template_history(
            user=request.user, kind=kind, language=language
        ).annotate(letter_count=Count("letters"))
    )
    draft = next((v for v in versions if v.is_draft), None)
    published = next((v for v in versions if v.state == LetterTemplate.State.PUBLISHED), None)
    initial = (
        draft.parts if draft else template_services.starting_parts(kind=kind, language=language)
    )
    form = LetterTemplateForm(request.POST or None, initial=initial, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            draft = template_services.template_draft_save(
                actor=request.user, kind=kind, language=language, parts=form.cleaned_data
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Draft version %(version)d saved.") % {"version": draft.version}
            )
            return redirect("letters:template-edit", kind=kind, language=language)
    _styled(form)
    context = {
        "kind": kind,
        "kind_label": Letter.Kind(kind).label,
        "language": language,
        "language_label": Letter.Language(language).label,
        "form": form,
        "draft": draft,
        "published": published,
        "versions": versions,
        "fields": wording.field_table(kind),
        "with_benefits": kind in wording.KINDS_WITH_BENEFITS,
    }
    return render(request, "letters/templates/edit.html", context)


@login_required
@xframe_options_sameorigin
def template_preview(request, kind: str, language: str):
    """The PDF of a made-up letter: POST the wording being edited (the editor's form, sent to
    the preview frame), or GET the draft — or ``?version=`` a version — as saved."""
    require_office_page(request.user)
    if request.method == "POST":
        parts = {part: request.POST.get(part, "") for part in LetterTemplate.PARTS}
    else:
        version = request.GET.get("version", "")
        found = None
        if version.isdigit():
            found = (
                template_services.template_history(user=request.user, kind=kind, language=language)
                .filter(version=int(version))
                .first()
            )
            if found is None:
                raise NotInScope()
        found = found or template_services.draft_of(kind=kind, language=language)
        parts = (
            found.parts if found else template_services.starting_parts(kind=kind, language=language)
        )
    try:
        pdf = template_services.template_preview_pdf(
            actor=request.user, kind=kind, language=language, parts=parts
        )
    except DomainError as exc:
        return render(
            request,
            "letters/templates/preview_error.html",
            {"message": exc.message, "errors": exc.details.get("errors", {})},
            status=400,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="preview.pdf"'
    return response


@login_required
@require_POST
def template_publish(request, pk: int):
    require_office_page(request.user)
    template = template_services.template_get(user=request.user, pk=pk)
    try:
        template_services.template_publish(actor=request.user, template=template)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Version %(version)d published: new letters use this wording; issued letters do "
                "not change."
            )
            % {"version": template.version},
        )
    return redirect("letters:template-edit", kind=template.kind, language=template.language)
