from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import DeferralRule, GradeCoefficient, PayPolicy, PayRun


@admin.register(PayPolicy)
class PayPolicyAdmin(ReadOnlyAdmin):
    list_display = ["year", "level", "monthly_base", "performance_base"]
    list_filter = ["year"]


@admin.register(GradeCoefficient)
class GradeCoefficientAdmin(ReadOnlyAdmin):
    list_display = ["year", "grade", "coefficient"]
    list_filter = ["year"]


@admin.register(DeferralRule)
class DeferralRuleAdmin(ReadOnlyAdmin):
    list_display = ["year", "share_pct", "years"]


@admin.register(PayRun)
class PayRunAdmin(ReadOnlyAdmin):
    list_display = ["year", "status", "computed_at", "approved_at"]
