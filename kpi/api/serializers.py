"""Input and output shapes of ``/api/v1/kpi/…`` (API.md, "kpi")."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from org.api.fields import VisibleStaffField
from org.models import Level, OrgUnit

from .. import rules, scoring
from ..models import (
    PLANNED_STAGE_CHOICES,
    Actual,
    AnnualScore,
    Appraisal,
    Correction,
    GradePolicy,
    Indicator,
    Period,
    PeriodScore,
    PeriodStage,
    PeriodType,
    QuotaAllocation,
    QuotaGrant,
    Scheme,
    StaffTarget,
    Stage,
    StageState,
    UnitQuota,
)

TARGET = {"max_digits": 18, "decimal_places": 4}


class IndicatorSerializer(serializers.ModelSerializer):
    params = serializers.JSONField(
        required=False,
        help_text="ratio/inverse_ratio {cap}; bands {bands: [[threshold, score]], below}; "
        "rating {map: {A..E: score}}; deduction {points}.",
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "unit",
            "kind",
            "method",
            "params",
            "description",
            "active",
        ]

    def validate(self, attrs):
        method = attrs.get("method", getattr(self.instance, "method", None))
        params = attrs.get("params")
        if params is None:
            params = (
                self.instance.params
                if self.instance is not None and "method" not in attrs
                else scoring.default_params(method)
            )
        try:
            attrs["params"] = scoring.validate_params(method, params)
        except scoring.ParamsError as exc:
            raise serializers.ValidationError({"params": exc.messages}) from exc
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        if method in (scoring.RATING, scoring.SOURCES) and kind != Indicator.Kind.QUALITATIVE:
            raise serializers.ValidationError({"kind": ["A rating indicator is qualitative."]})
        return attrs


class SchemeItemSerializer(serializers.Serializer):
    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())
    weight = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal(100)
    )
    target = serializers.DecimalField(**TARGET, required=False, allow_null=True)


class SchemeSerializer(serializers.ModelSerializer):
    items = SchemeItemSerializer(many=True)
    track = serializers.PrimaryKeyRelatedField(read_only=True)
    level = serializers.PrimaryKeyRelatedField(queryset=Level.objects.all(), required=False)
    period_type = serializers.ChoiceField(choices=PeriodType.choices, required=False)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Scheme.objects.filter(parent__isnull=True),
        required=False,
        allow_null=True,
        help_text="The company framework of a unit variant (level and period type follow it).",
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Scheme
        fields = [
            "id",
            "track",
            "level",
            "period_type",
            "name",
            "parent",
            "unit",
            "weight_bounds",
            "rater_weights",
            "items",
        ]
        validators: list = []  # the framework's uniqueness is checked in validate()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["items"] = [
            {
                "indicator": item.indicator_id,
                "weight": f"{item.weight:.2f}",
                "target": None if item.target is None else f"{item.target:.4f}",
            }
            for item in instance.items.all()
        ]
        return data

    def validate(self, attrs):
        parent = attrs.get("parent", getattr(self.instance, "parent", None))
        if parent is not None:
            attrs["level"], attrs["period_type"] = parent.level, parent.period_type
            return attrs
        level = attrs.get("level", getattr(self.instance, "level", None))
        period_type = attrs.get("period_type", getattr(self.instance, "period_type", None))
        if level is None or period_type is None:
            raise serializers.ValidationError(
                {"level": ["A company framework needs its level and period type."]}
            )
        clash = Scheme.objects.filter(level=level, period_type=period_type, parent__isnull=True)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"level": ["This level already has a scheme for this period type."]}
            )
        return attrs


class PeriodStageSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()

    class Meta:
        model = PeriodStage
        fields = ["stage", "starts", "ends", "started_at", "ended_at", "state"]

    @extend_schema_field(serializers.ChoiceField(choices=StageState.choices))
    def get_state(self, obj) -> str:
        return rules.stage_state(obj.stage, obj.period.stage)


class PeriodSerializer(serializers.ModelSerializer):
    stages = PeriodStageSerializer(many=True, read_only=True)

    class Meta:
        model = Period
        fields = [
            "id",
            "code",
            "period_type",
            "year",
            "start",
            "end",
            "status",
            "locked_at",
            "stage",
            "targets_published_at",
            "stages",
        ]
        read_only_fields = [
            "period_type",
            "year",
            "start",
            "end",
            "status",
            "locked_at",
            "stage",
            "targets_published_at",
        ]
        extra_kwargs = {"code": {"validators": []}}


class StageAdvanceSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices, help_text="The next stage (no skipping).")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class StageScheduleSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=PLANNED_STAGE_CHOICES)
    starts = serializers.DateField()
    ends = serializers.DateField()


class AppraisalSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    period_code = serializers.CharField(source="period.code", read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Appraisal
        fields = [
            "id",
            "staff",
            "employee_no",
            "staff_name",
            "period",
            "period_code",
            "status",
            "targets_acknowledged_at",
            "self_quantitative",
            "self_qualitative",
            "self_submitted_at",
            "review_date",
            "review_summary",
            "coaching_actions",
            "development_goals",
            "reviewed_by",
            "reviewed_at",
            "response",
            "response_comment",
            "responded_at",
        ]
        read_only_fields = fields


class AppraisalPeriodSerializer(serializers.Serializer):
    period = serializers.SlugRelatedField(slug_field="code", queryset=Period.objects.all())


class SelfAppraisalInputSerializer(AppraisalPeriodSerializer):
    quantitative = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    qualitative = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class ReviewInputSerializer(AppraisalPeriodSerializer):
    staff = VisibleStaffField()
    review_date = serializers.DateField()
    summary = serializers.CharField(max_length=10000)
    coaching_actions = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    development_goals = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class RespondInputSerializer(AppraisalPeriodSerializer):
    response = serializers.ChoiceField(choices=Appraisal.Response.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class ReasonSerializer(serializers.Serializer):
    class Meta:
        ref_name = "KpiReason"

    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ActualSerializer(serializers.ModelSerializer):
    value = serializers.SerializerMethodField()
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)

    class Meta:
        model = Actual
        fields = [
            "id",
            "staff",
            "employee_no",
            "indicator",
            "period",
            "value",
            "source",
            "updated_at",
        ]
        read_only_fields = fields

    def get_value(self, obj) -> str:
        return obj.display_value


class ActualInputSerializer(serializers.Serializer):
    staff = VisibleStaffField()
    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())
    period = serializers.PrimaryKeyRelatedField(queryset=Period.objects.all())
    value = serializers.CharField(max_length=64, help_text="A number, or A–E for a rating.")


class CorrectionInputSerializer(serializers.Serializer):
    value = serializers.CharField(max_length=64)
    reason = serializers.CharField(max_length=2000)


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = [
            "id",
            "actual",
            "old_value",
            "new_value",
            "reason",
            "corrected_by",
            "corrected_at",
        ]
        read_only_fields = fields


class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV (UTF-8, header) or XLSX: employee_no, indicator, period, value"
    )


class ImportOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="actuals created")
    updated = serializers.IntegerField(help_text="actuals whose value the file changed")
    unchanged = serializers.IntegerField(help_text="lines whose value was already stored")


class ScoreItemSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    actual = serializers.CharField()
    target = serializers.CharField(allow_null=True)
    score = serializers.CharField()
    weight = serializers.CharField()


class PeriodScoreSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()
    period_code = serializers.CharField(source="period.code", read_only=True)

    class Meta:
        model = PeriodScore
        fields = ["id", "staff", "period", "period_code", "total", "items"]
        read_only_fields = fields

    @extend_schema_field(ScoreItemSerializer(many=True))
    def get_items(self, obj) -> list[dict]:
        return [
            {k: item[k] for k in ("indicator", "actual", "target", "score", "weight")}
            for item in obj.items
        ]


class AnnualScoreSerializer(serializers.ModelSerializer):
    threshold_grade = serializers.CharField(
        read_only=True, help_text="The grade the thresholds gave, before the unit's quota (A–E)."
    )

    class Meta:
        model = AnnualScore
        fields = [
            "id",
            "staff",
            "year",
            "score",
            "grade",
            "threshold_grade",
            "periods",
            "unit",
            "unit_rank",
        ]
        read_only_fields = fields


class RecomputeSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=9999)


class GradePolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = GradePolicy
        fields = [
            "id",
            "year",
            "period_type",
            "a_min",
            "b_min",
            "c_min",
            "d_min",
            "quota_a_pct",
            "quota_ab_pct",
        ]


class StaffTargetSerializer(serializers.ModelSerializer):
    target = serializers.DecimalField(**TARGET)

    class Meta:
        model = StaffTarget
        fields = ["id", "staff", "indicator", "period", "target"]


class UnitQuotaSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = UnitQuota
        fields = [
            "unit",
            "unit_code",
            "unit_name",
            "headcount",
            "mean_score",
            "improvement",
            "weight",
            "share_a",
            "share_b",
            "places_a",
            "places_b",
        ]


class QuotaGrantSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuotaGrant
        fields = ["id", "grade", "unit", "staff", "reason", "granted_by", "granted_at"]
        read_only_fields = fields


class QuotaAllocationSerializer(serializers.ModelSerializer):
    units = UnitQuotaSerializer(many=True, read_only=True)
    grants = QuotaGrantSerializer(many=True, read_only=True)

    class Meta:
        model = QuotaAllocation
        fields = [
            "id",
            "year",
            "basis",
            "a_pct",
            "ab_pct",
            "reserve_a",
            "reserve_b",
            "population",
            "company_a",
            "company_b",
            "company_mean",
            "status",
            "computed_at",
            "published_at",
            "units",
            "grants",
        ]
        read_only_fields = [
            "population",
            "company_a",
            "company_b",
            "company_mean",
            "status",
            "computed_at",
            "published_at",
        ]
        extra_kwargs = {"year": {"validators": []}}  # the year is upserted by the service


class QuotaGrantInputSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=QuotaGrant.Grade.choices)
    unit = serializers.IntegerField(required=False, allow_null=True)
    staff = serializers.IntegerField(required=False, allow_null=True)
    reason = serializers.CharField()


class CalibrationChangeSerializer(serializers.Serializer):
    staff = serializers.IntegerField()
    grade = serializers.ChoiceField(choices=AnnualScore.Grade.choices)


class CalibrateSerializer(serializers.Serializer):
    changes = CalibrationChangeSerializer(many=True, min_length=1)
    reason = serializers.CharField()


class CalibrationPersonSerializer(serializers.Serializer):
    staff = serializers.IntegerField(source="row.staff_id")
    employee_no = serializers.CharField(source="row.staff.employee_no")
    name = serializers.CharField(source="row.staff.name")
    score = serializers.DecimalField(source="row.score", max_digits=7, decimal_places=2)
    threshold_grade = serializers.CharField(source="row.threshold_grade")
    grade = serializers.CharField(source="row.grade")
    why = serializers.CharField()


class CalibrationUnitSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_code = serializers.CharField(source="unit.code")
    places_a = serializers.IntegerField(source="quota.places_a")
    places_b = serializers.IntegerField(source="quota.places_b")
    reserve_a = serializers.IntegerField()
    reserve_b = serializers.IntegerField()
    ceiling_a = serializers.IntegerField()
    ceiling_ab = serializers.IntegerField()
    used_a = serializers.IntegerField()
    used_ab = serializers.IntegerField()
    before = serializers.DictField(child=serializers.IntegerField())
    after = serializers.DictField(child=serializers.IntegerField())
    moved = CalibrationPersonSerializer(many=True)
    granted = CalibrationPersonSerializer(many=True)


class CalibrationSerializer(serializers.Serializer):
    year = serializers.IntegerField(source="allocation.year")
    status = serializers.CharField(source="allocation.status")
    reserve_left_a = serializers.IntegerField()
    reserve_left_b = serializers.IntegerField()
    units = CalibrationUnitSerializer(many=True)
