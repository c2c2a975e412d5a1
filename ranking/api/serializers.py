from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from committee import sheets as panel_sheets
from committee import visibility
from core import clock
from core.roles import Role, is_office
from org.models import Track

from .. import services
from ..models import RankingEntry, RankingRun, RecertificationCase, RecertificationSheet


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
            "override_reason",
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
        help_text=_("5–10 %; outside only with override_reason."),
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
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
        ]
        read_only_fields = fields


class SheetSerializer(serializers.ModelSerializer):
    status = _code(RecertificationSheet.Status.values, "status")

    class Meta:
        model = RecertificationSheet
        fields = ["id", "member", "total", "status", "submitted_at"]
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
    spread = serializers.SerializerMethodField(
        help_text=_(
            "Std dev of the submitted totals (office, and panel members who submitted their "
            "own sheet; otherwise null)."
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
            sheets = list(case.sheets.all())
            allowed = user is not None and visibility.sees_others(
                user=user, sheets=sheets, oversees=is_office(user)
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
    total = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0"), max_value=Decimal("100")
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    submit = serializers.BooleanField(default=True)


class DecideSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    on = serializers.DateField(
        required=False, help_text=_("Effective date (default today), within a year of today.")
    )

    def validate_on(self, value):

        today = clock.today()
        if abs((value - today).days) > 366:
            raise serializers.ValidationError(_("The date must be within a year of today."))
        return value
