from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    """KPI indicators, schemes, periods, actuals and scores (关键绩效指标)."""

    name = "kpi"
    verbose_name = _("KPI")
