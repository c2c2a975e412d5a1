"""Admin for KPI (HR): indicators through the service, periods with the lock action, read-only
actuals with the import page, scores and corrections. Every write goes through ``services``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError, ImportRejected
from core.roles import is_office

from . import imports, services
from .forms import ImportForm
from .models import (
    Actual,
    AnnualScore,
    AssessmentProfile,
    Correction,
    GradePolicy,
    ImportBatch,
    Indicator,
    Period,
    PeriodScore,
    ProfileChoice,
    ProfileItem,
    Scheme,
    SchemeItem,
    StaffTarget,
)


class OfficeAdmin(admin.ModelAdmin):
    """Visible to the office (HR) and administrators; read-only unless a subclass allows."""

    def has_module_permission(self, request):
        return is_office(request.user)

    def has_view_permission(self, request, obj=None):
        return is_office(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(OfficeAdmin):
    list_display = ["code", "name", "unit", "kind", "method", "active"]
    list_filter = ["kind", "method", "active"]
    search_fields = ["code", "name", "name_en"]

    def has_add_permission(self, request):
        return is_office(request.user)

    def has_change_permission(self, request, obj=None):
        return is_office(request.user)

    def save_model(self, request, obj, form, change):
        services.indicator_save(actor=request.user, indicator=obj)


class SchemeItemInline(admin.TabularInline):
    model = SchemeItem
    extra = 0
    fields = ["indicator", "weight", "target"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Scheme)
class SchemeAdmin(OfficeAdmin):
    list_display = ["__str__", "track", "level", "period_type", "parent", "unit"]
    list_filter = ["track", "period_type"]
    list_select_related = ["track", "level", "parent", "unit"]
    inlines = [SchemeItemInline]


class ProfileItemInline(admin.TabularInline):
    model = ProfileItem
    extra = 0
    fields = ["indicator", "weight"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentProfile)
class AssessmentProfileAdmin(OfficeAdmin):
    list_display = ["name", "framework"]
    list_select_related = ["framework__level"]
    inlines = [ProfileItemInline]


@admin.register(ProfileChoice)
class ProfileChoiceAdmin(OfficeAdmin):
    list_display = ["staff", "year", "profile", "status", "chosen_at", "approved_at"]
    list_filter = ["year", "status"]
    list_select_related = ["staff", "profile"]
    search_fields = ["staff__employee_no", "staff__name"]


@admin.register(StaffTarget)
class StaffTargetAdmin(OfficeAdmin):
    list_display = ["staff", "indicator", "period", "target"]
    list_select_related = ["staff", "indicator", "period"]
    search_fields = ["staff__employee_no", "staff__name"]


@admin.register(Period)
class PeriodAdmin(OfficeAdmin):
    list_display = ["code", "period_type", "start", "end", "status", "locked_at"]
    list_filter = ["period_type", "status", "year"]
    search_fields = ["code"]
    actions = ["lock"]

    @admin.action(description=gettext_lazy("Lock the selected periods"))
    def lock(self, request, queryset):
        done = 0
        for period in queryset.filter(status=Period.Status.OPEN):
            services.period_lock(actor=request.user, period=period, reason="admin")
            done += 1
        self.message_user(request, _("%(n)s periods locked.") % {"n": done})

    def has_change_permission(self, request, obj=None):
        return is_office(request.user)  # needed for the action; no editable fields

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Period._meta.fields]


@admin.register(Actual)
class ActualAdmin(OfficeAdmin):
    list_display = ["staff", "indicator", "period", "display_value", "source", "updated_at"]
    list_filter = ["source", "indicator", "period__year"]
    list_select_related = ["staff", "indicator", "period"]
    search_fields = ["staff__employee_no", "staff__name"]
    change_list_template = "admin/kpi/actual/change_list.html"

    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="kpi_actual_import",
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        if not is_office(request.user):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = imports.import_actuals(
                    actor=request.user, fileobj=upload, filename=upload.name or ""
                )
            except ImportRejected as exc:
                errors = exc.errors
                self.message_user(
                    request,
                    _("The file was rejected: %(n)s problems; nothing was imported.")
                    % {"n": len(errors)},
                    messages.ERROR,
                )
            except (DomainError, ValidationError) as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, result.summary())
                return redirect("admin:kpi_actual_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import KPI actuals"),
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
            "columns": imports.COLUMNS,
        }
        return TemplateResponse(request, "admin/kpi/actual/import.html", context)


@admin.register(Correction)
class CorrectionAdmin(OfficeAdmin):
    list_display = ["actual", "old_value", "new_value", "reason", "corrected_by", "corrected_at"]
    list_select_related = ["actual", "corrected_by"]


@admin.register(ImportBatch)
class ImportBatchAdmin(OfficeAdmin):
    list_display = [
        "filename",
        "rows",
        "created",
        "updated",
        "unchanged",
        "imported_by",
        "imported_at",
    ]
    list_select_related = ["imported_by"]

    @admin.display(description=gettext_lazy("unchanged"))
    def unchanged(self, batch: ImportBatch) -> int:
        return batch.unchanged


@admin.register(PeriodScore)
class PeriodScoreAdmin(OfficeAdmin):
    list_display = ["staff", "period", "total"]
    list_filter = ["period__year", "period__period_type"]
    list_select_related = ["staff", "period"]
    search_fields = ["staff__employee_no", "staff__name"]


@admin.register(AnnualScore)
class AnnualScoreAdmin(OfficeAdmin):
    list_display = ["staff", "year", "score", "grade", "threshold_grade", "unit", "unit_rank"]
    list_filter = ["year", "grade"]
    list_select_related = ["staff", "unit"]
    search_fields = ["staff__employee_no", "staff__name"]


@admin.register(GradePolicy)
class GradePolicyAdmin(OfficeAdmin):
    list_display = [
        "year",
        "period_type",
        "a_min",
        "b_min",
        "c_min",
        "d_min",
        "quota_a_pct",
        "quota_ab_pct",
    ]

    def has_add_permission(self, request):
        return is_office(request.user)

    def has_change_permission(self, request, obj=None):
        return is_office(request.user)

    def save_model(self, request, obj, form, change):
        services.policy_save(actor=request.user, policy=obj)
