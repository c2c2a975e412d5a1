"""Audit verbs of this app, shown translated through :mod:`core.labels`."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "add_material": pgettext_lazy("audit action", "material added"),
    "back_to_review": pgettext_lazy("audit action", "back to review"),
    "decide_tie": pgettext_lazy("audit action", "tie decided"),
    "declare": pgettext_lazy("audit action", "declared"),
    "dismiss": pgettext_lazy("audit action", "objection dismissed"),
    "file": pgettext_lazy("audit action", "objection filed"),
    "qualify_override": pgettext_lazy("audit action", "qualified by exception"),
    "reject_on_objection": pgettext_lazy("audit action", "rejected on objection"),
    "score": pgettext_lazy("audit action", "scored"),
    "set_dimension": pgettext_lazy("audit action", "dimension set"),
    "start_qualification": pgettext_lazy("audit action", "qualification started"),
    "start_review": pgettext_lazy("audit action", "review started"),
    "uphold": pgettext_lazy("audit action", "objection upheld"),
    "qualify": pgettext_lazy("audit action", "qualified"),
    "schedule_defence": pgettext_lazy("audit action", "defence scheduled"),
    "move_defence": pgettext_lazy("audit action", "defence moved"),
    "leadership_approve": pgettext_lazy("audit action", "approved by the leadership group"),
    "leadership_return": pgettext_lazy("audit action", "returned by the leadership group"),
}
