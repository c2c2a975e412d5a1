"""Audit verbs of this app, shown translated through :mod:`core.labels`."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "reappointment": pgettext_lazy("audit action", "re-appointment"),
    "overdue": pgettext_lazy("audit action", "overdue"),
    "review_open": pgettext_lazy("audit action", "review opened"),
}
