"""``/api/v1/jobs/``: background jobs with progress (read-only; ``resume`` action)."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from . import serializers


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """Jobs: the office sees all of them, anyone else the jobs they started (404 otherwise)."""

    serializer_class = serializers.JobSerializer
    filterset_fields = ["kind", "status"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.job_list(user=self.request.user)

    @extend_schema(request=None, responses=serializers.JobSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Queue again what a stopped or partly failed job has not done (409 once done)."""
        job = services.job_resume(actor=request.user, job=self.get_object())
        return Response(serializers.JobSerializer(job).data, status=202)
