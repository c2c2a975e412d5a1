"""``/api/v1/letters/templates/``: the versions of the HR-editable letter wording (office only).

``POST`` saves the draft of a kind and language (creating the next version, or changing the
draft there is); ``PATCH`` changes a draft; ``publish`` publishes it; ``preview`` renders a made-up
letter with the wording sent, as PDF. A published version is never changed (409)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import OfficeOnly
from core.errors import InvalidTransition

from .. import template_services
from ..models import LetterTemplate
from .template_serializers import LetterTemplatePreviewSerializer, LetterTemplateSerializer


class LetterTemplateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = LetterTemplateSerializer
    permission_classes = [OfficeOnly]
    filterset_fields = ["kind", "language", "state"]
    ordering_fields = ["kind", "language", "version"]
    ordering = ["kind", "language", "-version"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return template_services.template_list(user=self.request.user)

    def _answer(self, template: LetterTemplate, status: int = 200) -> Response:
        template = self.get_queryset().get(pk=template.pk)
        return Response(LetterTemplateSerializer(template).data, status=status)

    def create(self, request, *args, **kwargs):
        """Save the draft of ``kind`` in ``language``: 201 with the draft (a new version when
        there was none); 400 with the errors per part for unknown fields or template syntax."""
        data = LetterTemplateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        template = template_services.template_draft_save(
            actor=request.user,
            kind=values["kind"],
            language=values["language"],
            parts={p: values.get(p, "") for p in LetterTemplate.PARTS},
        )
        return self._answer(template, status=201)

    def update(self, request, *args, **kwargs):
        """Change a draft's wording (``kind`` and ``language`` stay); 409 for a published
        version."""
        template = self.get_object()
        if not template.is_draft:
            raise InvalidTransition(template_services.published_is_immutable())
        data = LetterTemplateSerializer(template, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        parts = {p: data.validated_data.get(p, getattr(template, p)) for p in template.PARTS}
        template = template_services.template_draft_save(
            actor=request.user, kind=template.kind, language=template.language, parts=parts
        )
        return self._answer(template)

    @extend_schema(request=None, responses=LetterTemplateSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish a draft: new letters use it; letters already issued do not change. 409 when
        the version is not a draft."""
        template = template_services.template_publish(
            actor=request.user, template=self.get_object()
        )
        return self._answer(template)

    @extend_schema(
        request=LetterTemplatePreviewSerializer,
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=False, methods=["post"])
    def preview(self, request):
        """The PDF of a made-up letter of ``kind`` in ``language`` written with the wording sent
        (nothing is stored); 400 with the errors per part when the wording is not valid."""
        data = LetterTemplatePreviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        pdf = template_services.template_preview_pdf(
            actor=request.user,
            kind=values["kind"],
            language=values["language"],
            parts={p: values.get(p, "") for p in LetterTemplate.PARTS},
        )
        return HttpResponse(pdf, content_type="application/pdf")
