import django_filters

from org.scope import visible_staff

from ..models import Letter


def _staff_queryset(request):
    return visible_staff(request.user) if request is not None else visible_staff(None)


class LetterFilter(django_filters.FilterSet):
    staff = django_filters.ModelChoiceFilter(queryset=_staff_queryset)
    revoked = django_filters.BooleanFilter(
        field_name="revoked_at", lookup_expr="isnull", exclude=True, label="Revoked letters only"
    )

    class Meta:
        model = Letter
        fields = ["staff", "kind", "year", "language", "appointment", "job"]
