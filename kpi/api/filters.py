import django_filters

from org.scope import visible_staff

from ..models import Actual, AnnualScore, Period, PeriodScore, Scheme, StaffTarget


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


class PeriodScoreFilter(ScopedStaffFilterSet):
    year = django_filters.NumberFilter(field_name="period__year")

    class Meta:
        model = PeriodScore
        fields = ["staff", "period"]


class AnnualScoreFilter(ScopedStaffFilterSet):
    class Meta:
        model = AnnualScore
        fields = ["staff", "year", "grade", "unit"]


class StaffTargetFilter(ScopedStaffFilterSet):
    class Meta:
        model = StaffTarget
        fields = ["staff", "indicator", "period"]
