from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.roles import is_office

from .models import AuditEvent, DownloadRecord


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
