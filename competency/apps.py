from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetencyConfig(AppConfig):
    """Competency models, requirement profiles and 360° assessments (素质模型)."""

    name = "competency"
    verbose_name = _("Competency")
