"""The client's address, read the same way everywhere (sign-in lockouts, download records).

Behind the production proxy the address is in a header the proxy sets itself (nginx's
``X-Real-IP``, docs/deploy.md), never one a client could send through; the order of the
request's META keys to read is ``AXES_IPWARE_META_PRECEDENCE_ORDER`` (from
``AXES_CLIENT_IP_HEADER``), shared with django-axes so both record the same address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The first valid IP address among the configured META keys, else ``None``."""
    order = settings.AXES_IPWARE_META_PRECEDENCE_ORDER
    for key in order:
        value = (request.META.get(key) or "").split(",")[0].strip()
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return None
