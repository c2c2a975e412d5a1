"""``/api/v1/training/…`` (API.md, "training"). Thin: parse, call a selector or service, render.

Scope: courses, sessions and requirements are catalogue data every signed-in user reads;
records, enrolments, certificates and packages belong to people and go through ``org.scope``
(a staff member sees their own, a manager their subtree, HR everyone; anything else is 404).
"""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import clock
from core.api.permissions import OfficeOnly, OfficeWritesOthersRead
from core.api.responses import RefetchedMixin
from core.downloads import Kind as DownloadKind
from core.downloads import download_record
from kpi.models import Appraisal
from org.scope import get_visible_staff_or_404, scope_by_staff, staff_of, visible_units

from .. import exports, imports, rules, selectors, services
from ..models import DevelopmentGoal
from . import filters, serializers


def _visible_staff_or_404(user, pk):
    from django.http import Http404

    try:
        return get_visible_staff_or_404(user, pk)
    except Http404 as exc:
        raise NotFound from exc


class CourseViewSet(
    RefetchedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The course catalogue (课程). Everyone reads; the office writes."""

    serializer_class = serializers.TrainingCourseSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = filters.CourseFilter
    search_fields = ["code", "title", "title_en"]
    ordering_fields = ["code", "title", "credits", "hours"]
    ordering = ["code"]

    def get_queryset(self):
        return selectors.course_list()

    @extend_schema(
        request=serializers.TrainingCourseInputSerializer,
        responses=serializers.TrainingCourseSerializer,
    )
    def create(self, request, *args, **kwargs):
        data = serializers.TrainingCourseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = services.course_save(actor=request.user, **data.validated_data)
        return self.answer(course, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.TrainingCourseInputSerializer,
        responses=serializers.TrainingCourseSerializer,
    )
    def update(self, request, *args, **kwargs):
        course = self.get_object()
        data = serializers.TrainingCourseInputSerializer(
            course, data=request.data, partial=kwargs.get("partial", False)
        )
        data.is_valid(raise_exception=True)
        course = services.course_save(actor=request.user, course=course, **data.validated_data)
        return self.answer(course)


class SessionViewSet(
    RefetchedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Sessions (培训班) with the workflow actions ``enrol``, ``results``, ``complete``,
    ``cancel``; ``enrolments`` lists the participants the caller may see."""

    serializer_class = serializers.TrainingSessionSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = filters.SessionFilter
    search_fields = ["course__code", "course__title", "place"]
    ordering_fields = ["start", "end", "capacity"]
    ordering = ["-start", "-id"]

    def get_permissions(self):
        if self.action in ("enrol", "enrolments", "evaluate"):
            return [IsAuthenticated()]
        if self.action in ("complete", "results", "cancel"):
            return [OfficeOnly()]
        return super().get_permissions()

    def get_queryset(self):
        return selectors.session_list()

    @extend_schema(
        request=serializers.TrainingSessionInputSerializer,
        responses=serializers.TrainingSessionSerializer,
    )
    def create(self, request, *args, **kwargs):
        data = serializers.TrainingSessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.session_save(actor=request.user, **data.validated_data)
        return self.answer(session, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.TrainingSessionInputSerializer,
        responses=serializers.TrainingSessionSerializer,
    )
    def update(self, request, *args, **kwargs):
        session = self.get_object()
        data = serializers.TrainingSessionInputSerializer(
            session, data=request.data, partial=kwargs.get("partial", False)
        )
        data.is_valid(raise_exception=True)
        session = services.session_save(actor=request.user, session=session, **data.validated_data)
        return self.answer(session)

    @extend_schema(
        request=serializers.TrainingEnrolInputSerializer,
        responses={201: serializers.TrainingEnrolmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        """Enrol yourself, or (the office) the staff member ``staff``. 409 when the session is
        full, closed, or the person is already enrolled."""
        session = self.get_object()
        data = serializers.TrainingEnrolInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        staff_id = data.validated_data.get("staff")
        if staff_id is None:
            staff = staff_of(request.user)
            if staff is None:
                raise NotFound("Your account is not linked to a staff record.")
        else:
            staff = _visible_staff_or_404(request.user, staff_id)
        enrolment = services.session_enrol(actor=request.user, session=session, staff=staff)
        return Response(
            serializers.TrainingEnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=serializers.TrainingEvaluationInputSerializer,
        responses={201: serializers.TrainingEvaluationReceiptSerializer},
    )
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        """Rate a completed session you attended, once (409 ``already_evaluated``): 1–5 on
        ``content``, ``trainer``, ``usefulness`` and an optional ``comment``. Anonymous: the
        answer carries no id, and nothing stored links the rating to you."""
        session = self.get_object()
        data = serializers.TrainingEvaluationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.evaluation_submit(actor=request.user, session=session, **data.validated_data)
        return Response({"session": session.pk, "evaluated": True}, status=status.HTTP_201_CREATED)

    @extend_schema(responses=serializers.TrainingEnrolmentSerializer(many=True))
    @action(detail=True, methods=["get"])
    def enrolments(self, request, pk=None):
        session = self.get_object()
        qs = selectors.enrolment_list(user=request.user, session=session)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(
            serializers.TrainingEnrolmentSerializer(page, many=True).data
        )

    @extend_schema(
        request=serializers.TrainingResultsInputSerializer,
        responses=serializers.TrainingSessionSerializer,
    )
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        """Attendance and exam scores, ``{results: [{staff, attended, score}]}`` (the office)."""
        session = self.get_object()
        data = serializers.TrainingResultsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.session_results_record(
            actor=request.user, session=session, results=data.validated_data["results"]
        )
        return self.answer(session)

    @extend_schema(
        request=serializers.TrainingReasonSerializer,
        responses=serializers.TrainingCompleteOutputSerializer,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Complete the session: those who passed get a training record, once. 409 twice."""
        session = self.get_object()
        serializers.TrainingReasonSerializer(data=request.data).is_valid(raise_exception=True)
        written = services.session_complete(actor=request.user, session=session)
        return Response({"session": self.answer_data(session), "records_written": written})

    @extend_schema(
        request=serializers.TrainingReasonSerializer,
        responses=serializers.TrainingSessionSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        session = self.get_object()
        data = serializers.TrainingReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.session_cancel(
            actor=request.user, session=session, reason=data.validated_data.get("reason", "")
        )
        return self.answer(session)


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """The training ledger (培训台账), scoped. Written by sessions, imports and certificates."""

    serializer_class = serializers.TrainingRecordSerializer
    filterset_class = filters.RecordFilter
    search_fields = ["staff__name", "staff__employee_no", "course__code", "course__title", "title"]
    ordering_fields = ["date", "credits", "staff__employee_no"]
    ordering = ["-date", "-id"]

    def get_queryset(self):
        return selectors.record_list(user=self.request.user)

    @extend_schema(
        request={"multipart/form-data": serializers.TrainingImportInputSerializer},
        responses={201: serializers.TrainingImportOutputSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        permission_classes=[OfficeOnly],
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_(self, request):
        """Import ledger lines (CSV/XLSX, all-or-nothing, idempotent). 400 lists every bad
        row as ``{line, column, message}`` and nothing is written."""
        data = serializers.TrainingImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        result = imports.import_records(
            actor=request.user,
            content=upload.read(),
            filename=upload.name or "",
            today=clock.today(),
        )
        return Response(
            {"created": result.created, "updated": result.updated}, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={(200, exports.XLSX_TYPE): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request):
        """The filtered ledger (same filters as the list) as an XLSX workbook."""
        qs = self.filter_queryset(self.get_queryset())
        name = exports.filename(clock.today())
        download_record(request=request, kind=DownloadKind.EXPORT, label=name)
        return FileResponse(
            exports.write_ledger(qs),
            as_attachment=True,
            filename=name,
            content_type=exports.XLSX_TYPE,
        )


class RequirementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Training requirements per level: minimum credits in 12 months and required courses."""

    serializer_class = serializers.TrainingRequirementSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["level"]
    ordering = ["level__track", "level__order"]

    def get_queryset(self):
        return selectors.requirement_list()

    @extend_schema(
        request=serializers.TrainingRequirementInputSerializer,
        responses=serializers.TrainingRequirementSerializer,
    )
    def create(self, request, *args, **kwargs):
        data = serializers.TrainingRequirementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        requirement = services.requirement_save(actor=request.user, **data.validated_data)
        return Response(
            serializers.TrainingRequirementSerializer(
                self.get_queryset().get(pk=requirement.pk)
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=serializers.TrainingRequirementInputSerializer,
        responses=serializers.TrainingRequirementSerializer,
    )
    def update(self, request, *args, **kwargs):
        requirement = self.get_object()
        data = serializers.TrainingRequirementInputSerializer(
            requirement, data=request.data, partial=kwargs.get("partial", False)
        )
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        if "level" in fields and fields["level"].pk != requirement.level_id:
            raise ValidationError({"level": ["The level of a requirement cannot change."]})
        requirement = services.requirement_save(
            actor=request.user,
            level=fields.get("level", requirement.level),
            min_credits_12m=fields.get("min_credits_12m", requirement.min_credits_12m),
            required_courses=fields.get("required_courses"),
        )
        return Response(
            serializers.TrainingRequirementSerializer(
                self.get_queryset().get(pk=requirement.pk)
            ).data
        )


class CertificateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """External certificates: submitted with a file (PDF/JPEG/PNG ≤ 5 MB), verified by HR
    into a training record. ``file`` downloads it (scoped)."""

    serializer_class = serializers.TrainingCertificateSerializer
    filterset_class = filters.CertificateFilter
    ordering_fields = ["submitted_at", "issued_on"]
    ordering = ["-submitted_at", "-id"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_permissions(self):
        if self.action in ("verify", "reject"):
            return [OfficeOnly()]
        return [IsAuthenticated()]

    def get_queryset(self):
        return selectors.certificate_list(user=self.request.user).select_related("record")

    @extend_schema(
        request={"multipart/form-data": serializers.TrainingCertificateInputSerializer},
        responses={201: serializers.TrainingCertificateSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = serializers.TrainingCertificateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        staff_id = fields.pop("staff", None)
        if staff_id is None:
            staff = staff_of(request.user)
            if staff is None:
                raise NotFound("Your account is not linked to a staff record.")
        else:
            staff = _visible_staff_or_404(request.user, staff_id)
        cert = services.certificate_submit(actor=request.user, staff=staff, **fields)
        return Response(
            serializers.TrainingCertificateSerializer(self.get_queryset().get(pk=cert.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The certificate's file, for those who may see the certificate (else 404)."""
        cert = self.get_object()
        return certificate_file_response(request, cert)

    @extend_schema(
        request=serializers.TrainingVerifyInputSerializer,
        responses=serializers.TrainingRecordSerializer,
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        cert = self.get_object()
        data = serializers.TrainingVerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.certificate_verify(
            actor=request.user,
            certificate=cert,
            credits=data.validated_data.get("credits"),
            reason=data.validated_data.get("reason", ""),
            expires_on=data.validated_data.get("expires_on"),
        )
        return Response(serializers.TrainingRecordSerializer(record).data)

    @extend_schema(
        request=serializers.TrainingRejectInputSerializer,
        responses=serializers.TrainingCertificateSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        cert = self.get_object()
        data = serializers.TrainingRejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.certificate_reject(
            actor=request.user, certificate=cert, reason=data.validated_data["reason"]
        )
        return Response(
            serializers.TrainingCertificateSerializer(self.get_queryset().get(pk=cert.pk)).data
        )


class ActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Mentoring and job rotation (docs/training.md): scoped by the staff member; HR records
    one (``POST``), which writes its ledger record with the credits of the hours."""

    serializer_class = serializers.TrainingActivitySerializer
    filterset_class = filters.ActivityFilter
    ordering_fields = ["end", "start"]
    ordering = ["-end", "-id"]

    def get_permissions(self):
        if self.action == "create":
            return [OfficeOnly()]
        return [IsAuthenticated()]

    def get_queryset(self):
        return selectors.activity_list(user=self.request.user)

    @extend_schema(
        request=serializers.TrainingActivityInputSerializer,
        responses={201: serializers.TrainingActivitySerializer},
    )
    def create(self, request, *args, **kwargs):
        data = serializers.TrainingActivityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        staff = _visible_staff_or_404(request.user, fields.pop("staff"))
        mentor_id = fields.pop("mentor", None)
        unit_id = fields.pop("host_unit", None)
        mentor = _visible_staff_or_404(request.user, mentor_id) if mentor_id else None
        host_unit = None
        if unit_id:
            host_unit = visible_units(request.user).filter(pk=unit_id).first()
            if host_unit is None:
                raise NotFound("No such unit.")
        activity = services.activity_record(
            actor=request.user, staff=staff, mentor=mentor, host_unit=host_unit, **fields
        )
        return Response(
            serializers.TrainingActivitySerializer(self.get_queryset().get(pk=activity.pk)).data,
            status=status.HTTP_201_CREATED,
        )


def certificate_file_response(request, cert) -> FileResponse:
    try:
        handle = cert.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise NotFound("The file is missing.") from exc
    download_record(request=request, kind=DownloadKind.CERTIFICATE, obj=cert)
    response = FileResponse(
        handle, as_attachment=True, filename=cert.original_name, content_type=cert.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class PackageViewSet(viewsets.ReadOnlyModelViewSet):
    """Training packages (培训礼包), scoped; ``choose`` a programme (the owner), ``use`` (HR)."""

    serializer_class = serializers.TrainingPackageSerializer
    filterset_class = filters.PackageFilter
    ordering = ["-granted_on", "-id"]

    def get_permissions(self):
        if self.action == "use":
            return [OfficeOnly()]
        return [IsAuthenticated()]

    def get_queryset(self):
        return selectors.package_list(user=self.request.user)

    @extend_schema(
        request=serializers.TrainingChooseInputSerializer,
        responses=serializers.TrainingPackageSerializer,
    )
    @action(detail=True, methods=["post"])
    def choose(self, request, pk=None):
        package = self.get_object()
        data = serializers.TrainingChooseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.package_choose(
            actor=request.user,
            package=package,
            programme=data.validated_data.get("programme", ""),
            course=data.validated_data.get("course"),
        )
        return Response(
            serializers.TrainingPackageSerializer(self.get_queryset().get(pk=package.pk)).data
        )

    @extend_schema(
        request=serializers.TrainingUsageInputSerializer,
        responses={201: serializers.TrainingPackageUsageSerializer},
    )
    @action(detail=True, methods=["post"])
    def use(self, request, pk=None):
        package = self.get_object()
        data = serializers.TrainingUsageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        usage = services.package_use(actor=request.user, package=package, **data.validated_data)
        return Response(
            serializers.TrainingPackageUsageSerializer(usage).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=serializers.TrainingPackageUsageSerializer(many=True))
    @action(detail=True, methods=["get"])
    def usages(self, request, pk=None):
        package = self.get_object()
        return Response(
            serializers.TrainingPackageUsageSerializer(package.usages.all(), many=True).data
        )


class StaffTrainingSummaryView(APIView):
    """``org/staff/{id}/training-summary/``: credits in the last 12 months, the level's
    requirement, missing courses, shortfall (scoped: 404 out of scope)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("on_date", OpenApiTypes.DATE, description="Default: today."),
            OpenApiParameter(
                "level", OpenApiTypes.INT, description="Level id (default: current level)."
            ),
        ],
        responses=serializers.TrainingSummarySerializer,
    )
    def get(self, request, pk: int):
        staff = _visible_staff_or_404(request.user, pk)
        query = serializers.TrainingSummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        summary = selectors.training_summary(
            staff=staff,
            on_date=query.validated_data.get("on_date"),
            level=query.validated_data.get("level"),
        )
        return Response(serializers.TrainingSummarySerializer(summary).data)


class EvaluationResultsView(APIView):
    """``training/evaluations/results/`` (HR): participants' ratings aggregated per course and
    per trainer — count and means to 2 places (half-up), the means and comments only from 3
    evaluations on (``null`` below)."""

    permission_classes = [OfficeOnly]

    @extend_schema(
        parameters=[OpenApiParameter("course", OpenApiTypes.INT, description="Only this course.")],
        responses=serializers.TrainingEvaluationResultsSerializer,
    )
    def get(self, request):
        course = None
        course_id = request.query_params.get("course")
        if course_id:
            if not course_id.isdigit():
                raise ValidationError({"course": ["A course id."]})
            course = selectors.course_list().filter(pk=int(course_id)).first()
            if course is None:
                raise NotFound("No such course.")
        by_course, by_trainer = selectors.evaluation_results(course=course)
        return Response(
            serializers.TrainingEvaluationResultsSerializer(
                {
                    "minimum": rules.EVALUATION_MIN_SHOWN,
                    "courses": by_course,
                    "trainers": by_trainer,
                }
            ).data
        )


class PlanViewSet(
    RefetchedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Annual training plans per unit (年度培训计划): budget, lines, planned total and the unit's
    need (staff with a gap per competency). Scoped by unit (a manager sees their subtree's
    plans). HR creates (``POST``), changes a draft's budget (``PATCH``), adds and removes lines
    and approves — refused (409 ``over_budget``) when the lines cost more than the budget."""

    serializer_class = serializers.TrainingPlanSerializer
    filterset_fields = ["year", "unit", "status"]
    ordering_fields = ["year", "budget"]
    ordering = ["-year", "unit__path"]

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [IsAuthenticated()]
        return [OfficeOnly()]

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user).prefetch_related(
            "lines__course", "lines__competency"
        )

    def _render(self, plans, *, many=False):
        needs = selectors.plan_needs(plans=list(plans), on_date=clock.today())
        return serializers.TrainingPlanSerializer(
            plans if many else plans[0], many=many, context={"needs": needs}
        ).data

    def answer_data(self, obj):
        return self._render([self.answer_queryset().get(pk=obj.pk)])

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._render(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._render([self.get_object()]))

    @extend_schema(
        request=serializers.TrainingPlanInputSerializer,
        responses={201: serializers.TrainingPlanSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = serializers.TrainingPlanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = visible_units(request.user).filter(pk=data.validated_data["unit"]).first()
        if unit is None:
            raise NotFound("No such unit.")
        plan = services.plan_save(
            actor=request.user,
            year=data.validated_data["year"],
            unit=unit,
            budget=data.validated_data["budget"],
        )
        return self.answer(plan, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.TrainingPlanBudgetSerializer,
        responses=serializers.TrainingPlanSerializer,
    )
    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        data = serializers.TrainingPlanBudgetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.plan_save(
            actor=request.user,
            year=plan.year,
            unit=plan.unit,
            budget=data.validated_data["budget"],
            plan=plan,
        )
        return self.answer(plan)

    @extend_schema(
        request=serializers.TrainingPlanLineInputSerializer,
        responses={201: serializers.TrainingPlanSerializer},
    )
    @action(detail=True, methods=["post"])
    def lines(self, request, pk=None):
        """Add a line to a draft plan: ``course`` or ``topic``, ``competency?``,
        ``participants``, ``cost``."""
        plan = self.get_object()
        data = serializers.TrainingPlanLineInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.plan_line_add(actor=request.user, plan=plan, **data.validated_data)
        return self.answer(plan, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=serializers.TrainingPlanSerializer)
    @action(detail=True, methods=["delete"], url_path=r"lines/(?P<line_id>\d+)")
    def remove_line(self, request, pk=None, line_id=None):
        plan = self.get_object()
        line = plan.lines.filter(pk=line_id).first()
        if line is None:
            raise NotFound("No such line.")
        services.plan_line_remove(actor=request.user, line=line)
        return self.answer(plan)

    @extend_schema(request=None, responses=serializers.TrainingPlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = services.plan_approve(actor=request.user, plan=self.get_object())
        return self.answer(plan)


class GoalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Development goals agreed in appraisal reviews (scoped by the staff member). The line
    manager or HR adds (``POST``) and removes (``DELETE``) them until the employee answers the
    review (409 afterwards; 403 for anyone else)."""

    serializer_class = serializers.TrainingDevelopmentGoalSerializer
    filterset_fields = ["staff", "appraisal"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        return scope_by_staff(
            DevelopmentGoal.objects.select_related("appraisal__period", "competency", "course"),
            self.request.user,
        )

    @extend_schema(
        request=serializers.TrainingDevelopmentGoalInputSerializer,
        responses={201: serializers.TrainingDevelopmentGoalSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = serializers.TrainingDevelopmentGoalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        appraisal = (
            scope_by_staff(Appraisal.objects.select_related("staff"), request.user)
            .filter(pk=fields.pop("appraisal"))
            .first()
        )
        if appraisal is None:
            raise NotFound("No such appraisal.")
        goal = services.goal_add(actor=request.user, appraisal=appraisal, **fields)
        return Response(
            serializers.TrainingDevelopmentGoalSerializer(self.get_queryset().get(pk=goal.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def destroy(self, request, *args, **kwargs):
        services.goal_remove(actor=request.user, goal=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
