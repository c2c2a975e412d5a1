"""Audit verbs of this app, shown translated through :mod:`core.labels`."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "exit": pgettext_lazy("audit action", "left the company"),
    "appoint": pgettext_lazy("audit action", "appointed"),
}


def staff_names(user_ids: list[int]) -> dict[int, str]:
    """People by name, not by account: ``{user id: staff name}`` in one query."""
    from .models import Staff

    return dict(Staff.objects.filter(user_id__in=user_ids).values_list("user_id", "name"))
