from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from org.models import Appointment
from org.scope import scope_by_staff

from ..models import Letter
from ..rendering import verify_url
from ..services import Meeting


class LetterSerializer(serializers.ModelSerializer):
    """API.md ``certification/letters/``: id, number, staff, kind, issued_at, sha256, revoked."""

    staff_name = serializers.CharField(source="staff.name", read_only=True)
    employee_no = serializers.CharField(source="staff.employee_no", read_only=True)
    level_code = serializers.CharField(source="level.code", read_only=True)
    revoked = serializers.BooleanField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "id",
            "number",
            "year",
            "seq",
            "staff",
            "staff_name",
            "employee_no",
            "kind",
            "language",
            "appointment",
            "level",
            "level_code",
            "issue_date",
            "issued_at",
            "sha256",
            "size",
            "revoked",
            "revoked_at",
            "revoke_reason",
            "job",
            "pdf_url",
            "verify_url",
        ]
        read_only_fields = fields

    def get_pdf_url(self, obj) -> str:
        return reverse("letter-pdf", args=[obj.pk])

    def get_verify_url(self, obj) -> str:
        return verify_url(obj.verification_code)


class VerificationSerializer(serializers.Serializer):
    """What the public verification shows (``letters.selectors.public_verification``): whether
    the letter stands, its number, dates and issuer, the holder's masked name."""

    number = serializers.CharField()
    valid = serializers.BooleanField()
    revoked = serializers.BooleanField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    issue_date = serializers.DateField()
    issuer = serializers.CharField()
    staff_name = serializers.CharField(help_text="First character and a star, e.g. 刘*.")
    term_start = serializers.DateField(allow_null=True)
    term_end = serializers.DateField(
        allow_null=True, help_text="Exclusive: the day after the term's last day."
    )
    term_last_day = serializers.DateField(
        allow_null=True, help_text="The term's last day, as the letter prints it."
    )
    sha256 = serializers.CharField()


@extend_schema_field(OpenApiTypes.INT)
class _ScopedAppointmentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return scope_by_staff(Appointment.objects.all(), request.user if request else None)


class _MeetingFields(serializers.Serializer):
    """The leadership group's meeting that decided (optional, both or neither): named in the
    letters' reference to the decision, "经公司认证领导小组2026年第3次会议研究决定"."""

    meeting_year = serializers.IntegerField(min_value=2000, max_value=2999, required=False)
    meeting_no = serializers.IntegerField(min_value=1, max_value=999, required=False)

    def validate(self, attrs):
        year, number = attrs.pop("meeting_year", None), attrs.pop("meeting_no", None)
        if (year is None) != (number is None):
            raise serializers.ValidationError(
                {
                    "meeting_no" if number is None else "meeting_year": [
                        _("Give both the year and the number of the meeting.")
                    ]
                }
            )
        attrs["meeting"] = Meeting(year, number) if year is not None else None
        return attrs


class IssueSerializer(_MeetingFields):
    appointment = _ScopedAppointmentField()
    kind = serializers.ChoiceField(
        choices=Letter.Kind.choices,
        required=False,
        help_text="Default: the kind the appointment's reason calls for (promotion → promotion).",
    )
    language = serializers.ChoiceField(
        choices=Letter.Language.choices, required=False, help_text="Default: LANGUAGE_CODE."
    )


class BatchIssueSerializer(_MeetingFields):
    appointments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        min_length=1,
        max_length=5000,
    )
    kind = serializers.ChoiceField(choices=Letter.Kind.choices, default=Letter.Kind.PROMOTION)

    def validate_appointments(self, value):
        ids = list(dict.fromkeys(value))
        found = set(Appointment.objects.filter(pk__in=ids).values_list("pk", flat=True))
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(
                f"Unknown appointments: {', '.join(map(str, missing[:20]))}"
            )
        return ids


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=False, trim_whitespace=True)
