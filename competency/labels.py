"""Audit verbs of this app, shown translated through :mod:`core.labels`."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "invite_rater": pgettext_lazy("audit action", "rater invited"),
    "rate": pgettext_lazy("audit action", "rated"),
    "requirements": pgettext_lazy("audit action", "requirements set"),
}
