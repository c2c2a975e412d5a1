"""Admin pages for training: read and search; writes go through the services (pages, API)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import (
    Course,
    Enrolment,
    ExternalCertificate,
    PackageUsage,
    RecordImport,
    Requirement,
    TrainingPackage,
    TrainingRecord,
    TrainingSession,
)


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "category", "form", "hours", "credits", "active"]
    list_filter = ["category", "form", "active"]
    search_fields = ["code", "title", "title_en"]


@admin.register(TrainingSession)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["course", "start", "end", "place", "capacity", "status"]
    list_filter = ["status"]
    list_select_related = ["course"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["session", "staff", "attended", "score", "passed"]
    list_select_related = ["session__course", "staff"]
    search_fields = ["staff__employee_no", "staff__name"]


@admin.register(TrainingRecord)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ["staff", "course", "date", "hours", "credits", "result", "source"]
    list_filter = ["source", "result"]
    list_select_related = ["staff", "course"]
    search_fields = ["staff__employee_no", "staff__name", "course__code"]
    date_hierarchy = "date"


@admin.register(RecordImport)
class RecordImportAdmin(ReadOnlyAdmin):
    list_display = ["filename", "imported_at", "imported_by", "rows", "created", "updated"]


@admin.register(Requirement)
class RequirementAdmin(ReadOnlyAdmin):
    list_display = ["level", "min_credits_12m"]
    list_select_related = ["level"]


@admin.register(ExternalCertificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["staff", "title", "issuer", "issued_on", "credits", "status"]
    list_filter = ["status"]
    list_select_related = ["staff"]
    exclude = ["file"]


@admin.register(TrainingPackage)
class PackageAdmin(ReadOnlyAdmin):
    list_display = ["staff", "level", "value", "granted_on", "status", "programme"]
    list_filter = ["status"]
    list_select_related = ["staff", "level"]


@admin.register(PackageUsage)
class PackageUsageAdmin(ReadOnlyAdmin):
    list_display = ["package", "date", "amount", "description"]
    list_select_related = ["package__staff", "package__level"]
