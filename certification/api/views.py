"""``/api/v1/certification/…`` (API.md, "certification"). Thin: parse with a serializer, call
one service or selector, render. Scope comes from ``certification.selectors`` (404 outside),
roles from the services (403), states from the services (409)."""

from __future__ import annotations

import django_filters
from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.responses import RefetchedMixin
from core.downloads import Kind as DownloadKind
from core.downloads import download_record
from org.models import Staff
from org.scope import staff_of

from .. import eligibility, selectors, services
from ..models import Application, Cycle, Dimension, Objection, ScoringSheet
from ..results import cycle_results
from . import serializers as s


def _eligibility_payload(evaluation, target) -> dict:
    return {
        "eligible": evaluation.eligible,
        "target_level": target.pk if target else None,
        "rules": [
            {"code": r.code, "label": r.label, "passed": r.passed, "detail": r.detail}
            for r in evaluation.rules
        ],
    }


class CycleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Certification cycles (认证批次) with offers and the scoring sheet; state actions."""

    serializer_class = s.CycleSerializer
    filterset_fields = ["track", "status"]
    search_fields = ["name"]
    ordering_fields = ["window_start", "name", "id"]
    ordering = ["-window_start", "-id"]

    def get_queryset(self):
        return selectors.cycle_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.cycle_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.cycle_update(
            actor=self.request.user, cycle=serializer.instance, **serializer.validated_data
        )

    def _transition(self, request, service, **extra):
        cycle = self.get_object()
        data = s.CertReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service(actor=request.user, cycle=cycle, reason=data.validated_data["reason"], **extra)
        return Response(s.CycleSerializer(self.get_queryset().get(pk=cycle.pk)).data)

    @extend_schema(request=s.CertReasonSerializer, responses=s.CycleSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        return self._transition(request, services.cycle_open)

    @extend_schema(request=s.CertReasonSerializer, responses=s.CycleSerializer)
    @action(detail=True, methods=["post"])
    def start_qualification(self, request, pk=None):
        return self._transition(request, services.cycle_qualification_start)

    @extend_schema(request=s.CertReasonSerializer, responses=s.CycleSerializer)
    @action(detail=True, methods=["post"])
    def start_review(self, request, pk=None):
        return self._transition(request, services.cycle_review_start)

    @extend_schema(request=s.CertReasonSerializer, responses=s.CycleSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._transition(request, services.cycle_publish)

    @extend_schema(request=s.CertReasonSerializer, responses=s.CycleSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request, services.cycle_approve)

    @extend_schema(request=s.CertReasonSerializer, responses=s.CycleSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(request, services.cycle_close)

    @extend_schema(request=None, responses=s.ApprovalCandidateSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="approval-list")
    def approval_list(self, request, pk=None):
        """The leadership group's approval list once the results are published: each
        recommended candidate with the evidence and the decision so far (office, leadership
        group and administrators; 404 for anyone else)."""
        cycle = self.get_object()
        if not selectors.sees_all(user=request.user):
            raise NotFound
        rows = selectors.approval_list(user=request.user, cycle=cycle)
        return Response(s.ApprovalCandidateSerializer(rows, many=True).data)

    @extend_schema(request=s.LeadershipDecisionSerializer, responses=s.ApprovalCandidateSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve or return one candidate of the approval list (a return needs a comment);
        the cycle's approval then appoints only the candidates not returned."""
        cycle = self.get_object()
        data = s.LeadershipDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        app = (
            selectors.application_list(user=request.user)
            .filter(cycle=cycle, pk=v["application"])
            .first()
        )
        if app is None:
            raise NotFound
        services.application_leadership_decide(
            actor=request.user,
            application=app,
            approve=v["decision"] == "approve",
            comment=v["comment"],
        )
        row = next(
            r for r in selectors.approval_list(user=request.user, cycle=cycle) if r.pk == app.pk
        )
        return Response(s.ApprovalCandidateSerializer(row).data)

    @extend_schema(request=None, responses=s.CycleResultSerializer(many=True))
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Per candidate: committee and final score, rank, pass, recommendation, flags. The
        office and the leadership group see them live; everyone sees the published list
        (recommended candidates) during and after publicity."""
        cycle = self.get_object()
        rows = cycle_results(cycle)
        if not selectors.sees_all(user=request.user):
            if cycle.status not in (
                Cycle.Status.PUBLICITY,
                Cycle.Status.APPROVAL,
                Cycle.Status.CLOSED,
            ):
                raise NotFound
            rows = [r for r in rows if r.recommended]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            s.CycleResultSerializer(page, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(request=None, responses=s.EligibilityEvaluationSerializer)
    @action(detail=True, methods=["get"], url_path="my-eligibility")
    def my_eligibility(self, request, pk=None):
        """The caller's live evaluation for the level above theirs, before applying."""
        cycle = self.get_object()
        me = staff_of(request.user)
        if me is None:
            raise NotFound
        staff = Staff.objects.select_related("level").get(pk=me.pk)
        target = eligibility.next_level(staff)
        if target is None:
            raise NotFound
        evaluation = eligibility.evaluate(staff, target, cycle.eval_date)
        return Response(_eligibility_payload(evaluation, target))


