"""Admin pages for the organisation. Every save goes through ``org.services`` so the admin
writes the same audit records and enforces the same rules as the API."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from . import services
from .models import Appointment, Level, OrgUnit, Staff, Track


class OrgUnitAdminForm(forms.ModelForm):
    """Checks the service's move rule up front so the admin shows it next to the field."""

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "name_en", "parent"]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        unit = self.instance
        if parent is not None and unit.pk and unit.path and parent.path.startswith(unit.path):
            raise ValidationError(_("A unit cannot be moved under itself or one of its sub-units."))
        return parent


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    form = OrgUnitAdminForm
    list_display = ["code", "name", "name_en", "parent", "depth"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "depth"]

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in ("code", "name", "name_en", "parent")}
        if change:
            saved = services.unit_update(actor=request.user, unit=obj, **data)
        else:
            saved = services.unit_create(actor=request.user, **data)
        obj.pk, obj.path, obj.depth = saved.pk, saved.path, saved.depth

    def has_delete_permission(self, request, obj=None):
        return False


class LevelInline(admin.TabularInline):
    model = Level
    extra = 0
    fields = [
        "order",
        "code",
        "name",
        "name_en",
        "term_years",
        "allowance",
        "training_package_value",
        "honorary_title",
    ]
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]
    inlines = [LevelInline]

    def save_model(self, request, obj, form, change):
        services.track_save(actor=request.user, track=obj)

    def save_formset(self, request, form, formset, change):
        for level in formset.save(commit=False):
            services.level_save(actor=request.user, level=level)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = [
        "track",
        "order",
        "code",
        "name",
        "term_years",
        "allowance",
        "training_package_value",
        "honorary_title",
    ]
    list_filter = ["track"]
    search_fields = ["code", "name", "name_en", "honorary_title"]
    list_select_related = ["track"]

    def save_model(self, request, obj, form, change):
        services.level_save(actor=request.user, level=obj)

    def has_delete_permission(self, request, obj=None):
        return False


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    fields = ["level", "start", "end", "reason", "decision", "closed_on"]
    readonly_fields = fields
    can_delete = False
    ordering = ["-start"]

    def has_add_permission(self, request, obj=None):
        return False


class StaffAdminForm(forms.ModelForm):
    """Checks the service's rules up front so the admin shows them next to the fields."""

    class Meta:
        model = Staff
        fields = ["employee_no", "name", "user", "unit", "manager", "track", "hire_date", "status"]

    def clean(self):
        data = super().clean()
        manager, track = data.get("manager"), data.get("track")
        if manager is not None and self.instance.pk and manager.pk == self.instance.pk:
            self.add_error("manager", _("A staff member cannot be their own manager."))
        level = self.instance.level if self.instance.pk else None
        if track is not None and level is not None and level.track_id != track.pk:
            self.add_error("track", _("The current level belongs to another track."))
        return data


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    form = StaffAdminForm
    list_display = ["employee_no", "name", "unit", "level", "manager", "level_since", "status"]
    list_filter = ["status", "track", "level"]
    search_fields = ["employee_no", "name"]
    list_select_related = ["unit", "level", "manager"]
    autocomplete_fields = ["unit", "manager", "user"]
    readonly_fields = ["level", "level_since"]
    inlines = [AppointmentInline]

    def save_model(self, request, obj, form, change):
        fields = {
            f: form.cleaned_data[f]
            for f in services.STAFF_EDITABLE_FIELDS
            if f in form.cleaned_data
        }
        if change:
            services.staff_update(actor=request.user, staff=obj, **fields)
        else:
            fields.pop("user", None)
            saved = services.staff_create(
                actor=request.user,
                employee_no=form.cleaned_data["employee_no"],
                user=form.cleaned_data.get("user"),
                **fields,
            )
            obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False


class AppointForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = ["staff", "level", "start", "reason", "decision"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.instance = services.appoint(
                actor=self.request.user,
                staff=data["staff"],
                level=data["level"],
                start=data["start"],
                reason=data["reason"],
                decision=data.get("decision", ""),
            )
        except DomainError as exc:
            raise ValidationError(exc.message) from exc
        return data


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Appointments are history: they are added through ``services.appoint`` and never edited."""

    list_display = ["staff", "level", "start", "end", "reason", "closed_on"]
    list_filter = ["reason", "level"]
    search_fields = ["staff__name", "staff__employee_no"]
    list_select_related = ["staff", "level"]
    autocomplete_fields = ["staff"]
    date_hierarchy = "start"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            form_class = AppointForm

            class RequestBoundForm(form_class):
                def __init__(self, *args, **kw):
                    super().__init__(*args, request=request, **kw)

            return RequestBoundForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [
                "staff",
                "level",
                "start",
                "end",
                "reason",
                "decision",
                "closed_on",
                "created_at",
            ]
        return []

    def save_model(self, request, obj, form, change):
        if not change:
            messages.success(
                request, _("Appointment recorded; the staff member's level now follows it.")
            )

    def has_delete_permission(self, request, obj=None):
        return False
