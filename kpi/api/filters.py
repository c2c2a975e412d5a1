import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from org.scope import visible_staff, visible_units

from ..models import Actual, AnnualScore, Appraisal, Period, PeriodScore, Scheme, StaffTarget


def _visible_staff(request):
    return visible_staff(request.user) if request is not None else visible_staff(None)


class ScopedStaffFilterSet(django_filters.FilterSet):
    """``?staff=`` accepts only staff the caller may see (others: 400, ids do not leak)."""

    staff = django_filters.ModelChoiceFilter(queryset=_visible_staff)


class SchemeFilter(django_filters.FilterSet):
    class Meta:
        model = Scheme
        fields = ["track", "level", "period_type"]


class PeriodFilter(django_filters.FilterSet):
    class Meta:
        model = Period
        fields = ["code", "period_type", "year", "status"]


class ActualFilter(ScopedStaffFilterSet):
    year = django_filters.NumberFilter(field_name="period__year")

    class Meta:
        model = Actual
        fields = ["staff", "indicator", "period", "source"]


@extend_schema_field(OpenApiTypes.INT)
class UnitTreeFilter(django_filters.ModelChoiceFilter):
    """An org unit id the caller may browse: its staff and those of the units below it."""


def _in_unit(queryset, name, value):
    """Staff of the org unit and of the units below it."""
    return queryset.filter(staff__unit__path__startswith=value.path)


def _visible_units(request):
    return visible_units(request.user) if request is not None else visible_units(None)


class PeriodScoreFilter(ScopedStaffFilterSet):
    year = django_filters.NumberFilter(field_name="period__year")
    period_code = django_filters.CharFilter(field_name="period__code")
    in_unit = UnitTreeFilter(
        queryset=_visible_units, method=_in_unit, label="org unit (and the units below it)"
    )

    class Meta:
        model = PeriodScore
        fields = ["staff", "period"]


class AnnualScoreFilter(ScopedStaffFilterSet):
    in_unit = UnitTreeFilter(
        queryset=_visible_units, method=_in_unit, label="org unit (and the units below it)"
    )

    class Meta:
        model = AnnualScore
        fields = ["staff", "year", "grade", "unit"]


class StaffTargetFilter(ScopedStaffFilterSet):
    class Meta:
        model = StaffTarget
        fields = ["staff", "indicator", "period"]


class AppraisalFilter(ScopedStaffFilterSet):
    period_code = django_filters.CharFilter(field_name="period__code")
    in_unit = UnitTreeFilter(
        queryset=_visible_units, method=_in_unit, label="org unit (and the units below it)"
    )

    class Meta:
        model = Appraisal
        fields = ["staff", "period", "response"]
