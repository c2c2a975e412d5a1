"""Audit verbs of this app, shown translated through :mod:`core.labels`."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "kpi.actual.correct": pgettext_lazy("audit action", "KPI actual corrected"),
    "kpi.actual.enter": pgettext_lazy("audit action", "KPI actual entered"),
    "kpi.actuals.import": pgettext_lazy("audit action", "KPI actuals imported"),
    "kpi.indicator": pgettext_lazy("audit action", "KPI indicator"),
    "kpi.period.create": pgettext_lazy("audit action", "KPI period created"),
    "kpi.period.lock": pgettext_lazy("audit action", "KPI period locked"),
    "kpi.period.stage": pgettext_lazy("audit action", "KPI period moved to the next stage"),
    "kpi.period.publish_targets": pgettext_lazy("audit action", "KPI targets published"),
    "kpi.period.schedule": pgettext_lazy("audit action", "KPI stage dates changed"),
    "kpi.appraisal.acknowledge_targets": pgettext_lazy("audit action", "KPI targets acknowledged"),
    "kpi.appraisal.self": pgettext_lazy("audit action", "Self-appraisal written"),
    "kpi.appraisal.review": pgettext_lazy("audit action", "Review conversation recorded"),
    "kpi.appraisal.respond": pgettext_lazy("audit action", "Review answered"),
    "kpi.policy": pgettext_lazy("audit action", "KPI policy"),
    "kpi.profile": pgettext_lazy("audit action", "KPI assessment profile"),
    "kpi.profile.choose": pgettext_lazy("audit action", "KPI assessment profile chosen"),
    "kpi.profile.approve": pgettext_lazy("audit action", "KPI assessment profile approved"),
    "kpi.profile.refuse": pgettext_lazy("audit action", "KPI assessment profile refused"),
    "kpi.rating.assign": pgettext_lazy("audit action", "KPI rater assigned"),
    "kpi.rating.client": pgettext_lazy("audit action", "KPI client rating entered"),
    "kpi.rating.submit": pgettext_lazy("audit action", "KPI rating given"),
    "kpi.scheme": pgettext_lazy("audit action", "KPI scheme"),
    "kpi.target.set": pgettext_lazy("audit action", "KPI target set"),
}
