"""Answers of the API's write actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet
from rest_framework import status as http
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    _View = GenericAPIView
else:
    _View = object


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


class RefetchedMixin(_View):
    """For a viewset whose write actions answer with the object they changed:
    ``return self.answer(obj)`` (or ``self.answer(obj, status=201)``) is :func:`refetched`
    with the endpoint's own queryset, serializer class and serializer context — what a later
    GET of the object shows. An endpoint whose answer is read through another queryset
    overrides :meth:`answer_queryset`; one whose serializer needs more than its context
    overrides :meth:`answer_data`."""

    def answer_queryset(self) -> QuerySet:
        return self.get_queryset()

    def answer_data(self, obj: Model) -> Any:
        """The object, read again and serialised (the body of :meth:`answer`)."""
        fresh = self.answer_queryset().get(pk=obj.pk)
        serializer_class = self.get_serializer_class()
        return serializer_class(fresh, context=self.get_serializer_context()).data

    def answer(self, obj: Model, *, status: int = http.HTTP_200_OK) -> Response:
        return Response(self.answer_data(obj), status=status)
