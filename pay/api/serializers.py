from rest_framework import serializers

from org.models import Level

from ..explain import explain
from ..models import DeferralRule, DeferredInstalment, GradeCoefficient, PayLine, PayPolicy, PayRun


class PayPolicySerializer(serializers.ModelSerializer):
    level_code = serializers.CharField(source="level.code", read_only=True)
    monthly_allowance = serializers.DecimalField(
        source="level.allowance", max_digits=12, decimal_places=2, read_only=True
    )

    class Meta:
        model = PayPolicy
        fields = [
            "id",
            "level",
            "level_code",
            "year",
            "monthly_base",
            "monthly_allowance",
            "performance_base",
        ]
        read_only_fields = ["id"]
        validators: list = []


class PayPolicyWriteSerializer(serializers.Serializer):
    level = serializers.PrimaryKeyRelatedField(queryset=Level.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    monthly_base = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    performance_base = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class PayCoefficientSerializer(serializers.ModelSerializer):
    class Meta:
        model = GradeCoefficient
        fields = ["id", "year", "grade", "coefficient"]


class PayCoefficientsWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    coefficients = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0)
    )


class PayDeferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeferralRule
        fields = ["id", "year", "share_pct", "years"]
        validators: list = []


class PayDeferralWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    share_pct = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    years = serializers.IntegerField(min_value=1, max_value=10)


class PayRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayRun
        fields = [
            "id",
            "year",
            "status",
            "summary",
            "created_at",
            "computed_by",
            "computed_at",
            "approved_by",
            "approved_at",
        ]
        read_only_fields = fields


class PayRunCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class PayReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PayInstalmentSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="line.run.year", read_only=True)
    staff = serializers.IntegerField(source="line.staff_id", read_only=True)

    class Meta:
        model = DeferredInstalment
        fields = [
            "id",
            "staff",
            "year",
            "number",
            "due_year",
            "amount",
            "status",
            "paid_run",
            "forfeited_on",
            "forfeit_reason",
        ]
        read_only_fields = fields


class PayLineInstalmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeferredInstalment
        fields = ["number", "due_year", "amount", "status", "forfeited_on", "forfeit_reason"]
        read_only_fields = fields


class PayStepSerializer(serializers.Serializer):
    label = serializers.CharField()
    formula = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class PayLineSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="run.year", read_only=True)
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    level_code = serializers.CharField(source="level.code", read_only=True)
    year_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    instalments = PayLineInstalmentSerializer(many=True, read_only=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = PayLine
        fields = [
            "id",
            "run",
            "year",
            "staff",
            "employee_no",
            "staff_name",
            "level",
            "level_code",
            "unit",
            "grade",
            "months",
            "monthly_base",
            "monthly_allowance",
            "base_pay",
            "allowance_pay",
            "performance_base",
            "coefficient",
            "performance_pay",
            "deferred",
            "paid_now",
            "year_total",
            "instalments",
            "explanation",
        ]
        read_only_fields = fields

    def get_explanation(self, line) -> list[dict]:
        return PayStepSerializer(explain(line), many=True).data
