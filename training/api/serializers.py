"""Input and output shapes of ``/api/v1/training/…`` (API.md, "training")."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from competency.models import Competency
from org.models import Level

from ..models import (
    Course,
    DevelopmentGoal,
    Enrolment,
    ExternalCertificate,
    PackageUsage,
    Requirement,
    TrainingActivity,
    TrainingPackage,
    TrainingPlan,
    TrainingPlanLine,
    TrainingRecord,
    TrainingSession,
)

CREDITS = {"max_digits": 6, "decimal_places": 2, "min_value": Decimal(0)}
MAX_ID = 2**63 - 1
HOURS = {"max_digits": 6, "decimal_places": 1, "min_value": Decimal(0)}


def _competency_queryset():
    return Competency.objects.all()


class TrainingCourseSerializer(serializers.ModelSerializer):
    competencies = serializers.SerializerMethodField(
        help_text="Ids of the competencies the course develops."
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "title",
            "title_en",
            "description",
            "category",
            "form",
            "hours",
            "credits",
            "competencies",
            "active",
        ]
        read_only_fields = fields

    def get_competencies(self, obj) -> list[int]:
        if not hasattr(obj, "competencies"):
            return []
        return sorted(c.pk for c in obj.competencies.all())


class TrainingCourseInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    title = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Course.Category.choices)
    form = serializers.ChoiceField(choices=Course.Form.choices)
    hours = serializers.DecimalField(**HOURS)
    credits = serializers.DecimalField(**CREDITS)
    active = serializers.BooleanField(required=False)
    competencies = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=200,
    )

    def validate_code(self, value):
        qs = Course.objects.filter(code=value)
        if self.instance is not None:
            qs = qs.exclude(pk=self.instance.pk)
        if qs.exists():
            raise serializers.ValidationError("A course with this code already exists.")
        return value

    def validate_competencies(self, value):
        qs = _competency_queryset()
        if qs is None:
            if value:
                raise serializers.ValidationError("Competencies are not available yet.")
            return []
        found = list(qs.filter(pk__in=value))
        if len(found) != len(set(value)):
            missing = sorted(set(value) - {c.pk for c in found})
            raise serializers.ValidationError(f"Unknown competencies: {missing}")
        return found


class TrainingSessionSerializer(serializers.ModelSerializer):
    course_code = serializers.CharField(source="course.code", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)
    enrolled = serializers.IntegerField(source="enrolled_count", read_only=True, default=0)
    seats_left = serializers.SerializerMethodField()

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "course",
            "course_code",
            "course_title",
            "start",
            "end",
            "place",
            "trainer",
            "capacity",
            "pass_mark",
            "self_enrolment",
            "status",
            "enrolled",
            "seats_left",
            "completed_at",
        ]
        read_only_fields = fields

    def get_seats_left(self, obj) -> int:
        return max(obj.capacity - (getattr(obj, "enrolled_count", 0) or 0), 0)


class TrainingSessionInputSerializer(serializers.Serializer):
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    start = serializers.DateField()
    end = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    trainer = serializers.CharField(max_length=100, required=False, allow_blank=True)
    capacity = serializers.IntegerField(min_value=1, max_value=100000)
    pass_mark = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    self_enrolment = serializers.BooleanField(required=False)

    def validate(self, attrs):
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end": ["The session cannot end before it starts."]})
        return attrs


class TrainingEnrolInputSerializer(serializers.Serializer):
    staff = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Staff id to enrol (the office). Omit to enrol yourself.",
    )


class TrainingEnrolmentSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "session",
            "staff",
            "employee_no",
            "staff_name",
            "enrolled_at",
            "attended",
            "score",
            "passed",
        ]
        read_only_fields = fields


class TrainingResultRowSerializer(serializers.Serializer):
    staff = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    attended = serializers.BooleanField(required=False)
    score = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )


class TrainingResultsInputSerializer(serializers.Serializer):
    results = TrainingResultRowSerializer(many=True, allow_empty=False, max_length=10000)


class TrainingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class TrainingCompleteOutputSerializer(serializers.Serializer):
    session = TrainingSessionSerializer()
    records_written = serializers.IntegerField()


class TrainingRecordSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    course_code = serializers.CharField(source="course.code", read_only=True, default=None)

    class Meta:
        model = TrainingRecord
        fields = [
            "id",
            "staff",
            "employee_no",
            "staff_name",
            "course",
            "course_code",
            "title",
            "date",
            "hours",
            "credits",
            "result",
            "source",
            "session",
            "certificate",
        ]
        read_only_fields = fields


class TrainingImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8, header row) or XLSX.")


class TrainingImportOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class TrainingRequirementSerializer(serializers.ModelSerializer):
    level_code = serializers.CharField(source="level.code", read_only=True)
    required_courses = serializers.SerializerMethodField()

    class Meta:
        model = Requirement
        fields = ["id", "level", "level_code", "min_credits_12m", "required_courses"]
        read_only_fields = fields

    def get_required_courses(self, obj) -> list[int]:
        return [c.pk for c in obj.required_courses.all()]


class TrainingRequirementInputSerializer(serializers.Serializer):
    level = serializers.PrimaryKeyRelatedField(queryset=Level.objects.all())
    min_credits_12m = serializers.DecimalField(**CREDITS)
    required_courses = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.all(), many=True, required=False
    )

    def validate_level(self, value):
        qs = Requirement.objects.filter(level=value)
        if self.instance is not None:
            qs = qs.exclude(pk=self.instance.pk)
        if qs.exists():
            raise serializers.ValidationError("This level already has a requirement.")
        return value


class TrainingCourseRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "code", "title", "credits"]
        read_only_fields = fields


class TrainingSummarySerializer(serializers.Serializer):
    staff = serializers.IntegerField(source="staff_id")
    on_date = serializers.DateField()
    window_start = serializers.DateField()
    level = serializers.SerializerMethodField()
    credits_12m = serializers.DecimalField(max_digits=8, decimal_places=2)
    required_credits = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    shortfall = serializers.DecimalField(max_digits=8, decimal_places=2)
    missing_courses = TrainingCourseRefSerializer(many=True)
    required_courses = TrainingCourseRefSerializer(many=True)
    met = serializers.BooleanField()

    def get_level(self, obj) -> int | None:
        return obj.level.pk if obj.level else None


class TrainingSummaryQuerySerializer(serializers.Serializer):
    on_date = serializers.DateField(required=False)
    level = serializers.PrimaryKeyRelatedField(queryset=Level.objects.all(), required=False)


class TrainingCertificateSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    record = serializers.SerializerMethodField()

    class Meta:
        model = ExternalCertificate
        fields = [
            "id",
            "staff",
            "employee_no",
            "staff_name",
            "title",
            "issuer",
            "issued_on",
            "expires_on",
            "course",
            "hours",
            "credits",
            "original_name",
            "content_type",
            "size",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_reason",
            "record",
        ]
        read_only_fields = fields

    def get_record(self, obj) -> int | None:
        record = getattr(obj, "record", None) if obj.status == obj.Status.VERIFIED else None
        return record.pk if record else None


class TrainingCertificateInputSerializer(serializers.Serializer):
    staff = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Staff id (the office). Omit for yourself.",
    )
    title = serializers.CharField(max_length=200)
    issuer = serializers.CharField(max_length=200)
    issued_on = serializers.DateField()
    course = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.all(), required=False, allow_null=True
    )
    expires_on = serializers.DateField(
        required=False, allow_null=True, help_text="Last day of validity; omit if it never expires."
    )
    hours = serializers.DecimalField(**HOURS, required=False)
    credits = serializers.DecimalField(**CREDITS, required=False)
    file = serializers.FileField()


class TrainingActivitySerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    mentor_name = serializers.CharField(source="mentor.name", read_only=True, default=None)
    host_unit_name = serializers.CharField(source="host_unit.name", read_only=True, default=None)
    credits = serializers.DecimalField(
        source="record.credits", max_digits=6, decimal_places=2, read_only=True
    )

    class Meta:
        model = TrainingActivity
        fields = [
            "id",
            "kind",
            "staff",
            "employee_no",
            "staff_name",
            "mentor",
            "mentor_name",
            "host_unit",
            "host_unit_name",
            "start",
            "end",
            "goals",
            "hours",
            "credits",
            "record",
            "recorded_at",
        ]
        read_only_fields = fields


class TrainingActivityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TrainingActivity.Kind.choices)
    staff = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The mentee or the staff member on rotation."
    )
    mentor = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, help_text="Mentoring only."
    )
    host_unit = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, help_text="Rotation only."
    )
    start = serializers.DateField()
    end = serializers.DateField()
    hours = serializers.DecimalField(**HOURS)
    goals = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class TrainingEvaluationInputSerializer(serializers.Serializer):
    content = serializers.IntegerField(min_value=1, max_value=5)
    trainer = serializers.IntegerField(min_value=1, max_value=5)
    usefulness = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class TrainingEvaluationReceiptSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    evaluated = serializers.BooleanField()


class TrainingEvaluationRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Course code, or the trainer's name.")
    label = serializers.CharField()
    count = serializers.IntegerField()
    content = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    trainer = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    usefulness = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    overall = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    comments = serializers.ListField(child=serializers.CharField())


class TrainingEvaluationResultsSerializer(serializers.Serializer):
    minimum = serializers.IntegerField(help_text="Evaluations needed before means are shown.")
    courses = TrainingEvaluationRowSerializer(many=True)
    trainers = TrainingEvaluationRowSerializer(many=True)


class TrainingPlanLineSerializer(serializers.ModelSerializer):
    course_code = serializers.CharField(source="course.code", read_only=True, default=None)
    competency_code = serializers.CharField(source="competency.code", read_only=True, default=None)

    class Meta:
        model = TrainingPlanLine
        fields = [
            "id",
            "course",
            "course_code",
            "topic",
            "competency",
            "competency_code",
            "participants",
            "cost",
        ]
        read_only_fields = fields


class TrainingNeedSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Competency code.")
    name = serializers.CharField()
    staff_with_gap = serializers.IntegerField(
        help_text="Serving staff of the unit (and below) with a gap on it."
    )
    planned = serializers.IntegerField(help_text="Participants the plan's lines give it.")


class TrainingPlanSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    planned = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    remaining = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    lines = TrainingPlanLineSerializer(many=True, read_only=True)
    need = serializers.SerializerMethodField()

    class Meta:
        model = TrainingPlan
        fields = [
            "id",
            "year",
            "unit",
            "unit_name",
            "budget",
            "planned",
            "remaining",
            "status",
            "approved_at",
            "lines",
            "need",
        ]
        read_only_fields = fields

    @extend_schema_field(TrainingNeedSerializer(many=True))
    def get_need(self, obj):
        rows = self.context.get("needs", {}).get(obj.pk, [])
        return TrainingNeedSerializer(rows, many=True).data


class TrainingPlanInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    unit = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0))


class TrainingPlanBudgetSerializer(serializers.Serializer):
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0))


class TrainingPlanLineInputSerializer(serializers.Serializer):
    course = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.all(), required=False, allow_null=True
    )
    topic = serializers.CharField(required=False, allow_blank=True, max_length=200)
    competency = serializers.PrimaryKeyRelatedField(
        queryset=Competency.objects.all(), required=False, allow_null=True
    )
    participants = serializers.IntegerField(min_value=1, max_value=100000)
    cost = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0))


class TrainingDevelopmentGoalSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="appraisal.period.code", read_only=True)
    course_code = serializers.CharField(source="course.code", read_only=True, default=None)
    competency_code = serializers.CharField(source="competency.code", read_only=True, default=None)

    class Meta:
        model = DevelopmentGoal
        fields = [
            "id",
            "appraisal",
            "period",
            "staff",
            "text",
            "due_on",
            "competency",
            "competency_code",
            "course",
            "course_code",
            "created_at",
        ]
        read_only_fields = fields


class TrainingDevelopmentGoalInputSerializer(serializers.Serializer):
    appraisal = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    text = serializers.CharField(max_length=500)
    due_on = serializers.DateField()
    competency = serializers.PrimaryKeyRelatedField(
        queryset=Competency.objects.all(), required=False, allow_null=True
    )
    course = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.all(), required=False, allow_null=True
    )


class TrainingVerifyInputSerializer(serializers.Serializer):
    credits = serializers.DecimalField(**CREDITS, required=False, allow_null=True)
    expires_on = serializers.DateField(
        required=False, allow_null=True, help_text="Set or correct the expiry date."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class TrainingRejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class TrainingPackageUsageSerializer(serializers.ModelSerializer):
    class Meta:
        model = PackageUsage
        fields = ["id", "date", "amount", "description", "recorded_at"]
        read_only_fields = fields


class TrainingPackageSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)
    level_code = serializers.CharField(source="level.code", read_only=True)
    used = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    remaining = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)

    class Meta:
        model = TrainingPackage
        fields = [
            "id",
            "staff",
            "employee_no",
            "appointment",
            "level",
            "level_code",
            "value",
            "granted_on",
            "valid_until",
            "programme",
            "course",
            "status",
            "used",
            "remaining",
        ]
        read_only_fields = fields


class TrainingChooseInputSerializer(serializers.Serializer):
    programme = serializers.CharField(max_length=200, required=False, allow_blank=True)
    course = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.all(), required=False, allow_null=True
    )


class TrainingUsageInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    date = serializers.DateField()
    description = serializers.CharField(max_length=200)
