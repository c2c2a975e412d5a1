"""Audit verbs of this app, shown translated through :mod:`core.labels`."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "choose": pgettext_lazy("audit action", "programme chosen"),
    "enrol": pgettext_lazy("audit action", "enrolled"),
    "grant": pgettext_lazy("audit action", "granted"),
    "results": pgettext_lazy("audit action", "results recorded"),
    "use": pgettext_lazy("audit action", "used"),
}
