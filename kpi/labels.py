"""Audit verbs of this app, shown translated through :mod:`core.labels`."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "kpi.actual.correct": pgettext_lazy("audit action", "KPI actual corrected"),
    "kpi.actual.enter": pgettext_lazy("audit action", "KPI actual entered"),
    "kpi.actuals.import": pgettext_lazy("audit action", "KPI actuals imported"),
    "kpi.indicator": pgettext_lazy("audit action", "KPI indicator"),
    "kpi.period.create": pgettext_lazy("audit action", "KPI period created"),
    "kpi.period.lock": pgettext_lazy("audit action", "KPI period locked"),
    "kpi.policy": pgettext_lazy("audit action", "KPI policy"),
    "kpi.scheme": pgettext_lazy("audit action", "KPI scheme"),
    "kpi.target.set": pgettext_lazy("audit action", "KPI target set"),
}
