"""``/api/v1/ranking/…`` and ``/api/v1/certification/recertifications/`` (API.md). Thin: parse,
call one selector or service, render."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from committee import visibility
from core.api.permissions import OfficeWritesOthersRead

from .. import selectors, services
from ..models import RankingEntry, RankingRun, RecertificationCase, RecertificationSheet
from . import serializers as s


class RunFilter(django_filters.FilterSet):
    class Meta:
        model = RankingRun
        fields = ["track", "year", "status", "cohort"]


class RunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Annual ranking runs (年度业绩考核排名). POST computes a preview; ``commit`` freezes it."""

    serializer_class = s.RunSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = RunFilter
    ordering_fields = ["year", "id"]
    ordering = ["-year", "-id"]

    def get_queryset(self):
        return selectors.run_list(user=self.request.user)

    @extend_schema(request=s.RunCreateSerializer, responses={201: s.RunSerializer})
    def create(self, request, *args, **kwargs):
        data = s.RunCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.run_create(actor=request.user, **data.validated_data)
        return Response(s.RunSerializer(run).data, status=201)

    @extend_schema(request=s.RunParametersSerializer, responses=s.RunSerializer)
    def update(self, request, *args, **kwargs):
        run = self.get_object()
        data = s.RunParametersSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        run = services.run_update(actor=request.user, run=run, **data.validated_data)
        return Response(s.RunSerializer(run).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.RunSerializer)
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        run = self.get_object()
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.run_commit(
            actor=request.user, run=run, reason=data.validated_data.get("reason", "")
        )
        return Response(s.RunSerializer(run).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.PublishedCaseSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="publish-results")
    def publish_results(self, request, pk=None):
        """Propose and publish the run's scored re-certification cases as one result list
        (``RECERT_PUBLICITY_WORKDAYS`` working days); cases short of the quorum stay."""
        run = self.get_object()
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cases = services.recertification_results_publish(
            actor=request.user, run=run, reason=data.validated_data.get("reason", "")
        )
        return Response(s.PublishedCaseSerializer(cases, many=True).data)


class EntryFilter(django_filters.FilterSet):
    cohort = django_filters.NumberFilter(field_name="cohort_key")

    class Meta:
        model = RankingEntry
        fields = ["staff", "in_bottom_band", "in_top_band", "excluded", "reason", "level", "unit"]


