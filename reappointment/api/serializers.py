from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..conditions import Evaluation
from ..models import ReappointmentCase, ReappointmentReview

OUTCOMES = ["renewed", "renewed_with_conditions", "referred"]


class OutcomeField(serializers.CharField):
    """An outcome code: ``renewed``, ``renewed_with_conditions``, ``referred`` or empty.

    A plain string in the schema: an enum named after ``outcome`` would collide with the
    outcome enums of other apps (certification objections, ranking re-certification)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "renewed | renewed_with_conditions | referred | (empty)")
        super().__init__(**kwargs)


class CaseStatusField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "pending | overdue | decided")
        super().__init__(**kwargs)


class ReappointmentEvidenceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()
    detail = serializers.CharField()


def evidence_data(snapshot) -> list[dict]:
    return [
        {"code": e.code, "label": e.label, "passed": e.passed, "detail": e.detail}
        for e in Evaluation.from_snapshot(snapshot).evidence
    ]


class ReappointmentSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)
    level_code = serializers.CharField(source="level.code", read_only=True)
    term_start = serializers.DateField(source="appointment.start", read_only=True)
    evidence = serializers.SerializerMethodField()
    status = CaseStatusField(read_only=True)
    outcome = OutcomeField(read_only=True)
    suggested_outcome = OutcomeField(read_only=True)

    class Meta:
        model = ReappointmentCase
        fields = [
            "id",
            "appointment",
            "staff",
            "staff_name",
            "employee_no",
            "level",
            "level_code",
            "term_start",
            "term_end",
            "review",
            "status",
            "overdue_since",
            "outcome",
            "suggested_outcome",
            "conditions",
            "condition_deadline",
            "shortfall",
            "evaluated_on",
            "evidence",
            "new_appointment",
            "letter_number",
            "recertification_case_id",
            "reason",
            "decided_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ReappointmentEvidenceSerializer(many=True))
    def get_evidence(self, obj):
        return evidence_data(obj.evaluation)


class ReappointmentReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReappointmentConditionsSerializer(ReappointmentReasonSerializer):
    deadline = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Deadline to meet the conditions (default: 6 months after today).",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReappointmentReviewSerializer(serializers.ModelSerializer):
    total = serializers.IntegerField(read_only=True)
    decided = serializers.IntegerField(read_only=True)
    renewed = serializers.IntegerField(read_only=True)
    conditional = serializers.IntegerField(read_only=True)
    referred = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReappointmentReview
        fields = [
            "id",
            "name",
            "opened_on",
            "note",
            "total",
            "decided",
            "renewed",
            "conditional",
            "referred",
        ]
        read_only_fields = fields


class ReappointmentReviewCreateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    appointments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), min_length=1, max_length=1000
    )


class ExpiringTermsQuerySerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=24, required=False, default=3)
    unit = serializers.IntegerField(min_value=1, max_value=2**62, required=False)
    level = serializers.IntegerField(min_value=1, max_value=2**62, required=False)


class ExpiringTermSerializer(serializers.Serializer):
    appointment = serializers.IntegerField(source="appointment.pk")
    staff = serializers.IntegerField(source="appointment.staff_id")
    staff_name = serializers.CharField(source="appointment.staff.name")
    employee_no = serializers.CharField(source="appointment.staff.employee_no")
    unit = serializers.CharField(source="appointment.staff.unit.name")
    level = serializers.CharField(source="appointment.level.code")
    term_start = serializers.DateField(source="appointment.start")
    term_end = serializers.DateField(source="appointment.end")
    credits_12m = serializers.DecimalField(
        source="evaluation.credits", max_digits=9, decimal_places=2, allow_null=True
    )
    required_credits = serializers.DecimalField(
        source="evaluation.required_credits", max_digits=9, decimal_places=2, allow_null=True
    )
    shortfall = serializers.DecimalField(
        source="evaluation.shortfall", max_digits=9, decimal_places=2, allow_null=True
    )
    missing_courses = serializers.ListField(
        source="evaluation.missing_courses", child=serializers.CharField()
    )
    ready = serializers.BooleanField(source="evaluation.all_passed")
    suggested_outcome = OutcomeField(source="evaluation.suggested_outcome")
    evidence = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()

    @extend_schema_field(ReappointmentEvidenceSerializer(many=True))
    def get_evidence(self, obj):
        return evidence_data(obj.evaluation.snapshot())

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_case(self, obj):
        case = obj.case
        return case.pk if case else None
