"""``{% load terms %}``: ``{{ appointment.end|last_day|date:"Y-m-d" }}`` (see :mod:`core.terms`)."""

from django import template

from core import terms

register = template.Library()


@register.filter
def last_day(value):
    """The last day of a term from its stored exclusive end (a date or an ISO string)."""
    return terms.last_day(value)
