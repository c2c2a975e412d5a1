"""``/api/v1/certification/reappointments/`` (API.md, "certification"). Thin: parse, call one
selector or service, render. Reads are scoped (404 outside the scope); acting is for the
certification office (403 for other roles, after the object was found in scope)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import clock
from core.api.permissions import OfficeOnly
from org.models import Level
from org.scope import visible_units

from .. import selectors, services
from . import filters, serializers


class ReappointmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Re-appointment cases (续聘): one per expiring term, with the evidence and the outcome."""

    serializer_class = serializers.ReappointmentSerializer
    filterset_class = filters.ReappointmentFilter
    search_fields = ["staff__name", "staff__employee_no"]
    ordering_fields = ["term_end", "staff__employee_no", "decided_at"]
    ordering = ["term_end", "staff__employee_no", "id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.case_list(user=self.request.user)

    def _done(self, case):
        case = self.get_queryset().get(pk=case.pk)
        return Response(serializers.ReappointmentSerializer(case).data)

    @extend_schema(
        request=serializers.ReappointmentReasonSerializer,
        responses=serializers.ReappointmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """Renew the term (all conditions met): new appointment + letter. 409 if decided."""
        case = self.get_object()
        data = serializers.ReappointmentReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(
            services.review_renew(actor=request.user, case=case, **data.validated_data)
        )

    @extend_schema(
        request=serializers.ReappointmentConditionsSerializer,
        responses=serializers.ReappointmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def renew_with_conditions(self, request, pk=None):
        """Renew with a deadline to make up the shortfall (stated in ``conditions``)."""
        case = self.get_object()
        data = serializers.ReappointmentConditionsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(
            services.review_renew_with_conditions(
                actor=request.user, case=case, **data.validated_data
            )
        )

    @extend_schema(
        request=serializers.ReappointmentReasonSerializer,
        responses=serializers.ReappointmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        """Refer to re-certification at the current level (no new term)."""
        case = self.get_object()
        data = serializers.ReappointmentReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(
            services.review_refer(actor=request.user, case=case, **data.validated_data)
        )

    @extend_schema(
        parameters=[serializers.ExpiringTermsQuerySerializer],
        responses=serializers.ExpiringTermSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def expiring(self, request):
        """Open appointments ending within ``months`` (default 3): today ≤ end < today + months,
        with each person's readiness. ``unit`` includes its sub-units."""
        query = serializers.ExpiringTermsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        unit = level = None
        if params.get("unit"):
            unit = visible_units(request.user).filter(pk=params["unit"]).first()
            if unit is None:
                raise Http404
        if params.get("level"):
            level = Level.objects.filter(pk=params["level"]).first()
            if level is None:
                raise Http404
        today = clock.today()
        page = self.paginate_queryset(
            selectors.expiring(
                user=request.user, today=today, months=params["months"], unit=unit, level=level
            )
        )
        rows = selectors.readiness(appointments=page, on_date=today)
        return self.get_paginated_response(serializers.ExpiringTermSerializer(rows, many=True).data)

    @extend_schema(responses=serializers.ReappointmentSerializer(many=True))
    @action(detail=False, methods=["get"])
    def overdue(self, request):
        """Overdue terms (past their end, no decision) that the nightly check marked."""
        qs = self.filter_queryset(self.get_queryset()).filter(status="overdue")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(
            serializers.ReappointmentSerializer(page, many=True).data
        )


class ReviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Review batches (续聘评审): the certification office opens one for expiring terms."""

    serializer_class = serializers.ReappointmentReviewSerializer
    permission_classes = [OfficeOnly]
    search_fields = ["name"]
    ordering_fields = ["opened_on", "name"]
    ordering = ["-opened_on", "-id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.review_list()

    @extend_schema(
        request=serializers.ReappointmentReviewCreateSerializer,
        responses=serializers.ReappointmentReviewSerializer,
    )
    def create(self, request, *args, **kwargs):
        data = serializers.ReappointmentReviewCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.review_open(
            actor=request.user,
            appointment_ids=data.validated_data["appointments"],
            name=data.validated_data["name"],
            note=data.validated_data["note"],
        )
        review = self.get_queryset().get(pk=review.pk)
        return Response(
            serializers.ReappointmentReviewSerializer(review).data, status=status.HTTP_201_CREATED
        )
