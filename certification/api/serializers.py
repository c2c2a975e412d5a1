"""Input and output shapes of ``/api/v1/certification/`` (API.md, "certification")."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.numbers import round_score
from org.models import Level, Staff, Track

from ..models import (
    Application,
    Cycle,
    CycleOffer,
    DeclaredConflict,
    Dimension,
    Material,
    Objection,
    Panel,
    ScoringSheet,
)

User = get_user_model()
ZERO, HUNDRED = Decimal("0"), Decimal("100")


class CertReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class CertRequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


# --- cycles -------------------------------------------------------------------------------


class CycleOfferSerializer(serializers.ModelSerializer):
    level = serializers.PrimaryKeyRelatedField(queryset=Level.objects.all())
    level_code = serializers.CharField(source="level.code", read_only=True)
    quota = serializers.IntegerField(min_value=0, max_value=100000)
    pass_line = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=ZERO, max_value=HUNDRED
    )

    class Meta:
        model = CycleOffer
        fields = ["level", "level_code", "quota", "pass_line"]


class CycleDimensionSerializer(serializers.ModelSerializer):
    max = serializers.DecimalField(
        source="max_score",
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("1000"),
        default=HUNDRED,
    )
    weight = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=HUNDRED
    )

    class Meta:
        model = Dimension
        fields = ["code", "name", "weight", "source", "max"]


class CycleSerializer(serializers.ModelSerializer):
    track = serializers.PrimaryKeyRelatedField(queryset=Track.objects.all())
    offers = CycleOfferSerializer(many=True, required=False)
    dimensions = CycleDimensionSerializer(many=True, required=False)
    quorum_numerator = serializers.IntegerField(min_value=1, max_value=100, default=2)
    quorum_denominator = serializers.IntegerField(min_value=1, max_value=100, default=3)
    spread_threshold = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=ZERO, max_value=HUNDRED, default=Decimal("10")
    )
    publicity_days = serializers.IntegerField(min_value=1, max_value=60, default=5)

    class Meta:
        model = Cycle
        fields = [
            "id",
            "name",
            "track",
            "status",
            "window_start",
            "window_end",
            "reference_date",
            "same_unit_conflict",
            "quorum_numerator",
            "quorum_denominator",
            "spread_threshold",
            "publicity_days",
            "publicity_start",
            "publicity_end",
            "appointment_start",
            "approved_on",
            "strict_eligibility",
            "offers",
            "dimensions",
        ]
        read_only_fields = ["status", "publicity_start", "publicity_end", "approved_on"]

    def validate(self, attrs):
        start = attrs.get("window_start", getattr(self.instance, "window_start", None))
        end = attrs.get("window_end", getattr(self.instance, "window_end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"window_end": _("Must be on or after the start.")})
        if attrs.get("quorum_numerator", 2) > attrs.get("quorum_denominator", 3):
            raise serializers.ValidationError({"quorum_numerator": _("A quorum is at most 1.")})
        dims = attrs.get("dimensions")
        if dims:
            total = sum((d["weight"] for d in dims), ZERO)
            if total != HUNDRED:
                raise serializers.ValidationError(
                    {"dimensions": _("Weights sum to %(total)s, not 100.") % {"total": total}}
                )
            codes = [d["code"] for d in dims]
            if len(set(codes)) != len(codes):
                raise serializers.ValidationError({"dimensions": _("Codes must be unique.")})
        offers = attrs.get("offers")
        if offers:
            levels = [o["level"].pk for o in offers]
            if len(set(levels)) != len(levels):
                raise serializers.ValidationError({"offers": _("A level is offered twice.")})
            track = attrs.get("track", getattr(self.instance, "track", None))
            if track and any(o["level"].track_id != track.pk for o in offers):
                raise serializers.ValidationError(
                    {"offers": _("Every level must be on the cycle's track.")}
                )
        return attrs


class EligibilityRuleResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()
    detail = serializers.CharField()


class EligibilityEvaluationSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    target_level = serializers.IntegerField(allow_null=True)
    rules = EligibilityRuleResultSerializer(many=True)


class CycleResultSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application.pk")
    staff = serializers.IntegerField(source="application.staff_id")
    staff_name = serializers.CharField(source="application.staff.name")
    target_level = serializers.IntegerField(source="application.target_level_id")
    target_level_code = serializers.CharField(source="application.target_level.code")
    committee_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    final_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    recommended = serializers.BooleanField(allow_null=True)
    flags = serializers.ListField(child=serializers.CharField())
    sheets_submitted = serializers.IntegerField(source="submitted", allow_null=True)
    quorum = serializers.IntegerField(allow_null=True)
    std_dev = serializers.SerializerMethodField()

    def get_std_dev(self, row) -> str | None:
        return None if row.spread is None else str(round_score(row.spread))

    def to_representation(self, instance):
        """Sheets, quorum, flags and spread are the panel's working figures: only those who
        oversee see them (others see the published list's scores, rank and recommendation)."""
        data = super().to_representation(instance)
        if not _viewer(self.context)["oversees"]:
            data.update(flags=[], sheets_submitted=None, quorum=None, std_dev=None)
        return data


# --- applications -------------------------------------------------------------------------


AGGREGATES = ("committee_score", "final_score", "rank", "passed", "recommended", "flags")


def _viewer(context) -> dict:
    """What the serializers need to know about the caller, computed once per response: whether
    they oversee (office, leadership) and their own sheets by application."""
    cached = context.get("_viewer")
    if cached is None:
        from .. import selectors

        request = context.get("request")
        user = getattr(request, "user", None)
        oversees = user is not None and selectors.sees_all(user=user)
        own = {}
        if user is not None and user.is_authenticated and not oversees:
            own = {s.application_id: s for s in ScoringSheet.objects.filter(member=user)}
        cached = context["_viewer"] = {"user": user, "oversees": oversees, "own": own}
    return cached


def sees_aggregates(context, application) -> bool:
    """``selectors.sees_result`` for the caller of this response."""
    from .. import selectors

    viewer = _viewer(context)
    return selectors.sees_result(
        user=viewer["user"],
        application=application,
        own_sheet=viewer["own"].get(application.pk),
        oversees=viewer["oversees"],
    )


class ApplicationSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)
    target_level_code = serializers.CharField(source="target_level.code", read_only=True)
    materials_count = serializers.IntegerField(read_only=True, default=0)
    checklist = serializers.SerializerMethodField()
    override = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "cycle",
            "staff",
            "staff_name",
            "employee_no",
            "from_level",
            "target_level",
            "target_level_code",
            "statement",
            "status",
            "eligible",
            "checklist",
            "decision_reason",
            "submitted_at",
            "materials_count",
            "committee_score",
            "final_score",
            "rank",
            "passed",
            "recommended",
            "flags",
            "tie_decision",
            "override",
        ]
        read_only_fields = fields

    def get_override(self, obj) -> dict | None:
        """The eligibility override (qualified although rules failed): reason, the failed rules
        as recorded, who and when; ``null`` when none."""
        if not obj.override_reason:
            return None
        from ..eligibility import RuleResult

        return {
            "reason": obj.override_reason,
            "failed_rules": [
                {"code": r.code, "label": r.label, "detail": r.detail}
                for r in map(RuleResult.from_dict, obj.override_rules)
            ],
            "by": obj.override_by.get_username() if obj.override_by_id else None,
            "at": obj.override_at,
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not sees_aggregates(self.context, instance):
            for name in AGGREGATES:
                data[name] = [] if name == "flags" else None
        return data

    def get_checklist(self, obj) -> dict:
        return {
            "eligibility": obj.check_eligibility,
            "materials_complete": obj.check_materials,
            "facts_truthful": obj.check_facts,
            "procedure_regular": obj.check_procedure,
        }


class ApplicationCreateSerializer(serializers.Serializer):
    cycle = serializers.PrimaryKeyRelatedField(queryset=Cycle.objects.all())
    statement = serializers.CharField(allow_blank=True, max_length=20000, default="")


class ApplicationUpdateSerializer(serializers.Serializer):
    statement = serializers.CharField(allow_blank=True, max_length=20000)


class QualificationChecklistSerializer(serializers.Serializer):
    eligibility = serializers.BooleanField()
    materials_complete = serializers.BooleanField()
    facts_truthful = serializers.BooleanField()
    procedure_regular = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class BulkQualifyItemSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, max_value=2**62)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class BulkQualifySerializer(serializers.Serializer):
    """Qualify several submitted applications (the four checks confirmed for each); an
    ineligible one needs its own ``reason``. All or nothing."""

    items = BulkQualifyItemSerializer(many=True, allow_empty=False, max_length=500)


