"""``GET /api/v1/ranking/distribution/?year=``: the leadership dashboard's figures — KPI annual
grades and ranking bands by branch and year (:mod:`ranking.distribution`), the same as the
page ``/ranking/distribution/``, for the leadership group, the office and administrators."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import RoleRequired
from core.roles import Role, has_role

from .. import distribution


class RowSerializer(serializers.Serializer):
    branch_id = serializers.IntegerField(help_text="The branch (unit under the company); 0: all")
    branch = serializers.CharField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Staff per grade (A–E) or band"
    )
    total = serializers.IntegerField()


class YearTableSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    keys = serializers.ListField(
        child=serializers.CharField(), help_text="The grades A–E, or the bands top/middle/bottom"
    )
    rows = RowSerializer(many=True, help_text="One row per branch, by name")
    totals = RowSerializer(help_text="Every branch together")

    def to_representation(self, instance):
        keys = list(instance.keys)

        def row(r):
            return {
                "branch_id": r.branch_id,
                "branch": r.branch,
                "counts": {k: r.counts.get(k, 0) for k in keys},
                "total": r.total,
            }

        return {
            "year": instance.year,
            "keys": keys,
            "rows": [row(r) for r in instance.rows],
            "totals": row(instance.totals),
        }


class DashboardSerializer(serializers.Serializer):
    years = serializers.ListField(
        child=serializers.IntegerField(), help_text="Years with figures, newest first"
    )
    year = serializers.IntegerField(
        allow_null=True, help_text="The year shown; null: the latest three years"
    )
    grades = YearTableSerializer(many=True, help_text="KPI annual grades, newest year first")
    bands = YearTableSerializer(many=True, help_text="Ranking bands, newest year first")


class DistributionView(APIView):
    """Grade and band distributions by branch and year (one aggregate query each)."""

    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                description="A year with figures; otherwise the latest three years",
            )
        ],
        responses=DashboardSerializer,
        operation_id="ranking_distribution_retrieve",
    )
    def get(self, request: Request) -> Response:
        if not has_role(request.user, Role.LEADERSHIP, Role.HR, Role.ADMIN):
            raise RoleRequired(_("Only the leadership group and the office see the dashboard."))
        figures = distribution.dashboard(year=request.query_params.get("year", ""))
        return Response(DashboardSerializer(figures).data)
