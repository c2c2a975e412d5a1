from rest_framework import serializers

from ..models import Job


class JobSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(read_only=True, help_text="Percent of items processed.")
    state = serializers.CharField(
        read_only=True, help_text="The status as shown: a job whose work has begun is running."
    )
    state_label = serializers.CharField(read_only=True)
    errors = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "total",
            "done",
            "failed",
            "skipped",
            "progress",
            "state",
            "state_label",
            "errors",
            "error",
            "result",
            "result_url",
            "skipped_url",
            "url",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_errors(self, obj) -> list[dict]:
        return list(obj.result.get("errors", [])) if isinstance(obj.result, dict) else []
