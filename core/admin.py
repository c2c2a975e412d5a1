from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.roles import is_office

from .audit import diff, record, snapshot
from .models import AuditEvent, DownloadRecord, WorkdayOverride


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin that shows and searches but never writes: every change goes through a service
    (pages, API), which checks the rules and records the audit event."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail: read-only, visible to the office (HR) and administrators."""

    list_display = [
        "at",
        "actor_name",
        "action",
        "content_type",
        "object_repr",
        "from_state",
        "to_state",
    ]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name", "reason", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    fieldsets = [
        (None, {"fields": ["at", "actor", "actor_name", "action", "reason"]}),
        (
            _("Object"),
            {"fields": ["content_type", "object_id", "object_repr", "from_state", "to_state"]},
        ),
        (_("Changed data"), {"fields": ["changes"]}),
    ]

    def has_view_permission(self, request, obj=None):
        return is_office(request.user)


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    """The office's corrections to the statutory calendar (core.workdays): a year the
    calendar package does not know yet, or a local arrangement. Every change is audited."""

    list_display = ["day", "is_workday", "note", "updated_by", "updated_at"]
    list_filter = ["is_workday"]
    search_fields = ["note"]
    date_hierarchy = "day"
    fields = ["day", "is_workday", "note"]

    def _office(self, request) -> bool:
        return is_office(request.user)

    def has_module_permission(self, request):
        return self._office(request)

    def has_view_permission(self, request, obj=None):
        return self._office(request)

    def has_add_permission(self, request):
        return self._office(request)

    def has_change_permission(self, request, obj=None):
        return self._office(request)

    def has_delete_permission(self, request, obj=None):
        return self._office(request)

    def save_model(self, request, obj, form, change):
        before = snapshot(obj, ["day", "is_workday", "note"]) if change else {}
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        after = snapshot(obj, ["day", "is_workday", "note"])
        record(
            actor=request.user,
            obj=obj,
            action="workday_override_changed" if change else "workday_override_added",
            changes=diff(before, after),
        )

    def delete_model(self, request, obj):
        record(
            actor=request.user,
            obj=obj,
            action="workday_override_removed",
            changes={"day": [obj.day, None], "is_workday": [obj.is_workday, None]},
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(DownloadRecord)
class DownloadRecordAdmin(ReadOnlyAdmin):
    """Who downloaded which sensitive file: read-only, for the office (HR) and administrators."""

    list_display = ["at", "user_name", "kind", "object_repr", "ip"]
    list_filter = ["kind"]
    search_fields = ["user_name", "object_repr", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    readonly_fields = [f.name for f in DownloadRecord._meta.fields]

    def has_view_permission(self, request, obj=None):
        return is_office(request.user)
