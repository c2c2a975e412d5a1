"""Query filters of the training API. Related querysets are scoped where they name people."""

import django_filters

from core import clock
from org.scope import visible_staff, visible_units

from ..models import (
    Course,
    ExternalCertificate,
    TrainingActivity,
    TrainingPackage,
    TrainingRecord,
    TrainingSession,
)
from ..selectors import CERTIFICATE_VALIDITY, filter_certificates_by_validity


def _staff(request):
    return visible_staff(getattr(request, "user", None))


def _units(request):
    return visible_units(getattr(request, "user", None))


def _competencies(request):
    from competency.models import Competency

    return Competency.objects.all()


class CourseFilter(django_filters.FilterSet):
    competency = django_filters.ModelChoiceFilter(
        field_name="competencies",
        queryset=_competencies,
        label="Courses that develop this competency (id)",
    )

    class Meta:
        model = Course
        fields = ["category", "form", "active"]


class SessionFilter(django_filters.FilterSet):
    start_after = django_filters.DateFilter(field_name="start", lookup_expr="gte")
    start_before = django_filters.DateFilter(field_name="start", lookup_expr="lte")

    class Meta:
        model = TrainingSession
        fields = ["course", "status"]


class RecordFilter(django_filters.FilterSet):
    """The ledger filters (also used by the XLSX export): unit incl. subtree, period, course."""

    unit = django_filters.ModelChoiceFilter(
        queryset=_units,
        method="filter_unit",
        label="Org unit and all its sub-units",
    )
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    course = django_filters.ModelChoiceFilter(queryset=Course.objects.all())
    employee_no = django_filters.CharFilter(field_name="staff__employee_no")
    staff = django_filters.ModelChoiceFilter(queryset=_staff)

    class Meta:
        model = TrainingRecord
        fields = ["staff", "course", "result", "source", "session"]

    def filter_unit(self, queryset, name, value: int):
        return queryset.filter(staff__unit__path__startswith=value.path)


class CertificateFilter(django_filters.FilterSet):
    staff = django_filters.ModelChoiceFilter(queryset=_staff)
    validity = django_filters.ChoiceFilter(
        choices=[(v, v) for v in CERTIFICATE_VALIDITY],
        method="filter_validity",
        label=(
            "expiring: verified, expiring within 60 days; expired: expiry date before today; "
            "valid: no expiry date or not expired yet"
        ),
    )
    expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lte")

    class Meta:
        model = ExternalCertificate
        fields = ["staff", "status"]

    def filter_validity(self, queryset, name, value: str):
        return filter_certificates_by_validity(qs=queryset, validity=value, today=clock.today())


class ActivityFilter(django_filters.FilterSet):
    staff = django_filters.ModelChoiceFilter(queryset=_staff)

    class Meta:
        model = TrainingActivity
        fields = ["staff", "kind"]


class PackageFilter(django_filters.FilterSet):
    staff = django_filters.ModelChoiceFilter(queryset=_staff)

    class Meta:
        model = TrainingPackage
        fields = ["staff", "status", "level"]
