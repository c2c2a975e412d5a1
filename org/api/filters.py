import django_filters

from ..models import Appointment, OrgUnit, Staff


class OrgUnitFilter(django_filters.FilterSet):
    class Meta:
        model = OrgUnit
        fields = ["parent", "code", "depth"]


class StaffFilter(django_filters.FilterSet):
    within_unit = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(),
        method="filter_within_unit",
        label="Unit and all its sub-units",
    )

    class Meta:
        model = Staff
        fields = ["employee_no", "unit", "manager", "track", "level", "status"]

    def filter_within_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)


class AppointmentFilter(django_filters.FilterSet):
    ending_before = django_filters.DateFilter(
        field_name="end", lookup_expr="lt", label="Term ends before this date (exclusive)"
    )
    ending_after = django_filters.DateFilter(
        field_name="end", lookup_expr="gte", label="Term ends on or after this date"
    )
    open = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", label="Only the open (current) appointments"
    )

    class Meta:
        model = Appointment
        fields = ["staff", "level", "reason"]
