"""Audit verbs of this app, shown translated through :mod:`core.labels`."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "job": pgettext_lazy("audit action", "job"),
    "start": pgettext_lazy("audit action", "started"),
    "resume": pgettext_lazy("audit action", "resumed"),
}
