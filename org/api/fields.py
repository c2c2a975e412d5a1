"""Serializer fields that take ids of scoped objects."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.errors import NotInScope

from ..models import Staff
from ..scope import visible_staff


@extend_schema_field(OpenApiTypes.INT)
class VisibleStaffField(serializers.PrimaryKeyRelatedField):
    """A staff id the caller may see. An id that does not exist answers 404 exactly like one
    outside the caller's scope (``NotInScope``), so the answer never tells which ids exist.
    Needs the request in the serializer's context."""

    def get_queryset(self):
        request = self.context.get("request")
        return visible_staff(getattr(request, "user", None))

    def to_internal_value(self, data) -> Staff:
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        staff = self.get_queryset().filter(pk=pk).first()
        if staff is None:
            raise NotInScope
        return staff
