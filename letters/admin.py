from django.contrib import admin

from .models import Letter, LetterCounter


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


@admin.register(LetterCounter)
class LetterCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last_seq"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
