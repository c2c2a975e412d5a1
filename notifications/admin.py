from django.contrib import admin

from core.admin import ReadOnlyAdmin
from core.roles import is_office

from .models import Delivery, Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Notifications as written: read-only, for the office (HR) and administrators."""

    list_display = ["created_at", "recipient", "event", "subject", "language", "read_at"]
    list_filter = ["event", "language"]
    search_fields = ["subject", "recipient__username", "event"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_view_permission(self, request, obj=None):
        return is_office(request.user)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Deliveries by channel with their status and last error; "retry now" is on the office's
    delivery log page (``/notifications/deliveries/``), which goes through the service."""

    list_display = ["created_at", "notification", "channel", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["notification__subject", "last_error"]
    list_select_related = ["notification"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_view_permission(self, request, obj=None):
        return is_office(request.user)