class EntryViewSet(viewsets.ReadOnlyModelViewSet):
    """``ranking/runs/{run}/entries/``: each staff member's score, rank and bands (scoped)."""

    serializer_class = s.EntrySerializer
    filterset_class = EntryFilter
    search_fields = ["staff__name", "staff__employee_no"]
    ordering_fields = ["rank", "score", "cohort_key", "staff__employee_no"]
    ordering = ["cohort_key", "rank", "staff__employee_no"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RankingEntry.objects.none()
        run = get_object_or_404(
            selectors.run_list(user=self.request.user), pk=self.kwargs["run_pk"]
        )
        return selectors.entry_list(user=self.request.user, run=run)


class CaseFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="run__year")
    ranking_run = django_filters.NumberFilter(field_name="run")

    class Meta:
        model = RecertificationCase
        fields = ["staff", "status", "outcome", "level"]


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """``certification/recertifications/``: re-certification cases (复核认证), scoped."""

    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter
    search_fields = ["staff__name", "staff__employee_no"]
    ordering_fields = ["id", "staff__employee_no", "committee_score"]
    ordering = ["-id"]

    def get_queryset(self):
        return selectors.case_list(user=self.request.user).prefetch_related(
            "members", "sheets", "appeals__materials"
        )

    def _done(self, case):
        case = self.get_queryset().get(pk=case.pk)
        return Response(s.CaseSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=s.AssignSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Set the panel (committee members without a conflict of interest). Office only."""
        case = self.get_object()
        data = s.AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.recertification_panel_assign(
            actor=request.user,
            case=case,
            members=data.validated_data["members"],
            chair=data.validated_data.get("chair"),
        )
        return self._done(case)

    @extend_schema(request=s.ReopenSerializer, responses=s.SheetSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """The panel chair reopens a member's submitted sheet, with a reason."""
        case = self.get_object()
        data = s.ReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = get_object_or_404(case.sheets.all(), member=data.validated_data["member"])
        sheet = services.recertification_sheet_reopen(
            actor=request.user, sheet=sheet, reason=data.validated_data["reason"]
        )
        return Response(s.SheetSerializer(sheet).data)

    @extend_schema(request=s.ScoreSerializer, responses=s.SheetSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """A panel member scores every part of the case's sheet (``{code: score}`` within
        each part's maximum); the total is the certification sheet total; ``submit`` locks it."""
        case = self.get_object()
        data = s.ScoreSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = services.recertification_sheet_score(
            actor=request.user, case=case, **data.validated_data
        )
        return Response(s.SheetSerializer(sheet).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        """The office proposes the outcome from the committee score and publishes it for
        ``RECERT_PUBLICITY_WORKDAYS`` working days."""
        case = self.get_object()
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.recertification_case_propose(
            actor=request.user, case=case, reason=data.validated_data.get("reason", "")
        )
        return self._done(case)

    @extend_schema(request=s.ApproveSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The leadership group approves (or, with a reason, refuses) a published proposal;
        never the person who proposed it."""
        case = self.get_object()
        data = s.ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.recertification_case_approve(actor=request.user, case=case, **data.validated_data)
        return self._done(case)

    @extend_schema(responses=s.PublishedCaseSerializer(many=True))
    @action(detail=False, methods=["get"])
    def published(self, request):
        """The published result list: outcomes in publicity today (any signed-in user)."""
        cases = (
            services.published_cases()
            .select_related("staff", "level", "run")
            .order_by("publicity_end", "staff__employee_no")
        )
        return Response(s.PublishedCaseSerializer(cases, many=True).data)

    @extend_schema(request=s.ObjectionFileSerializer, responses={201: s.ObjectionSerializer})
    @action(detail=False, methods=["post"])
    def objections(self, request):
        """Object (异议) to an outcome on the published list, during its publicity; any other
        case answers 404."""
        data = s.ObjectionFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.recertification_objection_file(
            actor=request.user,
            case_id=data.validated_data["case"],
            text=data.validated_data["text"],
        )
        return Response(s.ObjectionSerializer(objection).data, status=201)

    @extend_schema(request=s.ObjectionResolveSerializer, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"], url_path="resolve-objection")
    def resolve_objection(self, request, pk=None):
        """The office dismisses an objection, or upholds it (back to scoring), with a reason."""
        case = self.get_object()
        data = s.ObjectionResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = get_object_or_404(case.objections.all(), pk=data.validated_data["objection"])
        objection = services.recertification_objection_resolve(
            actor=request.user,
            objection=objection,
            upheld=data.validated_data["upheld"],
            reason=data.validated_data["reason"],
        )
        return Response(s.ObjectionSerializer(objection).data)

    @extend_schema(request=s.AppealFileSerializer, responses={201: s.AppealSerializer})
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        """The staff member appeals (申诉) an approved demotion or elimination within the
        appeal window: a reason and optional files (multipart ``materials``)."""
        case = self.get_object()
        data = s.AppealFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.recertification_appeal_file(
            actor=request.user,
            case=case,
            reason=data.validated_data["reason"],
            uploads=data.validated_data.get("materials", []),
        )
        return Response(s.AppealSerializer(appeal).data, status=201)

    @extend_schema(request=s.AppealResolveSerializer, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"], url_path="resolve-appeal")
    def resolve_appeal(self, request, pk=None):
        """The office resolves the appeal with a reason: dismissed, rescore (new panel) or
        kept."""
        case = self.get_object()
        data = s.AppealResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = get_object_or_404(case.appeals.all(), pk=data.validated_data["appeal"])
        appeal = services.recertification_appeal_resolve(
            actor=request.user,
            appeal=appeal,
            decision=data.validated_data["decision"],
            reason=data.validated_data["reason"],
        )
        return Response(s.AppealSerializer(appeal).data)

    @extend_schema(responses=s.SheetSerializer(many=True))
    @action(detail=True, methods=["get"])
    def sheets(self, request, pk=None):
        """Submitted sheets: the office and the leadership group see them, a panel member
        once their own sheet is submitted; anyone else only their own."""
        case = self.get_object()
        current = case.sheets.filter(round=case.round).prefetch_related("lines")
        own = current.filter(member=request.user).first()
        oversees = selectors.oversees_cases(request.user)
        if visibility.sees_others_of(own_sheet=own, oversees=oversees):
            sheets = current.filter(status=RecertificationSheet.Status.SUBMITTED)
        else:
            sheets = current.filter(member=request.user)
        return Response(s.SheetSerializer(sheets, many=True).data)
