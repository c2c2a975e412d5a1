"""Audit verbs of this app, shown translated through :mod:`core.labels`."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "letter": pgettext_lazy("audit action", "letter"),
    "issue": pgettext_lazy("audit action", "issued"),
    "revoke": pgettext_lazy("audit action", "revoked"),
    "letter_seal": pgettext_lazy("audit action", "electronic seal"),
    "upload": pgettext_lazy("audit action", "uploaded"),
    "letter_template": pgettext_lazy("audit action", "letter template"),
    "supersede": pgettext_lazy("audit action", "superseded"),
}
