import django_filters

from org.api.filters import UnitSubtreeFilter

from ..models import ReappointmentCase


class ReappointmentFilter(django_filters.FilterSet):
    # Ids as plain numbers: an id outside the caller's scope just matches nothing (no leak).
    staff = django_filters.NumberFilter(field_name="staff_id")
    appointment = django_filters.NumberFilter(field_name="appointment_id")
    review = django_filters.NumberFilter(field_name="review_id")
    status = django_filters.CharFilter(field_name="status", help_text="pending | overdue | decided")
    outcome = django_filters.CharFilter(
        field_name="outcome", help_text="renewed | renewed_with_conditions | referred"
    )
    within_unit = UnitSubtreeFilter(field_name="staff__unit", label="Unit and all its sub-units")
    term_end_before = django_filters.DateFilter(
        field_name="term_end", lookup_expr="lt", label="Term ends before this date (exclusive)"
    )
    term_end_after = django_filters.DateFilter(
        field_name="term_end", lookup_expr="gte", label="Term ends on or after this date"
    )

    class Meta:
        model = ReappointmentCase
        fields = ["staff", "appointment", "review", "level"]