class ApplicationFilter(django_filters.FilterSet):
    staff = django_filters.NumberFilter(
        field_name="staff_id", min_value=1, max_value=2**63 - 1, method="filter_staff"
    )

    recommended = django_filters.BooleanFilter(method="filter_recommended")

    class Meta:
        model = Application
        fields = ["cycle", "status", "target_level", "staff", "recommended"]

    def filter_staff(self, queryset, name, value):
        return queryset.filter(staff_id=int(value))

    def filter_recommended(self, queryset, name, value):
        """On the recommendation only where the caller sees it (``selectors.sees_result``):
        ``recommended=false`` never lists who failed to someone the field withholds it from."""
        queryset = queryset.filter(recommended=value)
        user = getattr(self.request, "user", None)
        if selectors.sees_all(user=user):
            return queryset
        return queryset.filter(selectors.results_visible_filter(user=user))


class ApplicationViewSet(
    RefetchedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Applications (个人申请), scoped: own; panel candidates without conflict; all for HR."""

    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilter
    search_fields = ["staff__name", "staff__employee_no"]
    ordering = ["cycle", "target_level__order", "staff__employee_no"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @property
    def ordering_fields(self) -> list[str]:
        """Ordering on the final score or rank only for those who oversee: an order on a
        figure the fields withhold would reveal it (an unknown ordering is ignored)."""
        fields = ["id", "submitted_at", "staff__employee_no"]
        request = getattr(self, "request", None)
        if request is not None and selectors.sees_all(user=request.user):
            fields += ["final_score", "rank"]
        return fields

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)

    @extend_schema(request=s.ApplicationCreateSerializer, responses=s.ApplicationSerializer)
    def create(self, request, *args, **kwargs):
        data = s.ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        app = services.application_create(actor=request.user, **data.validated_data)
        return self.answer(app, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ApplicationUpdateSerializer, responses=s.ApplicationSerializer)
    def update(self, request, *args, **kwargs):
        app = self.get_object()
        data = s.ApplicationUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_update(actor=request.user, application=app, **data.validated_data)
        return self.answer(app)

    @extend_schema(request=s.ApplicationUpdateSerializer, responses=s.ApplicationSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    def _reasoned(self, request, service, serializer=s.CertReasonSerializer):
        app = self.get_object()
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        service(actor=request.user, application=app, reason=data.validated_data["reason"])
        return self.answer(app)

    @extend_schema(request=s.CertReasonSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        app = self.get_object()
        s.CertReasonSerializer(data=request.data).is_valid(raise_exception=True)
        services.application_submit(actor=request.user, application=app)
        return self.answer(app)

    @extend_schema(request=s.CertReasonSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._reasoned(request, services.application_withdraw)

    @extend_schema(request=s.QualificationChecklistSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def qualify(self, request, pk=None):
        app = self.get_object()
        data = s.QualificationChecklistSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.application_qualify(
            actor=request.user,
            application=app,
            eligibility_ok=v["eligibility"],
            materials_complete=v["materials_complete"],
            facts_truthful=v["facts_truthful"],
            procedure_regular=v["procedure_regular"],
            reason=v["reason"],
        )
        return self.answer(app)

    @extend_schema(request=s.BulkQualifySerializer, responses=s.ApplicationSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="bulk-qualify")
    def bulk_qualify(self, request):
        """Qualify several applications at once, all or nothing; each ineligible one needs its
        own reason (400 ``bulk_refused`` with ``rows``: ``{application_id: message}``)."""
        data = s.BulkQualifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = data.validated_data["items"]
        ids = [i["application"] for i in items]
        apps = list(self.get_queryset().filter(pk__in=ids))
        if len(apps) != len(set(ids)):
            raise NotFound
        done = services.applications_qualify(
            actor=request.user,
            applications=apps,
            reasons={i["application"]: i["reason"] for i in items},
        )
        rows = self.get_queryset().filter(pk__in=[a.pk for a in done])
        return Response(
            s.ApplicationSerializer(rows, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(request=s.CertRequiredReasonSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._reasoned(request, services.application_return, s.CertRequiredReasonSerializer)

    @extend_schema(request=s.CertRequiredReasonSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._reasoned(request, services.application_reject, s.CertRequiredReasonSerializer)

    @extend_schema(request=s.QuotaTieDecisionSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def decide_tie(self, request, pk=None):
        """The panel chair decides a candidate tied across the quota boundary."""
        app = self.get_object()
        data = s.QuotaTieDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.tie_decide(actor=request.user, application=app, **data.validated_data)
        return self.answer(app)

    @extend_schema(request=s.DimensionValueSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="dimension-value")
    def dimension_value(self, request, pk=None):
        """The office enters a prefilled dimension by hand (with a reason)."""
        app = self.get_object()
        data = s.DimensionValueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dim = Dimension.objects.filter(
            cycle_id=app.cycle_id, code=data.validated_data["dimension"]
        ).first()
        if dim is None:
            return Response(
                {"dimension": ["Not a dimension of this cycle."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        services.dimension_value_set(
            actor=request.user,
            application=app,
            dimension=dim,
            value=data.validated_data["value"],
            reason=data.validated_data["reason"],
        )
        return self.answer(app)

    @extend_schema(request=None, responses=s.EligibilityEvaluationSerializer)
    @action(detail=True, methods=["get"])
    def eligibility(self, request, pk=None):
        """The eligibility rules with their evidence, evaluated now on the cycle's date."""
        app = self.get_object()
        staff = Staff.objects.select_related("level").get(pk=app.staff_id)
        evaluation = eligibility.evaluate(staff, app.target_level, app.cycle.eval_date)
        return Response(_eligibility_payload(evaluation, app.target_level))

    @extend_schema(
        methods=["GET"], request=None, responses=s.ApplicationMaterialSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"],
        request=s.ApplicationMaterialUploadSerializer,
        responses=s.ApplicationMaterialSerializer,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
    )
    def materials(self, request, pk=None):
        """List the materials, or upload one (multipart: file, kind, title)."""
        app = self.get_object()
        if request.method == "GET":
            rows = app.materials.order_by("id")
            return Response(s.ApplicationMaterialSerializer(rows, many=True).data)
        data = s.ApplicationMaterialUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        material = services.material_add(
            actor=request.user,
            application=app,
            upload=data.validated_data["file"],
            kind=data.validated_data["kind"],
            title=data.validated_data["title"],
        )
        return Response(
            s.ApplicationMaterialSerializer(material).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={(200, "application/octet-stream"): OpenApiResponse()})
    @action(detail=True, methods=["get"], url_path=r"materials/(?P<material_id>\d+)/download")
    def download(self, request, pk=None, material_id=None):
        """The file itself, only to those who may see the application."""
        app = self.get_object()
        material = app.materials.filter(pk=material_id).first()
        if material is None:
            raise NotFound
        return material_response(request, material)


# Types a browser shows safely by itself (no script): previewed inline on request.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}


def material_response(request, material, *, inline: bool = False):
    """The stored file; ``inline`` (PDF and images only) lets the page preview it in place.
    The download is recorded."""
    try:
        handle = material.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    download_record(request=request, kind=DownloadKind.MATERIAL, obj=material)
    return FileResponse(
        handle,
        as_attachment=not (inline and material.content_type in INLINE_TYPES),
        filename=material.original_name,
        content_type=material.content_type,
    )


class PanelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Committee panels (评审小组) per target level: chair and members."""

    serializer_class = s.ReviewPanelSerializer
    filterset_fields = ["cycle", "level"]
    ordering = ["cycle", "level__order"]
    ordering_fields = ["id"]

    def get_queryset(self):
        return selectors.panel_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.panel_save(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        panel = serializer.instance
        v = serializer.validated_data
        serializer.instance = services.panel_save(
            actor=self.request.user,
            panel=panel,
            cycle=v.get("cycle", panel.cycle),
            level=v.get("level", panel.level),
            chair=v.get("chair", panel.chair),
            members=v.get("members", list(panel.members.all())),
            deadline=v.get("deadline", panel.deadline),
        )


class SheetViewSet(
    RefetchedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Scoring sheets (评分表). A member sees others' sheets of a candidate only after
    submitting their own; a conflicted member never sees the candidate."""

    serializer_class = s.ScoringSheetSerializer
    filterset_fields = ["application", "status"]
    ordering = ["application", "id"]
    ordering_fields = ["id", "submitted_at"]

    def get_queryset(self):
        return selectors.sheet_list(user=self.request.user)

    def answer_queryset(self):
        return ScoringSheet.objects.all()  # the caller's own sheet, as they just wrote it

    @extend_schema(request=s.ScoringSheetWriteSerializer, responses=s.ScoringSheetSerializer)
    def create(self, request, *args, **kwargs):
        data = s.ScoringSheetWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        app = Application.objects.filter(pk=data.validated_data["application"]).first()
        if app is None:
            raise NotFound
        sheet = services.sheet_save(
            actor=request.user,
            application=app,
            scores=data.validated_data["scores"],
            comment=data.validated_data["comment"],
        )
        return self.answer(sheet, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ScoringSheetUpdateSerializer, responses=s.ScoringSheetSerializer)
    def update(self, request, *args, **kwargs):
        sheet = self.get_object()
        if sheet.member_id != request.user.pk:
            raise NotFound
        data = s.ScoringSheetUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.sheet_save(
            actor=request.user,
            application=sheet.application,
            scores=data.validated_data["scores"],
            comment=data.validated_data["comment"],
        )
        return self.answer(sheet)

    @extend_schema(request=s.ScoringSheetUpdateSerializer, responses=s.ScoringSheetSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(request=s.CertReasonSerializer, responses=s.ScoringSheetSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        sheet = self.get_object()
        s.CertReasonSerializer(data=request.data).is_valid(raise_exception=True)
        services.sheet_submit(actor=request.user, sheet=sheet)
        return self.answer(sheet)

    @extend_schema(request=s.CertRequiredReasonSerializer, responses=s.ScoringSheetSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        sheet = self.get_object()
        data = s.CertRequiredReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.sheet_reopen(actor=request.user, sheet=sheet, **data.validated_data)
        return self.answer(sheet)


class ConflictViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Declared conflicts of interest (回避声明): a member's own; all for the office."""

    serializer_class = s.DeclaredConflictSerializer
    filterset_fields = ["member", "kind"]
    ordering = ["-created_at"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.conflict_list(user=self.request.user)

    def perform_create(self, serializer):
        v = serializer.validated_data
        serializer.instance = services.conflict_declare(
            actor=self.request.user,
            member=v.get("member") or self.request.user,
            staff=v["staff"],
            kind=v["kind"],
            note=v.get("note", ""),
        )


class ObjectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Objections (异议) during publicity: filed by any staff member, resolved by the office."""

    serializer_class = s.CertObjectionSerializer
    filterset_fields = ["application", "status"]
    ordering = ["-created_at", "-id"]
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        return selectors.objection_list(user=self.request.user)

    @extend_schema(request=s.CertObjectionCreateSerializer, responses=s.CertObjectionSerializer)
    def create(self, request, *args, **kwargs):
        data = s.CertObjectionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        app = (
            selectors.objectable_applications()
            .filter(pk=data.validated_data["application"])
            .first()
        )
        if app is None:
            raise NotFound
        objection = services.objection_file(
            actor=request.user, application=app, reason=data.validated_data["reason"]
        )
        return Response(s.CertObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CertObjectionResolveSerializer, responses=s.CertObjectionSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        objection = self.get_object()
        data = s.CertObjectionResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.objection_resolve(actor=request.user, objection=objection, **data.validated_data)
        return Response(s.CertObjectionSerializer(Objection.objects.get(pk=objection.pk)).data)
