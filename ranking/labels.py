"""Audit verbs of this app, shown translated through :mod:`core.labels`."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "appeal": pgettext_lazy("audit action", "appealed"),
    "appeal_kept": pgettext_lazy("audit action", "appeal kept"),
    "apply": pgettext_lazy("audit action", "applied"),
    "assign_panel": pgettext_lazy("audit action", "panel assigned"),
    "citation_add": pgettext_lazy("audit action", "write-up added"),
    "citation_edit": pgettext_lazy("audit action", "write-up edited"),
    "citation_remove": pgettext_lazy("audit action", "write-up removed"),
    "object": pgettext_lazy("audit action", "objection filed"),
    "objection_upheld": pgettext_lazy("audit action", "objection upheld"),
    "photo_add": pgettext_lazy("audit action", "photo added"),
    "photo_remove": pgettext_lazy("audit action", "photo removed"),
    "photo_replace": pgettext_lazy("audit action", "photo replaced"),
    "propose": pgettext_lazy("audit action", "proposed"),
    "refuse": pgettext_lazy("audit action", "refused"),
    "rescore": pgettext_lazy("audit action", "rescored"),
    "supersede": pgettext_lazy("audit action", "superseded"),
}
