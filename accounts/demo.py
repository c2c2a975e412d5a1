"""The accounts' part of ``seed_demo``: TOTP devices with fixed, documented keys for the demo
logins whose role requires two-factor authentication (README, "Demo"), so the demo and the
browser tests still sign in. Compute the current code with ``manage.py demo_totp <username>``
or ``oathtool --totp -b <key>``."""

from __future__ import annotations

import base64
import datetime as dt

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

# username → base32 key (public: demo only; seed_demo refuses to run in production).
DEMO_TOTP_KEYS = {
    "hr": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    "leader": "KRSXG5CTMVZXEZLUKRSXG5CTMVZXEZLU",
    "admin": "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK",
}


def hex_key(base32_key: str) -> str:
    return base64.b32decode(base32_key).hex()


def build(*, today: dt.date, stdout=None) -> str:
    users = get_user_model().objects.filter(username__in=DEMO_TOTP_KEYS)
    for user in users:
        TOTPDevice.objects.update_or_create(
            user=user,
            name="demo",
            defaults={"key": hex_key(DEMO_TOTP_KEYS[user.username]), "confirmed": True},
        )
    return (
        f"Two-factor devices for the demo logins: {', '.join(sorted(u.username for u in users))}."
    )


def epilogue() -> str:
    return (
        "Two-factor authentication: hr, leader and admin also enter a code — "
        "`manage.py demo_totp <username>` prints it (keys in docs/security.md)."
    )
