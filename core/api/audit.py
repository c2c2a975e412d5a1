"""``/api/v1/audit/events/``: the audit trail, read-only, for the office (HR) and admins."""

import django_filters
from rest_framework import serializers, viewsets

from core.api.permissions import OfficeOnly
from core.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "object_type",
            "object_id",
            "object_repr",
            "action",
            "from_state",
            "to_state",
            "reason",
            "changes",
        ]
        read_only_fields = fields

    def get_object_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class AuditEventFilter(django_filters.FilterSet):
    object_type = django_filters.CharFilter(method="filter_object_type", label="app_label.model")
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["actor", "object_id", "action"]

    def filter_object_type(self, queryset, name, value):
        app_label, _, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = AuditEvent.objects.select_related("content_type")
    serializer_class = AuditEventSerializer
    permission_classes = [OfficeOnly]
    filterset_class = AuditEventFilter
    search_fields = ["object_repr", "actor_name", "reason"]
    ordering_fields = ["at", "id"]
