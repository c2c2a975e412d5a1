"""Writes on accounts: forced password change, office resets, lockouts, revocation, two-factor
devices. Each is audited (core.audit) in its transaction."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as CACHED_SESSION
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from core import audit, clock
from core.roles import has_role

from .models import AccountSecurity

logger = logging.getLogger("accounts")

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"


# --- reads used by the middleware and the views -----------------------------------------


def two_factor_required(user) -> bool:
    """Whether ``user`` must pass a second factor (TWO_FACTOR_REQUIRED and one of
    TWO_FACTOR_ROLES)."""
    if not settings.TWO_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return has_role(user, *settings.TWO_FACTOR_ROLES)


def totp_device_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def must_change_password(user) -> bool:
    return AccountSecurity.objects.filter(user=user, must_change_password=True).exists()


def cooloff() -> dt.timedelta:
    return settings.AXES_COOLOFF_TIME


def locked_attempts():
    """Lockouts still in force (failures ≥ AXES_FAILURE_LIMIT within the cool-off)."""
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gt=clock.now() - cooloff(),
    ).order_by("-attempt_time")


# --- passwords ------------------------------------------------------------------------------


@transaction.atomic
def account_require_password_change(*, actor, user, reason: str = "") -> AccountSecurity:
    """Flag ``user`` to choose a new password at the next sign-in (accounts the office
    creates or resets)."""
    security, _ = AccountSecurity.objects.select_for_update().get_or_create(user=user)
    security.must_change_password = True
    security.save(update_fields=["must_change_password"])
    audit.record(actor=actor, obj=user, action="password_change_required", reason=reason)
    return security


@transaction.atomic
def account_password_reset(*, actor, user, reason: str = "") -> str:
    """The office's reset: a random temporary password, a forced change at the next sign-in,
    every session and API token of the account revoked. Returns the temporary password (to
    hand over once; it is not stored in clear)."""
    temporary = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    user.set_password(temporary)
    user.save(update_fields=["password"])
    account_require_password_change(actor=actor, user=user, reason=reason)
    tokens_revoke(user=user)
    sessions_revoke(user=user)
    audit.record(actor=actor, obj=user, action="password_reset", reason=reason)
    logger.info("password of %s reset by %s", user.get_username(), getattr(actor, "username", "-"))
    return temporary


@transaction.atomic
def account_password_changed(*, user) -> None:
    """The owner chose a new password: the forced change is done."""
    security, _ = AccountSecurity.objects.get_or_create(user=user)
    security.must_change_password = False
    security.password_changed_at = clock.now()
    security.save(update_fields=["must_change_password", "password_changed_at"])
    audit.record(actor=user, obj=user, action="password_changed")


# --- revocation -----------------------------------------------------------------------------


def tokens_revoke(*, user) -> int:
    """Delete every API token of ``user``; returns how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def sessions_revoke(*, user) -> int:
    """Delete every live session of ``user``, from the database and from the sessions' cache
    (``SESSION_STORE=cache``; with the database alone, that cache holds none of them).
    Sessions are not indexed by user, so this decodes the live ones — a rare,
    office-initiated operation."""
    user_id = str(user.pk)
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=clock.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == user_id
    ]
    Session.objects.filter(pk__in=doomed).delete()
    caches[settings.SESSION_CACHE_ALIAS].delete_many([CACHED_SESSION + key for key in doomed])
    return len(doomed)


@transaction.atomic
def account_deactivate(*, actor, user, reason: str = "") -> None:
    """Close a login for good (an exit): inactive, no usable password, no token, no session.
    Every record the person left stays."""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])
    tokens = tokens_revoke(user=user)
    sessions = sessions_revoke(user=user)
    audit.record(
        actor=actor,
        obj=user,
        action="deactivate",
        reason=reason,
        changes={
            "is_active": [True, False],
            "tokens_revoked": tokens,
            "sessions_revoked": sessions,
        },
    )
    logger.info("login %s deactivated (%s tokens, %s sessions)", user, tokens, sessions)


# --- lockouts -------------------------------------------------------------------------------


@transaction.atomic
def lockout_clear(*, actor, attempt: AccessAttempt, reason: str = "") -> None:
    """Unlock one account + address before its cool-off ends (the office's page)."""
    audit.record(
        actor=actor,
        obj=attempt,
        action="unlock",
        reason=reason,
        changes={"username": attempt.username, "ip_address": attempt.ip_address},
    )
    logger.info("lockout of %s from %s cleared by %s", attempt.username, attempt.ip_address, actor)
    attempt.delete()


# --- two-factor devices ---------------------------------------------------------------------


def totp_device_start(*, user) -> TOTPDevice:
    """The unconfirmed TOTP device of an enrolment in progress (one per user)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user, device: TOTPDevice) -> list[str]:
    """Confirm the enrolled device (its first code was right) and issue fresh recovery codes;
    returns the codes, shown once."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user=user)
    audit.record(actor=user, obj=user, action="two_factor_enabled")
    return codes


def recovery_codes_issue(*, user) -> list[str]:
    """Replace the recovery codes of ``user`` with RECOVERY_CODE_COUNT new single-use ones."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_disable(*, actor, user) -> None:
    """Remove every second factor of ``user`` (only where it is optional)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(actor=actor, obj=user, action="two_factor_disabled")


def user_by_username(username: str):
    return get_user_model().objects.filter(username=username).first()
