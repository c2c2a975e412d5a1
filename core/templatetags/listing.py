"""``{% sort_header listing "key" label %}``: a table header that sorts the list (core.listing)."""

from django import template

register = template.Library()


@register.inclusion_tag("partials/sort_header.html")
def sort_header(listing, key: str, label, css: str = ""):
    return {
        "url": listing.sort_url(key),
        "direction": listing.direction(key),
        "label": label,
        "css": css,
    }
