"""``GET /api/v1/inbox/``: the caller's to-do items (``core.inbox``), most urgent first."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import inbox


class InboxItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Stable code of what to do, e.g. certification.qualify")
    title = serializers.CharField()
    why = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    url = serializers.CharField()
    count = serializers.IntegerField()


class InboxView(APIView):
    """The caller's to-do items, computed from the current state (never stored)."""

    pagination_class = None

    @extend_schema(responses=InboxItemSerializer(many=True), operation_id="inbox_list")
    def get(self, request: Request) -> Response:
        items = inbox.items_for(request.user)
        return Response(InboxItemSerializer(items, many=True).data)
