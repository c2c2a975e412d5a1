"""``/api/v1/org/…`` (API.md, "org"). Thin: parse, call a selector or service, render."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.api.permissions import OfficeWritesOthersRead
from core.api.responses import refetched

from .. import selectors, services
from ..models import Level, OrgUnit, Track
from ..scope import staff_of
from . import filters, serializers


class OrgUnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Org units (组织). The org chart is not personal data: every signed-in user reads it."""

    queryset = OrgUnit.objects.all()
    serializer_class = serializers.OrgUnitSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = filters.OrgUnitFilter
    search_fields = ["name", "name_en", "code"]
    ordering_fields = ["code", "name", "path"]

    def perform_create(self, serializer):
        serializer.instance = services.unit_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.unit_update(
            actor=self.request.user, unit=serializer.instance, **serializer.validated_data
        )


class TrackViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Track.objects.all()
    serializer_class = serializers.TrackSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["code"]
    search_fields = ["name", "name_en", "code"]
    ordering_fields = ["code", "name"]

    def perform_create(self, serializer):
        serializer.instance = services.track_save(
            actor=self.request.user, track=Track(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        track = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(track, name, value)
        serializer.instance = services.track_save(actor=self.request.user, track=track)


class LevelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Ladder levels (岗位级别) with term and benefits."""

    queryset = Level.objects.select_related("track")
    serializer_class = serializers.LevelSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["track", "code", "order"]
    search_fields = ["name", "name_en", "code", "honorary_title"]
    ordering_fields = ["track", "order", "code"]

    def perform_create(self, serializer):
        serializer.instance = services.level_save(
            actor=self.request.user, level=Level(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        level = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(level, name, value)
        serializer.instance = services.level_save(actor=self.request.user, level=level)


class StaffViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Staff (员工), scoped: self for a staff member, the subtree for a manager, all for HR.

    The level is read-only here: it changes only through an appointment.
    """

    serializer_class = serializers.StaffSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = filters.StaffFilter
    search_fields = ["name", "employee_no"]
    ordering_fields = ["employee_no", "name", "hire_date", "level_since", "level__order"]
    ordering = ["employee_no"]

    def get_queryset(self):
        return selectors.staff_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.StaffCreateSerializer
        if self.action in ("update", "partial_update"):
            return serializers.StaffUpdateSerializer
        return serializers.StaffSerializer

    @extend_schema(responses=serializers.StaffSerializer)
    def create(self, request, *args, **kwargs):
        data = serializers.StaffCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        staff = services.staff_create(actor=request.user, **data.validated_data)
        staff = self.get_queryset().get(pk=staff.pk)
        return Response(serializers.StaffSerializer(staff).data, status=201)

    @extend_schema(responses=serializers.StaffSerializer)
    def update(self, request, *args, **kwargs):
        staff = self.get_object()
        data = serializers.StaffUpdateSerializer(data=request.data, partial=kwargs.get("partial"))
        data.is_valid(raise_exception=True)
        services.staff_update(actor=request.user, staff=staff, **data.validated_data)
        staff = self.get_queryset().get(pk=staff.pk)
        return Response(serializers.StaffSerializer(staff).data)

    @extend_schema(request=serializers.StaffExitSerializer, responses=serializers.StaffSerializer)
    @action(detail=True, methods=["post"], url_path="exit")
    def exit(self, request, pk=None):
        """The staff member leaves: appointment closed, login closed, live applications
        withdrawn, every record kept (certification office only)."""
        staff = self.get_object()
        data = serializers.StaffExitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.staff_exit(
            actor=request.user,
            staff=staff,
            exit_date=data.validated_data["exit_date"],
            reason=data.validated_data["reason"],
        )
        return refetched(self.get_queryset(), staff, serializers.StaffSerializer)

    @extend_schema(responses=serializers.StaffSerializer)
    @action(detail=False, methods=["get"])
    def me(self, request):
        """The caller's own staff record (404 for an account without one)."""
        me = staff_of(request.user)
        if me is None:
            raise NotFound
        return Response(serializers.StaffSerializer(self.get_queryset().get(pk=me.pk)).data)


class AppointmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Appointments (聘任记录), read-only and scoped; changed only by workflow services."""

    serializer_class = serializers.AppointmentSerializer
    filterset_class = filters.AppointmentFilter
    ordering_fields = ["start", "end", "staff__employee_no"]
    ordering = ["-start", "-id"]

    def get_queryset(self):
        return selectors.appointment_list(user=self.request.user)
