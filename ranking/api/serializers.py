from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from committee import sheets as panel_sheets
from committee import visibility
from core.roles import Role
from org.models import Track

from .. import selectors, services
from ..models import (
    AppealMaterial,
    RankingEntry,
    RankingRun,
    RecertificationAppeal,
    RecertificationCase,
    RecertificationObjection,
    RecertificationSheet,
    RecertificationSheetLine,
)


def _code(values, label) -> serializers.CharField:
    """A read-only code field; its values are listed in the help text (a named enum here would
    collide with the other apps' ``status``/``outcome`` enums in the OpenAPI schema)."""
    return serializers.CharField(read_only=True, help_text=f"{label}: {' / '.join(values)}")


class RunSerializer(serializers.ModelSerializer):
    status = _code(RankingRun.Status.values, "status")

    class Meta:
        model = RankingRun
        fields = [
            "id",
            "track",
            "year",
            "cohort",
            "bottom_pct",
            "min_months",
            "min_cohort",
            "kpi_weight",
            "pass_line",
            "elimination_line",
            "spread_threshold",
            "status",
            "reason",
            "supersedes",
            "summary",
            "created_at",
            "computed_at",
            "entries_written_at",
            "committed_at",
            "early_commit_reason",
            "early_commit_grounds",
        ]
        read_only_fields = fields


class RunParametersSerializer(serializers.Serializer):
    """Parameters of a preview (all optional on an update)."""

    cohort = serializers.ChoiceField(choices=RankingRun.Cohort.choices, required=False)
    bottom_pct = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        required=False,
        help_text=_("Between 5 % and 10 %; no other percentage is accepted."),
    )
    min_months = serializers.IntegerField(min_value=0, max_value=12, required=False)
    min_cohort = serializers.IntegerField(min_value=1, max_value=100000, required=False)
    kpi_weight = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        required=False,
    )
    pass_line = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
    )
    elimination_line = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
    )
    spread_threshold = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
        help_text=_("Std dev of a case's panel totals above which the case is flagged."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Needed when the year already has a committed run."),
    )


class RunCreateSerializer(RunParametersSerializer):
    track = serializers.PrimaryKeyRelatedField(queryset=Track.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class EntrySerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)
    cohort = serializers.IntegerField(source="cohort_key", read_only=True, allow_null=True)
    percentile = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = RankingEntry
        fields = [
            "id",
            "staff",
            "employee_no",
            "staff_name",
            "unit",
            "level",
            "cohort",
            "kpi_score",
            "competency_index",
            "score",
            "rank",
            "cohort_size",
            "percentile",
            "band_size",
            "in_bottom_band",
            "in_top_band",
            "excluded",
            "reason",
            "carried_case",
        ]
        read_only_fields = fields


class SheetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecertificationSheetLine
        fields = ["code", "name", "weight", "max_score", "score"]
        read_only_fields = fields


class SheetSerializer(serializers.ModelSerializer):
    status = _code(RecertificationSheet.Status.values, "status")
    lines = SheetLineSerializer(many=True, read_only=True)

    class Meta:
        model = RecertificationSheet
        fields = ["id", "member", "round", "total", "status", "submitted_at", "lines"]
        read_only_fields = fields


class ObjectionSerializer(serializers.ModelSerializer):
    status = _code(RecertificationObjection.Status.values, "status")

    class Meta:
        model = RecertificationObjection
        fields = ["id", "case", "text", "status", "resolution", "created_at"]
        read_only_fields = fields


class AppealMaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = AppealMaterial
        fields = ["id", "original_name", "content_type", "size", "sha256"]
        read_only_fields = fields


