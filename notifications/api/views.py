"""``/api/v1/notifications/``: the caller's notifications, their preferences, and the office's
delivery log."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.responses import refetched

from .. import selectors, services
from ..models import Delivery, Notification
from . import serializers as s


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=_("unread only")
    )


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications, newest first (anyone else's answer 404)."""

    serializer_class = s.NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.notification_list(user=self.request.user)

    @extend_schema(request=None, responses=s.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark this notification read."""
        notification = services.notification_mark_read(
            user=request.user, notification=self.get_object()
        )
        return refetched(self.get_queryset(), notification, s.NotificationSerializer)

    @extend_schema(
        request=None,
        responses=inline_serializer("ReadAllResult", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every unread notification of the caller read; answers how many were."""
        return Response({"marked": services.notification_mark_all_read(user=request.user)})


class DeliveryFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Delivery.Status.choices)
    channel = filters.CharFilter()

    class Meta:
        model = Delivery
        fields = ["status", "channel"]


class DeliveryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The delivery log (office and administrators only: 403 for anyone else)."""

    serializer_class = s.DeliverySerializer
    filterset_class = DeliveryFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        return selectors.delivery_list(user=self.request.user)

    @extend_schema(
        request=None,
        responses={202: s.DeliverySerializer, 409: OpenApiResponse(description="Not failed.")},
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queue a failed delivery again for one attempt now."""
        delivery = services.delivery_retry(actor=request.user, delivery=self.get_object())
        return refetched(self.get_queryset(), delivery, s.DeliverySerializer, status=202)


class MyNotificationSettingsView(APIView):
    """The caller's notification preferences (the defaults until first changed)."""

    @extend_schema(responses=s.NotificationSettingsSerializer)
    def get(self, request: Request) -> Response:
        prefs = selectors.settings_of(user=request.user)
        return Response(s.NotificationSettingsSerializer(prefs).data)

    @extend_schema(
        request=s.NotificationSettingsSerializer, responses=s.NotificationSettingsSerializer
    )
    def put(self, request: Request) -> Response:
        data = s.NotificationSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        prefs = services.settings_update(user=request.user, **data.validated_data)
        return Response(s.NotificationSettingsSerializer(prefs).data)
