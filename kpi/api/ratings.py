"""``/api/v1/kpi/ratings/…`` (API.md, "kpi"): multi-source ratings of qualitative indicators.

- ``ratings/assignments/``: raters the line manager (or HR) assigned; a rater sees their own.
- ``ratings/``: individual ratings — the ones the caller gave or entered (HR: all); ``POST``
  gives the caller's rating for one of their assignments; ``POST ratings/client/`` enters a
  client's rating; ``GET ratings/result/?staff=&period=`` the aggregates a person in scope may
  see (peer and subordinate raters never named).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.responses import refetched
from core.errors import NotInScope
from org.api.fields import VisibleStaffField
from org.models import Staff

from .. import rating_selectors, services
from ..models import Indicator, Period, QualitativeRating, RaterAssignment, RaterType

SCORE = {"max_digits": 5, "decimal_places": 2}


class AssignmentSerializer(serializers.ModelSerializer):
    period = serializers.SlugRelatedField(slug_field="code", read_only=True)
    rater_name = serializers.SerializerMethodField()

    class Meta:
        model = RaterAssignment
        fields = ["id", "period", "staff", "indicator", "rater_type", "rater_name", "assigned_at"]

    def get_rater_name(self, obj) -> str:
        staff = getattr(obj.rater, "staff", None)
        return staff.name if staff is not None else ""


class AssignInputSerializer(serializers.Serializer):
    period = serializers.SlugRelatedField(slug_field="code", queryset=Period.objects.all())
    staff = VisibleStaffField()
    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())
    rater_type = serializers.ChoiceField(choices=RaterType.choices)
    rater = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.filter(user__isnull=False),
        help_text="The rater's staff id (they need a login).",
    )


class RatingSerializer(serializers.ModelSerializer):
    period = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = QualitativeRating
        fields = [
            "id",
            "period",
            "staff",
            "indicator",
            "rater_type",
            "score",
            "comment",
            "entered_at",
        ]


class SubmitInputSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    score = serializers.DecimalField(**SCORE)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ClientInputSerializer(serializers.Serializer):
    period = serializers.SlugRelatedField(slug_field="code", queryset=Period.objects.all())
    staff = VisibleStaffField()
    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())
    score = serializers.DecimalField(**SCORE)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class GroupSerializer(serializers.Serializer):
    label = serializers.CharField()
    types = serializers.ListField(child=serializers.CharField(), help_text="Rater types")
    count = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=7, decimal_places=2)


class IndicatorResultSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator.pk")
    code = serializers.CharField(source="indicator.code")
    value = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    groups = GroupSerializer(many=True)
    comments = serializers.ListField(child=serializers.CharField())


class RaterAssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Raters assigned to staff members' multi-source indicators. The line manager (for their
    team) or HR assigns; a rater sees their own assignments; others 404."""

    serializer_class = AssignmentSerializer
    filterset_fields = ["staff", "indicator", "rater_type"]

    def get_queryset(self):
        return rating_selectors.assignment_list(user=self.request.user).select_related(
            "rater__staff"
        )

    @extend_schema(request=AssignInputSerializer, responses={201: AssignmentSerializer})
    def create(self, request):
        data = AssignInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        rater = values.pop("rater").user
        row = services.rater_assign(actor=request.user, rater=rater, **values)
        return refetched(
            self.get_queryset(), row, AssignmentSerializer, status=status.HTTP_201_CREATED
        )


class QualitativeRatingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Individual multi-source ratings: the caller's own (given or entered); HR all."""

    serializer_class = RatingSerializer
    filterset_fields = ["staff", "indicator", "rater_type"]

    def get_queryset(self):
        return rating_selectors.rating_list(user=self.request.user)

    @extend_schema(request=SubmitInputSerializer, responses={201: RatingSerializer})
    def create(self, request):
        """The assigned rater gives (or changes) their score 0–100."""
        data = SubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = (
            RaterAssignment.objects.select_related("period")
            .filter(pk=data.validated_data["assignment"], rater=request.user)
            .first()
        )
        if assignment is None:
            raise NotInScope
        row = services.rating_submit(
            actor=request.user,
            assignment=assignment,
            score=data.validated_data["score"],
            comment=data.validated_data.get("comment", ""),
        )
        return refetched(self.get_queryset(), row, RatingSerializer, status=status.HTTP_201_CREATED)

    @extend_schema(request=ClientInputSerializer, responses={201: RatingSerializer})
    @action(detail=False, methods=["post"])
    def client(self, request):
        """The manager or HR enters a client's rating."""
        data = ClientInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        row = services.rating_client_enter(actor=request.user, **data.validated_data)
        return refetched(self.get_queryset(), row, RatingSerializer, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("staff", int, required=True),
            OpenApiParameter("period", str, required=True, description="Period code"),
        ],
        responses=IndicatorResultSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def result(self, request):
        """A staff member's results in the caller's scope (404 outside): per indicator the
        actual and the aggregates shown."""
        period = Period.objects.filter(code=request.query_params.get("period", "")).first()
        if period is None:
            raise serializers.ValidationError({"period": ["Unknown period."]})
        _staff, results, _weights = rating_selectors.rating_result(
            user=request.user, staff_id=request.query_params.get("staff"), period=period
        )
        return Response(IndicatorResultSerializer(results, many=True).data)
