from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    """Promotion certification, committees, letters and re-certification (岗位认证)."""

    name = "certification"
    verbose_name = _("Certification")
