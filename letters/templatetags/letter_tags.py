import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import dateformat
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.filter
def letter_date(value) -> str:
    """An ISO date as printed in a letter: ``2026年1月1日`` in Chinese, ``1 January 2026``."""
    if not value:
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if (get_language() or "").startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return dateformat.format(day, "j F Y")


@register.filter
def money(value) -> str:
    """``2500`` → ``2,500.00``."""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def css_string(value) -> str:
    """``value`` escaped for a double-quoted CSS string (``content: "…"`` in a ``<style>``).

    HTML escaping does not apply inside ``<style>``; quotes, backslashes, ``<``/``>`` and
    control characters become CSS hex escapes instead, so no text can close the string or the
    style element.
    """
    out = []
    for char in str(value):
        if char in "\\\"<>&'" or ord(char) < 32 or ord(char) == 127:
            out.append(f"\\{ord(char):X} ")
        else:
            out.append(char)
    return mark_safe("".join(out))  # noqa: S308 - every special character is escaped above
