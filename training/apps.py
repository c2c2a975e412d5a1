from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Courses, sessions, training records and requirements (培训)."""

    name = "training"
    verbose_name = _("Training")