class ApprovalCandidateSerializer(serializers.Serializer):
    """One candidate of the leadership group's approval list with its evidence."""

    application = serializers.IntegerField(source="pk")
    staff = serializers.IntegerField(source="staff_id")
    staff_name = serializers.CharField(source="staff.name")
    employee_no = serializers.CharField(source="staff.employee_no")
    unit = serializers.CharField(source="staff.unit.display_path", allow_null=True)
    target_level_code = serializers.CharField(source="target_level.code")
    status = serializers.CharField()
    committee_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    final_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    flags = serializers.ListField(child=serializers.CharField())
    eligible = serializers.BooleanField(allow_null=True)
    overridden = serializers.BooleanField()
    override_reason = serializers.CharField()
    objections = serializers.IntegerField(source="n_objections")
    objections_open = serializers.IntegerField(source="n_objections_open")
    decision = serializers.CharField(source="leadership_decision")
    comment = serializers.CharField(source="leadership_comment")
    decided_by = serializers.IntegerField(source="leadership_by_id", allow_null=True)
    decided_at = serializers.DateTimeField(source="leadership_at", allow_null=True)


class LeadershipDecisionSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1)
    decision = serializers.ChoiceField(choices=["approve", "return"])
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class QuotaTieDecisionSerializer(serializers.Serializer):
    recommended = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000)


