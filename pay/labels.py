"""Audit verbs of this app, shown translated through :mod:`core.labels`."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "compute": pgettext_lazy("audit action", "pay computed"),
    "pay_policy_set": pgettext_lazy("audit action", "pay policy set"),
    "pay_coefficients_set": pgettext_lazy("audit action", "performance coefficients set"),
    "pay_deferral_set": pgettext_lazy("audit action", "deferral rule set"),
    "pay_forfeit": pgettext_lazy("audit action", "deferred pay forfeited"),
}
