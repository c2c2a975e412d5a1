from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    """No models: the panels and sheets belong to the apps whose subjects they score."""

    name = "committee"
    verbose_name = _("Review committee")
