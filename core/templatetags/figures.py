"""``{% load figures %}``: every figure shown through :func:`core.numbers.format_figure`.

``{{ item.actual|figure:indicator.unit }}`` → "17 次", "85.5%", "¥12,345.00";
``{{ annual.score|figure:"score" }}`` → "90.00"; ``{{ credits|figure:"credits" }}`` → "40".
"""

from django import template

from core.numbers import format_figure

register = template.Library()


@register.filter
def figure(value, unit=""):
    return format_figure(value, unit)
