"""The home page as a browser shows it: the page, then each fragment its script loads into the
slots (``static/js/home-cards.js``)."""

from __future__ import annotations

import re

FRAGMENT = re.compile(r'data-home-fragment="([^"]+)"')


def home_page(client, **extra) -> str:
    """The home page's HTML followed by every fragment's, as ``client`` sees them."""
    response = client.get("/", **extra)
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    parts = [page]
    for url in FRAGMENT.findall(page):
        fragment = client.get(url, headers={"X-Fragment": "1"}, **extra)
        assert fragment.status_code == 200, (url, fragment.status_code)
        parts.append(fragment.content.decode())
    return "\n".join(parts)
