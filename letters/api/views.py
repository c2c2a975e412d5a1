"""``/api/v1/certification/letters/`` (API.md). Thin: parse, call a selector or service."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api.permissions import OfficeWritesOthersRead
from core.downloads import Kind as DownloadKind
from core.downloads import download_record
from jobs.api.serializers import JobSerializer

from .. import selectors, services
from . import filters, serializers


class LetterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Issued letters, scoped: own for staff, the subtree for a manager, all for the office."""

    serializer_class = serializers.LetterSerializer
    permission_classes = [OfficeWritesOthersRead]
    filterset_class = filters.LetterFilter
    search_fields = ["number", "staff__name", "staff__employee_no"]
    ordering_fields = ["issued_at", "year", "seq", "staff__employee_no"]
    ordering = ["-year", "-seq"]

    def get_queryset(self):
        return selectors.letter_list(user=self.request.user)

    @extend_schema(request=serializers.IssueSerializer, responses=serializers.LetterSerializer)
    def create(self, request, *args, **kwargs):
        """Issue one letter now (HR). 409 if the appointment already has a live one."""
        data = serializers.IssueSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        letter = services.letter_issue(actor=request.user, **data.validated_data)
        letter = self.get_queryset().get(pk=letter.pk)
        return Response(serializers.LetterSerializer(letter).data, status=201)

    @extend_schema(request=serializers.BatchIssueSerializer, responses={202: JobSerializer})
    @action(detail=False, methods=["post"], url_path="issue-batch")
    def issue_batch(self, request):
        """Issue letters for many appointments as a background job; follow it at ``jobs/{id}/``."""
        data = serializers.BatchIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.letters_issue_job(
            actor=request.user,
            appointment_ids=data.validated_data["appointments"],
            kind=data.validated_data["kind"],
            meeting=data.validated_data["meeting"],
        )
        return Response(JobSerializer(job).data, status=202)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The stored PDF, byte for byte as issued (also after revocation)."""
        letter = self.get_object()
        response = HttpResponse(selectors.read_pdf(letter=letter), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="letter-{letter.pk}.pdf"'
        response["ETag"] = f'"{letter.sha256}"'
        response["X-Content-SHA256"] = letter.sha256
        download_record(request=request, kind=DownloadKind.LETTER, obj=letter)
        return response

    @extend_schema(request=serializers.RevokeSerializer, responses=serializers.LetterSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke with a reason (HR); 409 if already revoked. The PDF is kept."""
        letter = self.get_object()
        data = serializers.RevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        letter = services.letter_revoke(
            actor=request.user, letter=letter, reason=data.validated_data["reason"]
        )
        return Response(serializers.LetterSerializer(self.get_queryset().get(pk=letter.pk)).data)

    @extend_schema(responses=serializers.VerificationSerializer, auth=[])
    @action(
        detail=False,
        methods=["get"],
        url_path=r"verify/(?P<code>[A-Za-z0-9_-]{1,32})",
        permission_classes=[AllowAny],
        authentication_classes=[],
        filter_backends=[],
        pagination_class=None,
    )
    def verify(self, request, code=None):
        """Public: the facts of the letter with this verification code, valid or revoked."""
        letter = selectors.letter_by_code(code=code)
        if letter is None:
            raise Http404
        data = selectors.public_verification(letter=letter)
        return Response(serializers.VerificationSerializer(data).data)
