"""``/api/v1/ranking/analytics/…``: the workforce analytics (heat map, flows, ladder match) for
the leadership group, the committee and the office. Read-only."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core import clock
from core.roles import has_role

from .. import analytics
from ..views_analytics import READERS


class AnalyticsReaders(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and has_role(user, *READERS))


class HeatCellSerializer(serializers.Serializer):
    competency = serializers.CharField()
    staff = serializers.IntegerField()
    actual = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    required = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    gap = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class HeatRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    code = serializers.CharField()
    path = serializers.CharField()
    staff = serializers.IntegerField()
    cells = HeatCellSerializer(many=True)


class HeatMapSerializer(serializers.Serializer):
    model = serializers.IntegerField(allow_null=True)
    competencies = serializers.ListField(child=serializers.CharField())
    rows = HeatRowSerializer(many=True)


class PromotionSerializer(serializers.Serializer):
    from_ = serializers.CharField()
    to = serializers.CharField()
    count = serializers.IntegerField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class YearFlowsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    promotions = PromotionSerializer(many=True)
    promoted = serializers.IntegerField()
    demotions = serializers.IntegerField()
    eliminations = serializers.IntegerField()
    renewals = serializers.IntegerField()
    kept = serializers.IntegerField()


class FlowsSerializer(serializers.Serializer):
    years = YearFlowsSerializer(many=True)


class LadderRowSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    code = serializers.CharField()
    staff = serializers.IntegerField()
    next_level = serializers.CharField(allow_null=True)
    eligible = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)


class LadderSerializer(serializers.Serializer):
    on_date = serializers.DateField()
    levels = LadderRowSerializer(many=True)


def _num(value):
    return None if value is None else f"{value:.2f}"


class HeatMapView(APIView):
    """Units × competencies of a published model: mean proficiency, mean requirement, gap."""

    permission_classes = [AnalyticsReaders]

    @extend_schema(
        parameters=[OpenApiParameter("model", int, description="published competency model")],
        responses=HeatMapSerializer,
    )
    def get(self, request):
        models = analytics.heat_models()
        wanted = request.query_params.get("model", "")
        model = next((m for m in models if str(m.pk) == wanted), models[0] if models else None)
        heat = analytics.heat_map(model=model)
        return Response(
            {
                "model": model.pk if model else None,
                "competencies": [c.code for c in heat.competencies],
                "rows": [
                    {
                        "unit": row.unit_id,
                        "code": row.code,
                        "path": row.unit,
                        "staff": row.staff,
                        "cells": [
                            {
                                "competency": cell.competency_code,
                                "staff": cell.staff,
                                "actual": _num(cell.actual),
                                "required": _num(cell.required),
                                "gap": _num(cell.gap),
                            }
                            for cell in row.cells
                        ],
                    }
                    for row in heat.rows
                ],
            }
        )


class FlowsView(APIView):
    """Per year: promotions by from → to level, demotions, eliminations, re-appointments."""

    permission_classes = [AnalyticsReaders]

    @extend_schema(responses=FlowsSerializer)
    def get(self, request):
        return Response(
            {
                "years": [
                    {
                        "year": f.year,
                        "promotions": [
                            {"from": a, "to": b, "count": n} for a, b, n in f.promotion_lines()
                        ],
                        "promoted": f.promoted,
                        "demotions": f.demotions,
                        "eliminations": f.eliminations,
                        "renewals": f.renewals,
                        "kept": f.kept,
                    }
                    for f in analytics.flows()
                ]
            }
        )


class LadderView(APIView):
    """Per level: serving staff and how many meet every eligibility rule of the next level."""

    permission_classes = [AnalyticsReaders]

    @extend_schema(responses=LadderSerializer)
    def get(self, request):
        today = clock.today()
        return Response(
            {
                "on_date": today,
                "levels": [
                    {
                        "level": r.level.pk,
                        "code": r.level.code,
                        "staff": r.staff,
                        "next_level": r.next_level.code if r.next_level else None,
                        "eligible": r.eligible,
                        "percent": r.percent,
                    }
                    for r in analytics.ladder_match(on_date=today)
                ],
            }
        )
