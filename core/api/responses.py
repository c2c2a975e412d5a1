"""Answers of the API's write actions."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from rest_framework import status as http
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer


def refetched(
    queryset: QuerySet,
    obj: Model,
    serializer_class: type[BaseSerializer],
    *,
    status: int = http.HTTP_200_OK,
    context: dict | None = None,
) -> Response:
    """The answer of a write action: the object the service returned, read again through the
    endpoint's own scoped and joined queryset — so the answer shows exactly what a later GET
    shows (annotations included) — and serialised for output."""
    fresh = queryset.get(pk=obj.pk)
    return Response(serializer_class(fresh, context=context or {}).data, status=status)
