"""``/api/v1/competency/…`` and ``/api/v1/org/staff/{id}/competency-profile/`` (API.md).

Thin: parse with a serializer, call one service or selector, render. Scope: models,
competencies and requirements are reference data every signed-in user reads (HR writes);
assessments are staff-owned rows scoped through ``org.scope`` (out of scope → 404), and the
rated person never sees who the peer raters are.
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import OfficeWritesOthersRead
from core.api.responses import RefetchedMixin
from org.scope import get_visible_staff_or_404

from .. import assessments as assessment_services
from .. import selectors, services
from ..models import Assessment, AssessmentResult, Competency, Rater
from . import serializers as s


class CompetencyModelViewSet(
    RefetchedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Versions of a track's competency model (素质模型): draft → published → retired."""

    serializer_class = s.CompetencyModelSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["track", "status", "version"]
    search_fields = ["name", "name_en"]
    ordering_fields = ["track", "version", "status"]
    ordering = ["track", "-version"]

    def get_queryset(self):
        return selectors.model_list().annotate(competency_count=Count("competencies"))

    def create(self, request, *args, **kwargs):
        data = s.CompetencyModelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        model = services.model_create(actor=request.user, **data.validated_data)
        return self.answer(model, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CompetencyModelUpdateSerializer, responses=s.CompetencyModelSerializer)
    def update(self, request, *args, **kwargs):
        model = self.get_object()
        data = s.CompetencyModelUpdateSerializer(
            data=request.data, partial=kwargs.get("partial", False)
        )
        data.is_valid(raise_exception=True)
        services.model_update(actor=request.user, model=model, **data.validated_data)
        return self.answer(model)

    @extend_schema(request=s.CompetencyReasonSerializer, responses=s.CompetencyModelSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        data = s.CompetencyReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        model = services.model_publish(
            actor=request.user, model=self.get_object(), **data.validated_data
        )
        return self.answer(model)

    @extend_schema(request=s.CompetencyReasonSerializer, responses=s.CompetencyModelSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        data = s.CompetencyReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        model = services.model_retire(
            actor=request.user, model=self.get_object(), **data.validated_data
        )
        return self.answer(model)

    @extend_schema(
        request=s.CompetencyReasonSerializer, responses={201: s.CompetencyModelSerializer}
    )
    @action(detail=True, methods=["post"], url_path="new-draft")
    def new_draft(self, request, pk=None):
        """A new draft copied from this published (or retired) version."""
        data = s.CompetencyReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        model = services.model_new_draft(
            actor=request.user, source=self.get_object(), **data.validated_data
        )
        return self.answer(model, status=status.HTTP_201_CREATED)


class CompetencyFilter(django_filters.FilterSet):
    class Meta:
        model = Competency
        fields = ["model", "category", "kind", "code"]


class CompetencyViewSet(RefetchedMixin, viewsets.ModelViewSet):
    """Competencies (素质) with their behaviour-anchored level descriptions (分级描述)."""

    serializer_class = s.CompetencySerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = CompetencyFilter
    search_fields = ["code", "name", "name_en"]
    ordering_fields = ["order", "code", "name"]
    ordering = ["model", "order", "code"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.competency_list()

    def create(self, request, *args, **kwargs):
        data = s.CompetencySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        model = fields.pop("model")
        competency = services.competency_create(actor=request.user, model=model, **fields)
        return self.answer(competency, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CompetencyUpdateSerializer, responses=s.CompetencySerializer)
    def update(self, request, *args, **kwargs):
        competency = self.get_object()
        data = s.CompetencyUpdateSerializer(
            competency, data=request.data, partial=kwargs.get("partial", False)
        )
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("model", None)
        services.competency_update(actor=request.user, competency=competency, **fields)
        return self.answer(competency)

    def destroy(self, request, *args, **kwargs):
        services.competency_delete(actor=request.user, competency=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class RequirementViewSet(viewsets.ModelViewSet):
    """Requirement profiles (岗位素质要求): required proficiency and weight per level."""

    serializer_class = s.RequirementSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["model", "level", "competency"]
    ordering_fields = ["level__order", "competency__order", "required_level", "weight"]
    ordering = ["model", "level__order", "competency__order", "competency__code"]

    def get_queryset(self):
        return selectors.requirement_list()

    def create(self, request, *args, **kwargs):
        """Creates the cell, or changes it when the level already requires the competency."""
        data = s.RequirementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        requirement = services.requirement_set(actor=request.user, **data.validated_data)
        return Response(s.RequirementSerializer(requirement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RequirementUpdateSerializer, responses=s.RequirementSerializer)
    def update(self, request, *args, **kwargs):
        requirement = self.get_object()
        data = s.RequirementUpdateSerializer(
            requirement, data=request.data, partial=kwargs.get("partial", False)
        )
        data.is_valid(raise_exception=True)
        values = {
            "required_level": requirement.required_level,
            "weight": requirement.weight,
            **data.validated_data,
        }
        requirement = services.requirement_set(
            actor=request.user,
            model=requirement.model,
            level=requirement.level,
            competency=requirement.competency,
            **values,
        )
        return Response(s.RequirementSerializer(requirement).data)

    def destroy(self, request, *args, **kwargs):
        services.requirement_delete(actor=request.user, requirement=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoundViewSet(
    RefetchedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Assessment rounds (测评批次), run by the office."""

    serializer_class = s.AssessmentRoundSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_fields = ["model", "status"]
    search_fields = ["name"]
    ordering_fields = ["created_at", "due_date", "name"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.round_list()

    def create(self, request, *args, **kwargs):
        data = s.AssessmentRoundSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        round_ = assessment_services.round_create(
            actor=request.user,
            model=v["model"],
            name=v["name"],
            staff=v["staff"],
            due_date=v.get("due_date"),
            weights={
                t: v[f"weight_{t}"]
                for t in ("manager", "peer", "expert", "self")
                if f"weight_{t}" in v
            },
        )
        return self.answer(round_, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.AssessmentRoundFinalizeSerializer)
    @action(detail=True, methods=["post"])
    def finalize(self, request, pk=None):
        """Finalize every complete open assessment of the round."""
        n = assessment_services.round_finalize(actor=request.user, round=self.get_object())
        return Response({"finalized": n})

    @extend_schema(request=s.CompetencyReasonSerializer, responses=s.AssessmentRoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = s.CompetencyReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = assessment_services.round_close(
            actor=request.user, round=self.get_object(), **data.validated_data
        )
        return self.answer(round_)


class AssessmentFilter(django_filters.FilterSet):
    class Meta:
        model = Assessment
        fields = ["staff", "model", "round", "status"]


class AssessmentViewSet(
    RefetchedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """360° assessments (素质测评), scoped: own, the team's, all for HR.

    ``ratings/`` also answers raters invited from outside the caller's scope (a peer in
    another department), for posting their own ratings only.
    """

    serializer_class = s.AssessmentSerializer
    filterset_class = AssessmentFilter
    ordering_fields = ["id", "finalized_on", "index"]
    ordering = ["-id"]

    def get_queryset(self):
        if self.action == "ratings" and self.request.method == "POST":
            qs = selectors.rateable_assessments(user=self.request.user)
        else:
            qs = selectors.assessment_list(user=self.request.user)
        return qs.prefetch_related(
            Prefetch(
                "raters",
                queryset=Rater.objects.select_related("user__staff").order_by("rater_type", "id"),
            ),
            Prefetch(
                "results",
                queryset=AssessmentResult.objects.select_related("competency").order_by(
                    "competency__order", "competency__code"
                ),
            ),
        )

    @extend_schema(request=s.AssessmentCreateSerializer, responses={201: s.AssessmentSerializer})
    def create(self, request, *args, **kwargs):
        """An assessment of one staff member (a round of one)."""
        data = s.AssessmentCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        staff = get_visible_staff_or_404(request.user, v["staff"].pk)
        round_ = assessment_services.round_create(
            actor=request.user,
            model=v["model"],
            name=v.get("name") or str(staff),
            staff=[staff],
            due_date=v.get("due_date"),
        )
        return self.answer(round_.assessments.get(), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CompetencyReasonSerializer, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def finalize(self, request, pk=None):
        data = s.CompetencyReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = assessment_services.assessment_finalize(
            actor=request.user, assessment=self.get_object(), **data.validated_data
        )
        return self.answer(assessment)

    @extend_schema(request=s.CompetencyReasonSerializer, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = s.CompetencyReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = assessment_services.assessment_cancel(
            actor=request.user, assessment=self.get_object(), **data.validated_data
        )
        return self.answer(assessment)

    @extend_schema(
        request=s.AssessmentRaterInviteSerializer, responses={201: s.AssessmentRaterSerializer}
    )
    @action(detail=True, methods=["post"])
    def raters(self, request, pk=None):
        """Invite a rater of a type (HR or the staff member's manager)."""
        assessment = self.get_object()
        data = s.AssessmentRaterInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rater = assessment_services.rater_invite(
            actor=request.user, assessment=assessment, **data.validated_data
        )
        return Response(
            s.rater_data(request.user, assessment, rater), status=status.HTTP_201_CREATED
        )

    @extend_schema(methods=["GET"], request=None, responses=s.AssessmentRatingSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=s.AssessmentRatingInSerializer,
        responses={201: s.AssessmentRatingSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def ratings(self, request, pk=None):
        """GET: the ratings the caller may read (peers anonymous to the rated person).
        POST ``{rater_type, competency, level, evidence}``: rate one competency as the caller."""
        assessment = self.get_object()
        if request.method == "GET":
            rows = selectors.ratings_for(user=request.user, assessment=assessment)
            return Response([s.rating_data(request.user, assessment, r) for r in rows])
        data = s.AssessmentRatingInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if not Competency.objects.filter(pk=v["competency"], model_id=assessment.model_id).exists():
            raise ValidationError({"competency": ["Not a competency of this assessment's model."]})
        rating = assessment_services.rating_save(actor=request.user, assessment=assessment, **v)
        rating = type(rating).objects.select_related("rater__user__staff").get(pk=rating.pk)
        return Response(
            s.rating_data(request.user, assessment, rating), status=status.HTTP_201_CREATED
        )


class StaffCompetencyProfileView(APIView):
    """``org/staff/{id}/competency-profile/``: index and items [{competency, required, actual,
    gap}] of the latest finalized assessment, with the courses that develop each gap."""

    @extend_schema(responses=s.CompetencyProfileSerializer)
    def get(self, request, pk: int):
        staff = get_visible_staff_or_404(request.user, pk)
        profile = selectors.competency_profile(staff=staff)
        gaps = {
            g["competency"].pk: g["courses"] for g in selectors.gaps_with_courses(profile=profile)
        }
        assessment = profile["assessment"]
        body = {
            "staff": staff.pk,
            "index": profile["index"],
            "assessment": assessment.pk if assessment else None,
            "finalized_on": assessment.finalized_on if assessment else None,
            "model": assessment.model_id if assessment else None,
            "items": [
                {
                    "competency": item["competency"].pk,
                    "code": item["competency"].code,
                    "name": item["competency"].display_name,
                    "category": item["competency"].category,
                    "kind": item["competency"].kind,
                    "required": item["required"],
                    "weight": item["weight"],
                    "actual": item["actual"],
                    "gap": item["gap"],
                    "courses": [
                        {"id": c.pk, "code": c.code, "title": getattr(c, "display_title", str(c))}
                        for c in gaps.get(item["competency"].pk, [])
                    ],
                }
                for item in profile["items"]
            ],
        }
        return Response(s.CompetencyProfileSerializer(body).data)