class DimensionValueSerializer(serializers.Serializer):
    dimension = serializers.SlugField(max_length=32)
    value = serializers.DecimalField(max_digits=9, decimal_places=4, min_value=ZERO)
    reason = serializers.CharField(max_length=2000)


class ApplicationMaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Material
        fields = [
            "id",
            "application",
            "kind",
            "title",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
        ]
        read_only_fields = fields


class ApplicationMaterialUploadSerializer(serializers.Serializer):
    file = serializers.FileField(max_length=255, allow_empty_file=False)
    kind = serializers.ChoiceField(choices=Material.Kind.choices)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


# --- committee ----------------------------------------------------------------------------


class ReviewPanelSerializer(serializers.ModelSerializer):
    cycle = serializers.PrimaryKeyRelatedField(queryset=Cycle.objects.all())
    level = serializers.PrimaryKeyRelatedField(queryset=Level.objects.all())
    chair = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    members = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True)
    level_code = serializers.CharField(source="level.code", read_only=True)
    chair_name = serializers.CharField(source="chair.get_username", read_only=True)

    class Meta:
        model = Panel
        fields = [
            "id",
            "cycle",
            "level",
            "level_code",
            "chair",
            "chair_name",
            "members",
            "deadline",
        ]


class ScoringSheetSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.get_username", read_only=True)
    total = serializers.SerializerMethodField()

    class Meta:
        model = ScoringSheet
        fields = [
            "id",
            "application",
            "member",
            "member_name",
            "scores",
            "total",
            "status",
            "comment",
            "submitted_at",
        ]
        read_only_fields = fields

    def get_total(self, obj) -> str | None:
        return None if obj.total is None else str(round_score(obj.total))


class ScoringSheetWriteSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, max_value=2**62)
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=9, decimal_places=4, min_value=ZERO),
        allow_empty=True,
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class ScoringSheetUpdateSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=9, decimal_places=4, min_value=ZERO),
        required=False,
        default=dict,
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class DeclaredConflictSerializer(serializers.ModelSerializer):
    member = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False)
    staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all())

    class Meta:
        model = DeclaredConflict
        fields = ["id", "member", "staff", "kind", "note", "created_at"]
        read_only_fields = ["created_at"]


# --- publicity ----------------------------------------------------------------------------


class CertObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = [
            "id",
            "application",
            "reason",
            "status",
            "outcome",
            "resolution",
            "created_at",
            "resolved_at",
        ]
        read_only_fields = fields


class CertObjectionCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, max_value=2**62)
    reason = serializers.CharField(max_length=5000)


class CertObjectionResolveSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000)
    outcome = serializers.ChoiceField(choices=Objection.Outcome.choices, default="review")
