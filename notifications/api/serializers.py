from django.conf import settings
from rest_framework import serializers

from ..models import Delivery, Notification, NotificationSettings


class AttachmentSerializer(serializers.Serializer):
    filename = serializers.CharField()
    content_type = serializers.CharField()


class NotificationSerializer(serializers.ModelSerializer):
    attachments = serializers.SerializerMethodField()
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "event",
            "subject",
            "body",
            "url",
            "language",
            "attachments",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_attachments(self, obj) -> list[dict]:
        # The names and types; the content comes with the e-mail.
        return AttachmentSerializer(obj.attachments or [], many=True).data

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class NotificationSettingsSerializer(serializers.ModelSerializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    muted_events = serializers.ListField(
        child=serializers.CharField(max_length=80),
        help_text="Event codes not sent by e-mail or IM (they stay in the product); "
        "an unknown code is refused.",
    )

    class Meta:
        model = NotificationSettings
        fields = ["language", "email_enabled", "im_enabled", "digest", "muted_events"]


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="notification.event", read_only=True)
    subject = serializers.CharField(source="notification.subject", read_only=True)
    recipient = serializers.IntegerField(source="notification.recipient_id", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "notification",
            "event",
            "subject",
            "recipient",
            "channel",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "sent_at",
            "created_at",
        ]
        read_only_fields = fields
