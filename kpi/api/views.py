"""``/api/v1/kpi/…`` (API.md, "kpi"). Thin: parse, call one selector or service, render."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core import clock
from core.api.permissions import OfficeOnly, OfficeWritesOthersRead
from core.api.responses import RefetchedMixin
from core.downloads import Kind as DownloadKind
from core.downloads import download_record
from core.errors import NotInScope
from org.models import OrgUnit, Staff
from org.scope import scope_by_staff

from .. import exports, imports, selectors, services
from ..models import Correction, GradePolicy, Indicator, QuotaAllocation, Scheme, StaffTarget
from . import filters, serializers

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class IndicatorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """KPI indicators (关键绩效指标) and their scoring methods. HR writes, everyone reads."""

    queryset = Indicator.objects.all()
    serializer_class = serializers.IndicatorSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["code", "kind", "method", "active"]
    search_fields = ["code", "name", "name_en"]
    ordering_fields = ["code", "name"]

    def perform_create(self, serializer):
        serializer.instance = services.indicator_save(
            actor=self.request.user, indicator=Indicator(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        indicator = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(indicator, name, value)
        serializer.instance = services.indicator_save(actor=self.request.user, indicator=indicator)


class SchemeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Schemes (考核方案): per level and period type, items with weights summing to 100."""

    serializer_class = serializers.SchemeSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = filters.SchemeFilter
    search_fields = ["name"]
    ordering_fields = ["level__order", "period_type", "id"]
    ordering = ["track_id", "level__order", "period_type"]

    def get_queryset(self):
        return selectors.scheme_list()

    def _save(self, serializer, scheme):
        data = dict(serializer.validated_data)
        items = data.pop("items", None)
        for name, value in data.items():
            setattr(scheme, name, value)
        if items is None:
            items = [
                {"indicator": i.indicator, "weight": i.weight, "target": i.target}
                for i in scheme.items.select_related("indicator")
            ]
        scheme.track_id = scheme.level.track_id
        serializer.instance = services.scheme_save(
            actor=self.request.user, scheme=scheme, items=items
        )
        serializer.instance = selectors.scheme_list().get(pk=serializer.instance.pk)

    def perform_create(self, serializer):
        self._save(serializer, Scheme())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class PeriodViewSet(
    RefetchedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Periods (考核期): ``2026-03``, ``2026-Q1``, ``2026``; open → locked (action ``lock``)."""

    serializer_class = serializers.PeriodSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = filters.PeriodFilter
    search_fields = ["code"]
    ordering_fields = ["start", "code"]
    ordering = ["-start", "period_type"]

    def get_queryset(self):
        return selectors.period_stage_list()

    def perform_create(self, serializer):
        serializer.instance = services.period_create(
            actor=self.request.user, code=serializer.validated_data["code"]
        )

    @extend_schema(
        request=serializers.StageAdvanceSerializer, responses=serializers.PeriodSerializer
    )
    @action(detail=True, methods=["post"], permission_classes=[OfficeOnly])
    def advance(self, request, pk=None):
        """Move the period to its next stage (``to``): preparation → mobilisation → assessment
        → analysis → feedback → closed. 409 ``invalid_transition`` with ``details.reason`` for
        anything else (skips, going back, targets unpublished). Leaving assessment locks it."""
        data = serializers.StageAdvanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = services.period_stage_advance(
            actor=request.user, period=self.get_object(), **data.validated_data
        )
        return self.answer(period)

    @extend_schema(request=None, responses=serializers.PeriodSerializer)
    @action(
        detail=True, methods=["post"], url_path="publish-targets", permission_classes=[OfficeOnly]
    )
    def publish_targets(self, request, pk=None):
        """Publish the scheme and targets (preparation stage): staff are asked to acknowledge."""
        period = services.period_targets_publish(actor=request.user, period=self.get_object())
        return self.answer(period)

    @extend_schema(
        request=serializers.StageScheduleSerializer, responses=serializers.PeriodSerializer
    )
    @action(detail=True, methods=["post"], permission_classes=[OfficeOnly])
    def schedule(self, request, pk=None):
        """Change the planned first and last day of one stage."""
        data = serializers.StageScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = self.get_object()
        services.period_stage_schedule(actor=request.user, period=period, **data.validated_data)
        return self.answer(period)

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.PeriodSerializer)
    @action(detail=True, methods=["post"], permission_classes=[OfficeOnly])
    def lock(self, request, pk=None):
        """open → locked: actuals then change only through a correction (409 if locked)."""
        data = serializers.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = services.period_lock(
            actor=request.user,
            period=self.get_object(),
            reason=data.validated_data.get("reason", ""),
        )
        return self.answer(period)


class ActualViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Actuals (实际完成值), scoped. POST enters one (HR; line managers rate qualitative
    indicators of their team); ``import`` loads a file; ``correct`` changes a locked period."""

    serializer_class = serializers.ActualSerializer
    filterset_class = filters.ActualFilter
    search_fields = ["staff__name", "staff__employee_no", "indicator__code"]
    ordering_fields = ["period__start", "staff__employee_no", "indicator__code", "updated_at"]
    ordering = ["-period__start", "staff__employee_no", "indicator__code"]

    def get_queryset(self):
        return selectors.actual_list(user=self.request.user)

    @extend_schema(
        request=serializers.ActualInputSerializer, responses={201: serializers.ActualSerializer}
    )
    def create(self, request):
        data = serializers.ActualInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        actual = services.actual_enter(actor=request.user, **data.validated_data)
        return Response(serializers.ActualSerializer(actual).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": serializers.ImportInputSerializer},
        responses={201: serializers.ImportOutputSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        permission_classes=[OfficeOnly],
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_(self, request):
        """Import actuals (CSV/XLSX: employee_no, indicator, period, value). All-or-nothing and
        idempotent; 400 ``{errors: [{line, column, message}]}`` with nothing written."""
        data = serializers.ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        result = imports.import_actuals(
            actor=request.user, fileobj=upload, filename=upload.name or ""
        )
        return Response(
            {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=serializers.CorrectionInputSerializer,
        responses={201: serializers.CorrectionSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[OfficeOnly])
    def correct(self, request, pk=None):
        """更正 an actual of a locked period, with a reason (audited; 409 if the period is open)."""
        data = serializers.CorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = services.actual_correct(
            actor=request.user, actual=self.get_object(), **data.validated_data
        )
        return Response(
            serializers.CorrectionSerializer(correction).data, status=status.HTTP_201_CREATED
        )


class CorrectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Corrections of locked periods, with their reasons (scoped by the staff member)."""

    serializer_class = serializers.CorrectionSerializer
    filterset_fields = ["actual"]
    ordering = ["-corrected_at", "-id"]

    def get_queryset(self):
        return scope_by_staff(Correction.objects.all(), self.request.user, "actual__staff")


class PeriodScoreViewSet(viewsets.ReadOnlyModelViewSet):
    """Period scores with items (a staff member: own; a manager: subtree; HR: all)."""

    serializer_class = serializers.PeriodScoreSerializer
    filterset_class = filters.PeriodScoreFilter
    ordering_fields = ["total", "period__start", "staff__employee_no"]
    ordering = ["-period__start", "staff__employee_no"]

    def get_queryset(self):
        return selectors.score_list(user=self.request.user)

    @extend_schema(responses={(200, XLSX_TYPE): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request):
        """The filtered period scores (``period_code``, ``in_unit``, …) as an XLSX workbook,
        each with the staff member's annual score and grade of the period's year."""
        scores = list(
            self.filter_queryset(self.get_queryset()).select_related("staff__unit", "staff__level")
        )
        annual = selectors.annual_by_staff_year(scores=scores)
        name = f"kpi-scores-{clock.today().isoformat()}.xlsx"
        download_record(request=request, kind=DownloadKind.EXPORT, label=name)
        return _xlsx(exports.period_scores_workbook(scores=scores, annual=annual), name)


class AnnualScoreViewSet(viewsets.ReadOnlyModelViewSet):
    """Annual KPI scores and grades A–E (scoped). HR may recompute a year."""

    serializer_class = serializers.AnnualScoreSerializer
    filterset_class = filters.AnnualScoreFilter
    ordering_fields = ["score", "year", "staff__employee_no", "unit_rank"]
    ordering = ["-year", "-score", "staff__employee_no"]

    def get_queryset(self):
        return selectors.annual_list(user=self.request.user)

    @extend_schema(responses={(200, XLSX_TYPE): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request):
        """The filtered annual scores (``year``, ``in_unit``, ``grade``, …) with their grades as
        an XLSX workbook."""
        scores = self.filter_queryset(self.get_queryset()).select_related(
            "staff__level", "staff__unit"
        )
        name = f"kpi-annual-scores-{clock.today().isoformat()}.xlsx"
        download_record(request=request, kind=DownloadKind.EXPORT, label=name)
        return _xlsx(exports.annual_scores_workbook(scores=scores), name)

    @extend_schema(
        request=serializers.RecomputeSerializer, responses=serializers.ImportOutputSerializer
    )
    @action(detail=False, methods=["post"], permission_classes=[OfficeOnly])
    def recompute(self, request):
        """Recompute every period score and the annual scores and grades of a year."""
        data = serializers.RecomputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        n = services.annual_scores_recompute(actor=request.user, year=data.validated_data["year"])
        return Response({"created": n, "updated": 0, "unchanged": 0})


class GradePolicyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Grade thresholds and per-unit quotas of a year."""

    queryset = GradePolicy.objects.all()
    serializer_class = serializers.GradePolicySerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["year"]

    def perform_create(self, serializer):
        serializer.instance = services.policy_save(
            actor=self.request.user, policy=GradePolicy(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        policy = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(policy, name, value)
        serializer.instance = services.policy_save(actor=self.request.user, policy=policy)


class StaffTargetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Staff members' own targets (override the scheme's default). POST sets (upserts) one."""

    serializer_class = serializers.StaffTargetSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = filters.StaffTargetFilter
    ordering = ["staff_id", "indicator_id", "id"]

    def get_queryset(self):
        return scope_by_staff(StaffTarget.objects.all(), self.request.user)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.target_set(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)


class AppraisalViewSet(viewsets.ReadOnlyModelViewSet):
    """Appraisals (考核面谈) per staff member and period: targets acknowledged, self-appraisal,
    review conversation and the employee's answer. Own; a line manager's team; HR all — others
    404. The writes name the period (and, for the review, the staff member)."""

    serializer_class = serializers.AppraisalSerializer
    filterset_class = filters.AppraisalFilter
    ordering_fields = ["staff__employee_no", "period__start", "reviewed_at"]
    ordering = ["-period__start", "staff__employee_no"]

    def get_queryset(self):
        return selectors.appraisal_list(user=self.request.user)

    def _answer(self, row, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=row.pk)).data, status=code)

    @extend_schema(
        request=serializers.AppraisalPeriodSerializer, responses=serializers.AppraisalSerializer
    )
    @action(detail=False, methods=["post"], url_path="acknowledge-targets")
    def acknowledge_targets(self, request):
        """The employee acknowledges their published targets for the period."""
        data = serializers.AppraisalPeriodSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.appraisal_targets_acknowledge(actor=request.user, **data.validated_data)
        return self._answer(row)

    @extend_schema(
        request=serializers.SelfAppraisalInputSerializer, responses=serializers.AppraisalSerializer
    )
    @action(detail=False, methods=["post"], url_path="self-assessment")
    def self_assessment(self, request):
        """The employee's self-assessment per indicator group (assessment stage)."""
        data = serializers.SelfAppraisalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.appraisal_self_save(
            actor=request.user,
            period=data.validated_data["period"],
            quantitative=data.validated_data.get("quantitative", ""),
            qualitative=data.validated_data.get("qualitative", ""),
        )
        return self._answer(row)

    @extend_schema(
        request=serializers.ReviewInputSerializer, responses=serializers.AppraisalSerializer
    )
    @action(detail=False, methods=["post"])
    def review(self, request):
        """The line manager (or HR) records the review conversation (feedback stage)."""
        data = serializers.ReviewInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        row = services.appraisal_review_record(actor=request.user, **data.validated_data)
        return self._answer(row)

    @extend_schema(
        request=serializers.RespondInputSerializer, responses=serializers.AppraisalSerializer
    )
    @action(detail=False, methods=["post"])
    def respond(self, request):
        """The employee acknowledges the review (``agreed``) or disagrees with a comment."""
        data = serializers.RespondInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.appraisal_respond(
            actor=request.user,
            period=data.validated_data["period"],
            agree=data.validated_data["response"] == "agreed",
            comment=data.validated_data.get("comment", ""),
        )
        return self._answer(row)


class QuotaAllocationViewSet(
    RefetchedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Grade quotas per unit of a year (HR): the company quota, the reserve and each unit's
    places with the numbers of the formula. POST saves the year's draft (upsert by ``year``)."""

    queryset = QuotaAllocation.objects.prefetch_related("units__unit", "grants")
    serializer_class = serializers.QuotaAllocationSerializer
    permission_classes = [OfficeOnly]
    filterset_fields = ["year", "status"]

    def create(self, request):
        data = serializers.QuotaAllocationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        allocation = services.allocation_save(actor=request.user, year=fields.pop("year"), **fields)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=allocation.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=serializers.ReasonSerializer, responses=serializers.QuotaAllocationSerializer
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """draft → published: the year is graded against the unit ceilings (409 if published)."""
        data = serializers.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        allocation = services.allocation_publish(
            actor=request.user,
            allocation=self.get_object(),
            reason=data.validated_data.get("reason", ""),
        )
        return self.answer(allocation)

    @extend_schema(
        request=serializers.QuotaGrantInputSerializer,
        responses={201: serializers.QuotaAllocationSerializer},
    )
    @action(detail=True, methods=["post"])
    def grant(self, request, pk=None):
        """Grant one reserve place (``grade`` A or B) to a ``unit`` or a ``staff`` member with a
        ``reason``. 409 ``over_quota`` beyond the reserve."""
        data = serializers.QuotaGrantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        allocation = self.get_object()
        v = data.validated_data
        unit = OrgUnit.objects.filter(pk=v.get("unit")).first() if v.get("unit") else None
        staff = Staff.objects.filter(pk=v.get("staff")).first() if v.get("staff") else None
        if (v.get("unit") and unit is None) or (v.get("staff") and staff is None):
            raise NotInScope(_("No such unit or staff member."))
        services.quota_grant(
            actor=request.user,
            allocation=allocation,
            grade=v["grade"],
            reason=v["reason"],
            unit=unit,
            staff=staff,
        )
        response = self.answer(allocation)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=serializers.CalibrateSerializer, responses=serializers.CalibrationSerializer
    )
    @action(detail=True, methods=["post"])
    def calibrate(self, request, pk=None):
        """Set final grades of people of one unit with a ``reason`` (a raise, or a swap in one
        step). 409 ``not_eligible`` above the threshold grade, ``over_quota`` beyond the unit's
        ceilings."""
        data = serializers.CalibrateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        allocation = self.get_object()
        services.grades_calibrate(
            actor=request.user,
            allocation=allocation,
            changes={c["staff"]: c["grade"] for c in data.validated_data["changes"]},
            reason=data.validated_data["reason"],
        )
        return Response(
            serializers.CalibrationSerializer(selectors.calibration(year=allocation.year)).data
        )

    @extend_schema(responses=serializers.CalibrationSerializer)
    @action(detail=True, methods=["get"])
    def calibration(self, request, pk=None):
        """Per unit: places, ceilings, grade counts by the thresholds and after the quota, who
        moved and why, who holds a reserve place."""
        allocation = self.get_object()
        return Response(
            serializers.CalibrationSerializer(selectors.calibration(year=allocation.year)).data
        )
