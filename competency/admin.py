"""Read-only admin views: every change goes through the services (pages and API)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Assessment, AssessmentRound, Competency, CompetencyModel, Requirement


@admin.register(CompetencyModel)
class CompetencyModelAdmin(ReadOnlyAdmin):
    list_display = ["track", "version", "name", "status", "published_at"]
    list_filter = ["status", "track"]


@admin.register(Competency)
class CompetencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "model", "category", "kind"]
    list_filter = ["category", "kind"]
    list_select_related = ["model", "model__track"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Requirement)
class RequirementAdmin(ReadOnlyAdmin):
    list_display = ["model", "level", "competency", "required_level", "weight"]
    list_select_related = ["model", "model__track", "level", "competency"]


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "model", "status", "due_date"]
    list_select_related = ["model", "model__track"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    """Raters and ratings are deliberately not listed: peer identities stay out of sight."""

    list_display = ["staff", "round", "status", "index", "finalized_on"]
    list_filter = ["status"]
    list_select_related = ["staff", "round"]
    search_fields = ["staff__name", "staff__employee_no"]
