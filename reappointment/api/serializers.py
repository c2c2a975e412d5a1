from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..conditions import Evaluation
from ..models import ReappointmentCase, ReappointmentReview


class EvidenceSerializer(serializers.Serializer):
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

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, obj):
        return evidence_data(obj.evaluation)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RenewWithConditionsSerializer(ReasonSerializer):
    deadline = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Deadline to meet the conditions (default: 6 months after today).",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReviewSerializer(serializers.ModelSerializer):
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


class ReviewCreateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    appointments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), min_length=1, max_length=1000
    )


class ExpiringQuerySerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=24, required=False, default=3)
    unit = serializers.IntegerField(min_value=1, max_value=2**62, required=False)
    level = serializers.IntegerField(min_value=1, max_value=2**62, required=False)


class ExpiringSerializer(serializers.Serializer):
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
    suggested_outcome = serializers.CharField(source="evaluation.suggested_outcome")
    evidence = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, obj):
        return evidence_data(obj.evaluation.snapshot())

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_case(self, obj):
        case = obj.case
        return case.pk if case else None
