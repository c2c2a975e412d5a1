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
def name_people(*groups):
    """``{% name_people members other_users %}``: one query for the names of a whole list."""
    users: list = []
    for group in groups:
        if group is None:
            continue
        users.extend(
            group if isinstance(group, list | tuple) or hasattr(group, "__iter__") else [group]
        )
    labels.name_people(users)
    return ""


@register.filter
def person(user):
    """``{{ user|person }}``: the person's name, never the username."""
    return labels.person_name(user)
