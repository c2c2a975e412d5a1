"""Admin: the office manages eligibility policies and disciplinary records here (audited);
cycles, applications, sheets and objections are shown read-only — they change only through
the workflow services (pages and API)."""

from django.contrib import admin

from core import audit
from core.admin import ReadOnlyAdmin

from .models import (
    Application,
    Cycle,
    DeclaredConflict,
    Defence,
    DisciplinaryRecord,
    EligibilityPolicy,
    Objection,
    Panel,
    ScoringSheet,
)


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            obj=obj,
            action="update" if change else "create",
            changes=audit.diff(before, audit.snapshot(obj)),
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EligibilityPolicy)
class EligibilityPolicyAdmin(AuditedAdmin):
    list_display = [
        "level",
        "min_years_at_level",
        "min_grade",
        "min_credits_12m",
        "require_courses",
        "min_competency_index",
        "discipline_months",
    ]
    list_select_related = ["level"]


@admin.register(DisciplinaryRecord)
class DisciplinaryRecordAdmin(AuditedAdmin):
    list_display = ["staff", "date", "kind"]
    list_select_related = ["staff"]
    search_fields = ["staff__name", "staff__employee_no", "kind"]
    autocomplete_fields = ["staff"]
    date_hierarchy = "date"


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ["name", "track", "status", "window_start", "window_end"]
    list_filter = ["status"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "staff", "target_level", "status", "final_score", "rank"]
    list_filter = ["status", "cycle"]
    list_select_related = ["cycle", "staff", "target_level"]
    search_fields = ["staff__name", "staff__employee_no"]


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "level", "chair"]
    list_select_related = ["cycle", "level", "chair"]


@admin.register(ScoringSheet)
class ScoringSheetAdmin(ReadOnlyAdmin):
    list_display = ["application", "member", "status", "total"]
    list_select_related = ["application__cycle", "application__staff", "member"]


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(ReadOnlyAdmin):
    list_display = ["member", "staff", "kind", "created_at"]
    list_select_related = ["member", "staff"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["application", "status", "outcome", "created_at"]
    list_select_related = ["application__cycle", "application__staff"]


@admin.register(Defence)
class DefenceAdmin(ReadOnlyAdmin):
    list_display = ["application", "starts_at", "ends_at", "place", "cancelled_at", "sequence"]
    list_select_related = ["application__cycle", "application__staff", "application__target_level"]
