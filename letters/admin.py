from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.roles import Role, has_role
from core.uploads import IMAGES, check_upload

from . import seals
from .models import Letter, LetterCounter, LetterSeal, LetterTemplate


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    """Read-only: letters are issued and revoked through the letters pages and API."""

    list_display = ["number", "staff", "kind", "issue_date", "issued_at", "revoked_at"]
    list_filter = ["kind", "year", "language"]
    search_fields = ["number", "staff__name", "staff__employee_no", "verification_code"]
    list_select_related = ["staff"]
    readonly_fields = [f.name for f in Letter._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Read-only: the office edits and publishes templates on the letter-template pages."""

    list_display = ["kind", "language", "version", "state", "published_at"]
    list_filter = ["kind", "language", "state"]
    readonly_fields = [f.name for f in LetterTemplate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LetterCounter)
class LetterCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last_seq"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LetterSealForm(forms.ModelForm):
    # A plain file input: the stored image is private and has no URL to link to.
    file = forms.FileField(label=_("image (PNG or JPEG)"), widget=forms.FileInput)

    class Meta:
        model = LetterSeal
        fields = ["name", "file"]

    def clean_file(self):
        file = self.cleaned_data["file"]
        try:
            check_upload(file, kinds=IMAGES, max_bytes=seals.MAX_SEAL_BYTES)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        return file


def _is_admin(request) -> bool:
    return request.user.is_superuser or has_role(request.user, Role.ADMIN)


@admin.register(LetterSeal)
class LetterSealAdmin(admin.ModelAdmin):
    """Administrators upload the e-seal (through :func:`letters.seals.letter_seal_upload`);
    a seal is never edited or deleted, only deactivated."""

    form = LetterSealForm
    list_display = ["name", "active", "uploaded_by", "uploaded_at"]
    actions = ["deactivate"]

    def has_module_permission(self, request):
        return _is_admin(request)

    def has_view_permission(self, request, obj=None):
        return _is_admin(request)

    def has_add_permission(self, request):
        return _is_admin(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        seal = seals.letter_seal_upload(
            actor=request.user, name=form.cleaned_data["name"], file=form.cleaned_data["file"]
        )
        obj.pk = seal.pk

    @admin.action(description=_("Deactivate: print a blank space for the stamp instead"))
    def deactivate(self, request, queryset):
        for seal in queryset.filter(active=True):
            seals.letter_seal_deactivate(actor=request.user, seal=seal)
