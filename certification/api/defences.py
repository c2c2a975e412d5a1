"""``/api/v1/certification/cycles/{id}/defences/`` and ``/api/v1/certification/defences/``:
the defence schedule (述职答辩). The office lists, schedules, moves (PATCH) and cancels (DELETE,
with a reason) a cycle's defences; a candidate and the panel members read their own
(``defences/mine/``). Thin: each endpoint parses with its own serializer and calls one service
or selector; roles (403) and states (409) come from the services."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.responses import RefetchedMixin
from core.roles import require_office

from .. import selectors, services
from ..models import Application, Defence


class DefenceSerializer(serializers.ModelSerializer):
    cycle = serializers.IntegerField(source="application.cycle_id", read_only=True)
    candidate = serializers.CharField(source="application.staff.name", read_only=True)
    employee_no = serializers.CharField(source="application.staff.employee_no", read_only=True)
    target_level = serializers.CharField(source="application.target_level.code", read_only=True)
    cancelled = serializers.BooleanField(read_only=True)
    ics_url = serializers.SerializerMethodField()

    class Meta:
        model = Defence
        fields = [
            "id",
            "application",
            "cycle",
            "candidate",
            "employee_no",
            "target_level",
            "starts_at",
            "ends_at",
            "place",
            "video_url",
            "note",
            "sequence",
            "cancelled",
            "cancelled_at",
            "cancel_reason",
            "updated_at",
            "ics_url",
        ]
        read_only_fields = fields

    def get_ics_url(self, obj) -> str:
        return reverse("certification:defence-ics", args=[obj.pk])


class DefenceScheduleSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Default: DEFENCE_DEFAULT_MINUTES."
    )
    place = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    video_url = serializers.URLField(required=False, allow_blank=True, max_length=500, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class DefenceMoveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    video_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class DefenceCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


def _scheduled(qs):
    return qs.order_by("starts_at", "pk")


class CycleDefencesView(generics.GenericAPIView):
    """The defences of a cycle (office only), cancelled ones included, by start time."""

    serializer_class = DefenceSerializer

    def get_queryset(self):
        return selectors.defence_list(user=self.request.user)

    def _cycle(self, pk):
        cycle = get_object_or_404(selectors.cycle_list(user=self.request.user), pk=pk)
        require_office(self.request.user)
        return cycle

    @extend_schema(responses=DefenceSerializer(many=True))
    def get(self, request, pk: int):
        cycle = self._cycle(pk)
        rows = _scheduled(self.get_queryset().filter(application__cycle=cycle))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DefenceSerializer(page, many=True).data)

    @extend_schema(request=DefenceScheduleSerializer, responses={201: DefenceSerializer})
    def post(self, request, pk: int):
        """Schedule (or move) the defence of one of the cycle's candidates."""
        cycle = self._cycle(pk)
        data = DefenceScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        app = get_object_or_404(Application, pk=v.pop("application"), cycle=cycle)
        defence = services.defence_schedule(actor=request.user, application=app, **v)
        fresh = self.get_queryset().get(pk=defence.pk)
        return Response(DefenceSerializer(fresh).data, status=status.HTTP_201_CREATED)


class DefenceViewSet(
    RefetchedMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """One defence: read by those in scope (its candidate, its panel members, the office);
    moved (PATCH) and cancelled (DELETE, with a reason) by the office."""

    serializer_class = DefenceSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.defence_list(user=self.request.user)

    @extend_schema(request=DefenceMoveSerializer, responses=DefenceSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Move the defence (or change its place, link or note); a missing end keeps the
        slot's length."""
        defence = self.get_object()
        require_office(request.user)
        data = DefenceMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        starts_at = v.get("starts_at", defence.starts_at)
        ends_at = v.get("ends_at") or starts_at + (defence.ends_at - defence.starts_at)
        services.defence_schedule(
            actor=request.user,
            application=defence.application,
            starts_at=starts_at,
            ends_at=ends_at,
            place=v.get("place", defence.place),
            video_url=v.get("video_url", defence.video_url),
            note=v.get("note", defence.note),
        )
        return self.answer(defence)

    @extend_schema(
        request=DefenceCancelSerializer,
        parameters=[
            OpenApiParameter(
                "reason", OpenApiTypes.STR, description="The reason, when not in the body."
            )
        ],
        responses=DefenceSerializer,
    )
    def destroy(self, request, *args, **kwargs):
        """Cancel the defence (the row stays, marked cancelled); the reason comes in the body
        or as ``?reason=``."""
        defence = self.get_object()
        require_office(request.user)
        payload = request.data if request.data else {"reason": request.query_params.get("reason")}
        data = DefenceCancelSerializer(data=payload)
        data.is_valid(raise_exception=True)
        services.defence_cancel(
            actor=request.user, defence=defence, reason=data.validated_data["reason"]
        )
        return self.answer(defence)

    @extend_schema(responses=DefenceSerializer(many=True))
    @action(detail=False, methods=["get"])
    def mine(self, request):
        """The caller's own defence (as a candidate) and those of their panels, not
        cancelled, by start time."""
        rows = _scheduled(self.get_queryset().filter(cancelled_at__isnull=True))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DefenceSerializer(page, many=True).data)
