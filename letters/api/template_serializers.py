from rest_framework import serializers

from .. import wording
from ..models import Letter, LetterTemplate


class LetterTemplateSerializer(serializers.ModelSerializer):
    """A version of a letter template; ``kind`` and ``language`` name the wording it is for."""

    kind = serializers.ChoiceField(choices=Letter.Kind.choices)
    language = serializers.ChoiceField(choices=Letter.Language.choices)

    class Meta:
        model = LetterTemplate
        fields = [
            "id",
            "kind",
            "language",
            "version",
            "state",
            "title",
            "salutation",
            "body",
            "closing",
            "cc",
            "created_by",
            "created_at",
            "updated_at",
            "published_by",
            "published_at",
            "superseded_at",
        ]
        read_only_fields = [
            "version",
            "state",
            "created_by",
            "created_at",
            "updated_at",
            "published_by",
            "published_at",
            "superseded_at",
        ]
        extra_kwargs = {
            "salutation": {"allow_blank": True, "required": False},
            "body": {"allow_blank": True, "required": False},
            "closing": {"allow_blank": True, "required": False},
            "cc": {"allow_blank": True, "required": False},
        }

    def validate(self, attrs):
        kind = attrs.get("kind") or getattr(self.instance, "kind", "")
        parts = {p: attrs.get(p, getattr(self.instance, p, "")) for p in LetterTemplate.PARTS}
        errors = wording.check(kind, parts)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class LetterTemplatePreviewSerializer(LetterTemplateSerializer):
    class Meta(LetterTemplateSerializer.Meta):
        fields = ["kind", "language", *LetterTemplate.PARTS]
        read_only_fields: list[str] = []
