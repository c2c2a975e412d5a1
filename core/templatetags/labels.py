"""``{% load labels %}``: audit events and codes shown through :mod:`core.labels`."""

from django import template

from core import labels

register = template.Library()


@register.simple_tag
def audit_rows(events):
    """``{% audit_rows history as rows %}``: translated verbs and states, actors by name."""
    return labels.audit_rows(events)


@register.filter
def action_label(code):
    return labels.action_label(code)


@register.simple_tag
def name_people(users, attr=""):
    """``{% name_people members %}`` or ``{% name_people rows "application.override_by" %}``: one
    query for the names of a whole list, before a loop shows them with ``|person``."""
    if users is None:
        return ""
    items = list(users) if hasattr(users, "__iter__") else [users]
    for name in attr.split(".") if attr else []:
        items = [getattr(item, name, None) for item in items]
    labels.name_people(items)
    return ""


@register.filter
def person(user):
    """``{{ user|person }}``: the person's name, never the username."""
    return labels.person_name(user)
