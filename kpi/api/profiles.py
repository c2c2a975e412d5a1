"""``/api/v1/kpi/profiles/`` and ``/api/v1/kpi/profile-choices/`` (API.md, "kpi"): assessment
profiles on a framework (HR writes, everyone reads) and each employee's choice for a year,
approved by the line manager (scoped: own, a manager's team, HR all; others 404)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from core.api.permissions import OfficeWritesOthersRead
from core.api.responses import refetched
from org.scope import scope_by_staff

from .. import services
from ..models import AssessmentProfile, Indicator, ProfileChoice, Scheme


class ProfileItemSerializer(serializers.Serializer):
    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)


class ProfileSerializer(serializers.ModelSerializer):
    framework = serializers.PrimaryKeyRelatedField(
        queryset=Scheme.objects.filter(parent__isnull=True)
    )
    items = ProfileItemSerializer(many=True)

    class Meta:
        model = AssessmentProfile
        fields = ["id", "framework", "name", "items"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["items"] = [
            {"indicator": i.indicator_id, "weight": f"{i.weight:.2f}"} for i in instance.items.all()
        ]
        return data


class ChoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProfileChoice
        fields = [
            "id",
            "staff",
            "year",
            "profile",
            "status",
            "chosen_at",
            "approved_at",
            "refusal_reason",
        ]
        read_only_fields = fields


class ChooseInputSerializer(serializers.Serializer):
    profile = serializers.PrimaryKeyRelatedField(queryset=AssessmentProfile.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class RefuseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AssessmentProfileViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Assessment profiles (考核侧重方案): named weight sets on a company framework."""

    serializer_class = ProfileSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["framework"]

    def get_queryset(self):
        return AssessmentProfile.objects.prefetch_related("items").order_by("framework", "name")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        items = data.pop("items")
        serializer.instance = services.profile_save(
            actor=self.request.user, profile=AssessmentProfile(**data), items=items
        )


class ProfileChoiceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Employees' profile choices per year: own, a manager's team, HR all."""

    serializer_class = ChoiceSerializer
    filterset_fields = ["staff", "year", "status"]

    def get_queryset(self):
        return scope_by_staff(ProfileChoice.objects.all(), self.request.user).order_by(
            "-year", "staff_id"
        )

    @extend_schema(request=ChooseInputSerializer, responses={201: ChoiceSerializer})
    def create(self, request):
        """The employee chooses a profile for a year (preparation stage only)."""
        data = ChooseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.profile_choose(actor=request.user, **data.validated_data)
        return refetched(self.get_queryset(), row, ChoiceSerializer, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ChoiceSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The line manager (or HR) approves the choice (preparation stage only)."""
        row = services.profile_approve(actor=request.user, choice=self.get_object())
        return refetched(self.get_queryset(), row, ChoiceSerializer)

    @extend_schema(request=RefuseInputSerializer, responses=ChoiceSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """The line manager (or HR) refuses a pending choice with a reason (400
        ``reason_required`` without one); the employee chooses again."""
        data = RefuseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.profile_refuse(
            actor=request.user, choice=self.get_object(), reason=data.validated_data["reason"]
        )
        return refetched(self.get_queryset(), row, ChoiceSerializer)
