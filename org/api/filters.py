import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ..models import Appointment, OrgUnit, Staff


@extend_schema_field(OpenApiTypes.INT)
class UnitSubtreeFilter(django_filters.ModelChoiceFilter):
    """An org unit id; matches rows in that unit and every unit below it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", OrgUnit.objects.all())
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(**{f"{self.field_name}__path__startswith": value.path})


class OrgUnitFilter(django_filters.FilterSet):
    class Meta:
        model = OrgUnit
        fields = ["parent", "code", "depth"]


class StaffFilter(django_filters.FilterSet):
    within_unit = UnitSubtreeFilter(field_name="unit", label="Unit and all its sub-units")

    class Meta:
        model = Staff
        fields = ["employee_no", "unit", "manager", "track", "level", "status"]


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
