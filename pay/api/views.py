"""``/api/v1/pay/…`` (docs/pay.md). Thin: parse, call one selector or service, render."""

from __future__ import annotations

import django_filters
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import OfficeWritesOthersRead
from core.api.responses import refetched
from core.downloads import Kind as DownloadKind
from core.downloads import download_record

from .. import exports, selectors, services
from ..models import DeferredInstalment, PayLine, PayRun
from . import serializers as s


class PolicyViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Pay policies per level and year (POST sets one: created or changed). Office writes;
    the office and the leadership group read."""

    serializer_class = s.PayPolicySerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["year", "level"]
    pagination_class = None

    def get_queryset(self):
        return selectors.policy_list(user=self.request.user)

    @extend_schema(request=s.PayPolicyWriteSerializer, responses={201: s.PayPolicySerializer})
    def create(self, request, *args, **kwargs):
        data = s.PayPolicyWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        policy = services.policy_set(actor=request.user, **data.validated_data)
        return refetched(self.get_queryset(), policy, s.PayPolicySerializer, status=201)


class CoefficientViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Performance coefficients per grade and year (POST sets the five of a year)."""

    serializer_class = s.PayCoefficientSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["year"]
    pagination_class = None

    def get_queryset(self):
        return selectors.coefficient_list(user=self.request.user)

    @extend_schema(
        request=s.PayCoefficientsWriteSerializer,
        responses={201: s.PayCoefficientSerializer(many=True)},
    )
    def create(self, request, *args, **kwargs):
        data = s.PayCoefficientsWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = services.coefficients_set(actor=request.user, **data.validated_data)
        return Response(s.PayCoefficientSerializer(rows, many=True).data, status=201)


class DeferralViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Deferral rules per year (POST sets the year's)."""

    serializer_class = s.PayDeferralSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["year"]
    pagination_class = None

    def get_queryset(self):
        return selectors.deferral_list(user=self.request.user)

    @extend_schema(request=s.PayDeferralWriteSerializer, responses={201: s.PayDeferralSerializer})
    def create(self, request, *args, **kwargs):
        data = s.PayDeferralWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rule = services.deferral_set(actor=request.user, **data.validated_data)
        return refetched(self.get_queryset(), rule, s.PayDeferralSerializer, status=201)


class PayPayrollQuerySerializer(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=12, required=False)
    file = serializers.ChoiceField(choices=["xlsx", "csv"], default="xlsx")


class RunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Pay runs (年度薪酬核算): POST opens a year's draft; ``compute`` (office) writes every
    line; ``approve`` (leadership, not the person who computed) closes it."""

    serializer_class = s.PayRunSerializer
    filterset_fields = ["year", "status"]
    ordering = ["-year"]

    def get_queryset(self):
        return selectors.run_list(user=self.request.user)

    @extend_schema(request=s.PayRunCreateSerializer, responses={201: s.PayRunSerializer})
    def create(self, request, *args, **kwargs):
        data = s.PayRunCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.run_create(actor=request.user, **data.validated_data)
        return refetched(self.get_queryset(), run, s.PayRunSerializer, status=201)

    @extend_schema(request=None, responses=s.PayRunSerializer)
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        run = services.run_compute(actor=request.user, run=self.get_object())
        return refetched(self.get_queryset(), run, s.PayRunSerializer)

    @extend_schema(request=s.PayReasonSerializer, responses=s.PayRunSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = s.PayReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.run_approve(
            actor=request.user, run=self.get_object(), reason=data.validated_data["reason"]
        )
        return refetched(self.get_queryset(), run, s.PayRunSerializer)

    @extend_schema(
        parameters=[
            OpenApiParameter("month", int, description="1–12: that month's payroll"),
            OpenApiParameter("file", str, enum=["xlsx", "csv"]),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def payroll(self, request, pk=None):
        """The payroll of the year, or of one month (``?month=``), as XLSX or CSV."""
        run = self.get_object()
        query = PayPayrollQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        month, kind = query.validated_data.get("month"), query.validated_data["file"]
        return payroll_response(request, run, month=month, kind=kind)


def payroll_response(request, run: PayRun, *, month: int | None, kind: str) -> HttpResponse:
    header, rows = exports.payroll(
        run, selectors.line_list(user=request.user, run=run), month=month
    )
    name = f"payroll-{run.year}" + (f"-{month:02d}" if month else "")
    if kind == "csv":
        response = HttpResponse(
            exports.to_csv(header, rows), content_type="text/csv; charset=utf-8"
        )
        name += ".csv"
    else:
        response = HttpResponse(
            exports.to_xlsx(name, header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name += ".xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    download_record(request=request, kind=DownloadKind.EXPORT, obj=run, label=name)
    return response


class LineFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="run__year")

    class Meta:
        model = PayLine
        fields = ["run", "staff", "grade", "level", "unit"]


class LineViewSet(viewsets.ReadOnlyModelViewSet):
    """Pay lines, each explained step by step: the office and the leadership see all, a staff
    member their own of approved runs."""

    serializer_class = s.PayLineSerializer
    filterset_class = LineFilter
    search_fields = ["staff__name", "staff__employee_no"]
    ordering_fields = ["staff__employee_no", "performance_pay", "run__year"]
    ordering = ["-run__year", "staff__employee_no"]

    def get_queryset(self):
        return selectors.line_list(user=self.request.user)


class InstalmentFilter(django_filters.FilterSet):
    staff = django_filters.NumberFilter(field_name="line__staff")

    class Meta:
        model = DeferredInstalment
        fields = ["status", "due_year"]


class InstalmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Deferred instalments (延期支付), scoped like the lines."""

    serializer_class = s.PayInstalmentSerializer
    filterset_class = InstalmentFilter
    ordering = ["due_year", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DeferredInstalment.objects.none()
        return selectors.instalment_list(user=self.request.user)
