"""People and units in templates.

- ``{% staff_link staff %}``: the person's name, linked to their employee file (员工档案) when
  the reader may see it (``org.scope.staff_visibility``: decided in memory, no query per row),
  plain text otherwise; ``tab="kpi"`` opens the file at that tab; ``"—"`` for nobody.
- ``{% unit_tree_select unit_filter %}``: the org-unit tree filter (``org.filters``).
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..filters import tree_label
from ..scope import staff_visibility

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_link(context, staff, tab: str = "", text: str = ""):
    if staff is None:
        return "—"
    name = text or staff.name
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not staff_visibility(user)(staff):
        return format_html('<span class="staff-name">{}</span>', name)
    url = reverse("org:staff-detail", args=[staff.pk])
    if tab:
        url += f"#file-{tab}"
    return format_html('<a class="staff-name" href="{}" data-staff-link>{}</a>', url, name)


@register.inclusion_tag("org/partials/unit_tree_select.html")
def unit_tree_select(units, value="", param: str = "unit", label=None):
    """The tree select over ``units`` (in path order), ``value`` chosen."""
    units = list(units)
    top = min((u.depth for u in units), default=0)
    return {
        "options": [(u.pk, tree_label(u, top_depth=top), u.display_path) for u in units],
        "value": str(value or ""),
        "param": param,
        "label": label,
    }
