from rest_framework import serializers

from ..models import Appointment, Level, OrgUnit, Staff, Track


class OrgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "name_en", "parent", "path", "depth"]
        read_only_fields = ["path", "depth"]


class TrackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = ["id", "code", "name", "name_en"]


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = [
            "id",
            "track",
            "code",
            "name",
            "name_en",
            "order",
            "term_years",
            "allowance",
            "training_package_value",
            "honorary_title",
            "honorary_title_en",
            "office_entitlement",
        ]


class StaffSerializer(serializers.ModelSerializer):
    """Output shape of a staff member (API.md, ``org/staff/``)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    unit_path = serializers.CharField(
        source="unit.display_path",
        read_only=True,
        help_text="The unit's full name in the reader's language: 广州分公司 / 大客户部.",
    )
    manager_name = serializers.CharField(source="manager.name", read_only=True, default=None)
    level_code = serializers.CharField(source="level.code", read_only=True, default=None)
    username = serializers.CharField(source="user.username", read_only=True, default=None)

    class Meta:
        model = Staff
        fields = [
            "id",
            "employee_no",
            "name",
            "unit",
            "unit_name",
            "unit_path",
            "manager",
            "manager_name",
            "track",
            "level",
            "level_code",
            "hire_date",
            "level_since",
            "status",
            "exit_date",
            "username",
        ]
        read_only_fields = fields


class StaffExitSerializer(serializers.Serializer):
    """``POST org/staff/{id}/exit/``: the exit (离职) date and reason."""

    exit_date = serializers.DateField()
    reason = serializers.CharField(max_length=500)


class StaffCreateSerializer(serializers.Serializer):
    employee_no = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=100)
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    track = serializers.PrimaryKeyRelatedField(queryset=Track.objects.all())
    hire_date = serializers.DateField()
    manager = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.all(), required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=Staff.Status.choices, default=Staff.Status.ACTIVE)
    level = serializers.PrimaryKeyRelatedField(
        queryset=Level.objects.all(), required=False, allow_null=True
    )
    level_since = serializers.DateField(required=False, allow_null=True)

    def validate_employee_no(self, value):
        if Staff.objects.filter(employee_no=value).exists():
            raise serializers.ValidationError("staff with this employee number already exists.")
        return value


class StaffUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False)
    track = serializers.PrimaryKeyRelatedField(queryset=Track.objects.all(), required=False)
    hire_date = serializers.DateField(required=False)
    manager = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.all(), required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=Staff.Status.choices, required=False)


class AppointmentSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    level_code = serializers.CharField(source="level.code", read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    letter = serializers.SerializerMethodField(
        help_text="Id of the appointment's latest valid letter (certification/letters/), or null."
    )

    class Meta:
        model = Appointment
        fields = [
            "id",
            "staff",
            "staff_name",
            "level",
            "level_code",
            "start",
            "end",
            "reason",
            "decision",
            "closed_on",
            "is_open",
            "letter",
        ]
        read_only_fields = fields

    def get_letter(self, obj) -> int | None:
        # Annotated by ``org.selectors.appointment_list`` (a subquery), never a query per row.
        return getattr(obj, "letter_id", None)
