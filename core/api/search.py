"""``GET /api/v1/search/?q=``: the header's search (``core.search``), grouped, within scope."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import search


class SearchHitSerializer(serializers.Serializer):
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField()


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Stable code of the group: people, letters, cycles …")
    heading = serializers.CharField()
    hits = SearchHitSerializer(many=True)


class SearchView(APIView):
    """People (name, employee number, pinyin initials), letters by number, cycles and courses
    by name — each group within the caller's scope, at most 8 hits each."""

    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="What to look for (≤ 100 characters).")],
        responses=SearchGroupSerializer(many=True),
        operation_id="search",
    )
    def get(self, request: Request) -> Response:
        groups = search.search(request.user, request.query_params.get("q"))
        return Response(SearchGroupSerializer(groups, many=True).data)