class AppealSerializer(serializers.ModelSerializer):
    status = _code(RecertificationAppeal.Status.values, "status")
    remedy = _code(RecertificationAppeal.Remedy.values, "remedy (empty unless upheld)")
    materials = AppealMaterialSerializer(many=True, read_only=True)

    class Meta:
        model = RecertificationAppeal
        fields = [
            "id",
            "case",
            "reason",
            "status",
            "remedy",
            "resolution",
            "resolved_on",
            "created_at",
            "materials",
        ]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    ranking_run = serializers.PrimaryKeyRelatedField(
        source="run",
        read_only=True,
        allow_null=True,
        help_text=_("The committed run that opened the case; null for a referred case."),
    )
    reappointment_case = serializers.IntegerField(
        source="reappointment_case_id",
        read_only=True,
        allow_null=True,
        help_text=_("The term-end (re-appointment) case that referred the staff member."),
    )
    year = serializers.IntegerField(
        read_only=True, help_text=_("The run's year; for a referred case, the year it opened.")
    )
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    status = _code(RecertificationCase.Status.values, "status")
    outcome = _code(RecertificationCase.Outcome.values, "outcome (empty while open)")
    ground = _code(RecertificationCase.Ground.values, "ground")
    new_level = serializers.PrimaryKeyRelatedField(
        source="new_appointment.level", read_only=True, allow_null=True
    )
    appeals = AppealSerializer(many=True, read_only=True)
    spread = serializers.SerializerMethodField(
        help_text=_(
            "Std dev of the submitted totals (office, leadership group, and panel members who "
            "submitted their own sheet; otherwise null)."
        )
    )
    spread_flag = serializers.SerializerMethodField(
        help_text=_("The spread is above the run's threshold: discuss before deciding.")
    )

    def _spread(self, case):
        key = f"_spread_{case.pk}"
        if key not in self.context:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            sheets = [x for x in case.sheets.all() if x.round == case.round]
            allowed = user is not None and visibility.sees_others(
                user=user, sheets=sheets, oversees=selectors.oversees_cases(user)
            )
            submitted = [x.total for x in sheets if panel_sheets.is_submitted(x)]
            self.context[key] = services.spread(case, submitted) if allowed else (None, None)
        return self.context[key]

    @extend_schema_field(serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True))
    def get_spread(self, case):
        value = self._spread(case)[0]
        return None if value is None else str(value)

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_spread_flag(self, case):
        return self._spread(case)[1]

    class Meta:
        model = RecertificationCase
        fields = [
            "id",
            "staff",
            "staff_name",
            "level",
            "ranking_run",
            "reappointment_case",
            "year",
            "status",
            "outcome",
            "ground",
            "committee_score",
            "spread",
            "spread_flag",
            "members",
            "chair",
            "decision_reason",
            "decided_on",
            "new_appointment",
            "new_level",
            "closed_appointment",
            "letter_id",
            "round",
            "sheet_definition",
            "proposed_by",
            "proposed_on",
            "publicity_start",
            "publicity_end",
            "approved_by",
            "approved_on",
            "approval_reason",
            "appeal_until",
            "effective_on",
            "appeals",
        ]
        read_only_fields = fields


class AssignSerializer(serializers.Serializer):
    members = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=get_user_model().objects.filter(groups__name=Role.COMMITTEE).distinct(),
        help_text=_("User ids of committee members."),
    )
    chair = serializers.PrimaryKeyRelatedField(
        required=False,
        allow_null=True,
        queryset=get_user_model().objects.filter(groups__name=Role.COMMITTEE).distinct(),
        help_text=_("One of the members; by default the current chair, else the first member."),
    )


class ReopenSerializer(serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), help_text=_("The member whose sheet is reopened.")
    )
    reason = serializers.CharField(max_length=2000)


class ScoreSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=9, decimal_places=4, min_value=Decimal("0")),
        help_text=_("{part code: score} for every part of the case's sheet, within its maximum."),
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    submit = serializers.BooleanField(default=True)


class PublishedCaseSerializer(serializers.ModelSerializer):
    """A line of the published result list: what every signed-in user may see."""

    staff_name = serializers.CharField(source="staff.name", read_only=True)
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)
    level_code = serializers.CharField(source="level.code", read_only=True)
    year = serializers.IntegerField(read_only=True)
    outcome = _code(RecertificationCase.Outcome.values, "proposed outcome")

    class Meta:
        model = RecertificationCase
        fields = [
            "id",
            "staff_name",
            "employee_no",
            "level_code",
            "year",
            "outcome",
            "committee_score",
            "publicity_start",
            "publicity_end",
        ]
        read_only_fields = fields


class ApproveSerializer(serializers.Serializer):
    approve = serializers.BooleanField(default=True)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Needed when refusing (the case goes back to scoring)."),
    )


class ObjectionFileSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=_("A case on the published result list."))
    text = serializers.CharField(max_length=4000)


class ObjectionResolveSerializer(serializers.Serializer):
    objection = serializers.IntegerField()
    upheld = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000)


class AppealFileSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)
    materials = serializers.ListField(
        child=serializers.FileField(), required=False, allow_empty=True, max_length=10
    )


class AppealResolveSerializer(serializers.Serializer):
    appeal = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=["dismissed", "rescore", "kept"])
    reason = serializers.CharField(max_length=2000)
