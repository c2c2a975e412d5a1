"""Input and output shapes of ``/api/v1/competency/…`` (API.md, "competency")."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from org.api.fields import VisibleStaffField

from ..models import (
    Assessment,
    AssessmentRound,
    Competency,
    CompetencyModel,
    ProficiencyLevel,
    RaterType,
    Requirement,
)
from ..selectors import sees_rater_identity

SCALE_MAX = 9


class CompetencyReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


# --- models -----------------------------------------------------------------------------------


class CompetencyModelSerializer(serializers.ModelSerializer):
    competency_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = CompetencyModel
        fields = [
            "id",
            "track",
            "version",
            "name",
            "name_en",
            "description",
            "description_en",
            "scale_max",
            "status",
            "based_on",
            "published_at",
            "retired_at",
            "competency_count",
        ]
        read_only_fields = ["version", "status", "based_on", "published_at", "retired_at"]


class CompetencyModelUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetencyModel
        fields = ["name", "name_en", "description", "description_en", "scale_max"]


class ProficiencyLevelSerializer(serializers.ModelSerializer):
    level = serializers.IntegerField(min_value=1, max_value=SCALE_MAX)
    description = serializers.CharField(allow_blank=True, max_length=5000)
    description_en = serializers.CharField(
        allow_blank=True, max_length=5000, required=False, default=""
    )

    class Meta:
        model = ProficiencyLevel
        fields = ["level", "description", "description_en"]


class CompetencySerializer(serializers.ModelSerializer):
    levels = ProficiencyLevelSerializer(many=True, required=False)

    class Meta:
        model = Competency
        fields = [
            "id",
            "model",
            "code",
            "name",
            "name_en",
            "description",
            "description_en",
            "category",
            "kind",
            "order",
            "levels",
        ]
        # Uniqueness of (model, code) is checked against the database by full_clean.
        validators = []

    def validate_levels(self, value):
        # A PATCH validates nested entries partially, so "level" may be missing there.
        if any("level" not in entry for entry in value):
            raise serializers.ValidationError(_("Each entry needs its level."))
        seen = [entry["level"] for entry in value]
        if len(seen) != len(set(seen)):
            raise serializers.ValidationError(_("Each level appears once."))
        return value


class CompetencyUpdateSerializer(CompetencySerializer):
    class Meta(CompetencySerializer.Meta):
        read_only_fields = ["model"]


class RequirementSerializer(serializers.ModelSerializer):
    required_level = serializers.IntegerField(min_value=1, max_value=SCALE_MAX)
    weight = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=Decimal("0.01"), default=Decimal("1.00")
    )

    class Meta:
        model = Requirement
        fields = ["id", "model", "level", "competency", "required_level", "weight"]
        validators = []


class RequirementUpdateSerializer(serializers.ModelSerializer):
    required_level = serializers.IntegerField(min_value=1, max_value=SCALE_MAX)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal("0.01"))

    class Meta:
        model = Requirement
        fields = ["required_level", "weight"]


# --- rounds and assessments -------------------------------------------------------------------


class AssessmentRoundSerializer(serializers.ModelSerializer):
    staff = VisibleStaffField(many=True, write_only=True, allow_empty=False)
    assessment_count = serializers.IntegerField(read_only=True, required=False)
    finalized_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = AssessmentRound
        fields = [
            "id",
            "name",
            "model",
            "status",
            "due_date",
            "weight_manager",
            "weight_peer",
            "weight_expert",
            "weight_self",
            "staff",
            "assessment_count",
            "finalized_count",
            "created_at",
            "closed_at",
        ]
        read_only_fields = ["status", "created_at", "closed_at"]


class AssessmentRoundFinalizeSerializer(serializers.Serializer):
    finalized = serializers.IntegerField()


class AssessmentRaterSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    rater_type = serializers.ChoiceField(choices=RaterType.choices)
    user = serializers.IntegerField(allow_null=True)
    name = serializers.CharField(allow_null=True)
    completed = serializers.BooleanField()


def rater_data(user, assessment, rater) -> dict:
    visible = sees_rater_identity(user=user, assessment=assessment, rater_type=rater.rater_type)
    return {
        "id": rater.pk if visible else None,
        "rater_type": rater.rater_type,
        "user": rater.user_id if visible else None,
        "name": _display_user(rater.user) if visible else None,
        "completed": rater.completed_at is not None,
    }


def _display_user(user) -> str:
    staff = getattr(user, "staff", None)
    return staff.name if staff is not None else user.get_username()


class AssessmentResultSerializer(serializers.Serializer):
    competency = serializers.IntegerField(source="competency_id")
    code = serializers.CharField(source="competency.code")
    name = serializers.CharField(source="competency.display_name")
    required = serializers.IntegerField(source="required_level", allow_null=True)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    actual = serializers.DecimalField(max_digits=5, decimal_places=2)
    gap = serializers.DecimalField(max_digits=5, decimal_places=2)
    by_type = serializers.DictField(child=serializers.CharField())


class AssessmentSerializer(serializers.ModelSerializer):
    round_name = serializers.CharField(source="round.name", read_only=True)
    raters = serializers.SerializerMethodField()
    results = AssessmentResultSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "round",
            "round_name",
            "staff",
            "model",
            "level",
            "status",
            "index",
            "finalized_on",
            "raters",
            "results",
        ]
        read_only_fields = fields

    @extend_schema_field(AssessmentRaterSerializer(many=True))
    def get_raters(self, obj) -> list[dict]:
        user = self.context["request"].user
        return [rater_data(user, obj, r) for r in obj.raters.all()]


class AssessmentCreateSerializer(serializers.Serializer):
    """A one-person round: ``{staff, model, name?, due_date?}``."""

    staff = VisibleStaffField()
    model = serializers.PrimaryKeyRelatedField(queryset=CompetencyModel.objects.all())
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)


class AssessmentRaterInviteSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    rater_type = serializers.ChoiceField(choices=RaterType.choices)


class AssessmentRatingInSerializer(serializers.Serializer):
    rater_type = serializers.ChoiceField(choices=RaterType.choices)
    competency = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    level = serializers.IntegerField(min_value=1, max_value=SCALE_MAX)
    evidence = serializers.CharField(max_length=5000)


class AssessmentRatingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rater_type = serializers.CharField()
    rater = serializers.IntegerField(allow_null=True)
    rater_name = serializers.CharField(allow_null=True)
    competency = serializers.IntegerField()
    level = serializers.IntegerField()
    evidence = serializers.CharField()
    rated_at = serializers.DateTimeField()


def rating_data(user, assessment, rating) -> dict:
    rater = rating.rater
    visible = sees_rater_identity(user=user, assessment=assessment, rater_type=rater.rater_type)
    return {
        "id": rating.pk,
        "rater_type": rater.rater_type,
        "rater": rater.user_id if visible else None,
        "rater_name": _display_user(rater.user) if visible else None,
        "competency": rating.competency_id,
        "level": rating.level,
        "evidence": rating.evidence,
        "rated_at": rating.rated_at,
    }


# --- profile ----------------------------------------------------------------------------------


class CompetencyCourseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()


class CompetencyProfileItemSerializer(serializers.Serializer):
    competency = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    kind = serializers.CharField()
    required = serializers.IntegerField(allow_null=True)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    actual = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    gap = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    courses = CompetencyCourseRefSerializer(many=True)


class CompetencyProfileSerializer(serializers.Serializer):
    staff = serializers.IntegerField()
    index = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    assessment = serializers.IntegerField(allow_null=True)
    finalized_on = serializers.DateField(allow_null=True)
    model = serializers.IntegerField(allow_null=True)
    items = CompetencyProfileItemSerializer(many=True)
