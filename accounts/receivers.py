"""Sign-in signal receivers: every failure and lockout is logged and audited; a sign-in
stamps the session for the lifetime middleware and remembers a pending password change."""

from __future__ import annotations

import logging

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from core import audit

from . import middleware, services

logger = logging.getLogger("accounts")


def _ip(request) -> str:
    if request is None:
        return ""
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")


def _audit_target(username: str, ip: str):
    """The user when the name exists, otherwise the attempt record axes keeps."""
    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is not None:
        return user
    return AccessAttempt.objects.filter(username=username, ip_address=ip).first()


@receiver(user_login_failed, dispatch_uid="accounts.login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    ip = _ip(request)
    locked = bool(getattr(request, "axes_locked_out", False))
    path = getattr(request, "path", "")
    logger.warning(
        "sign-in failed: username=%r ip=%s path=%s locked=%s", username, ip, path, locked
    )
    target = _audit_target(username, ip)
    if target is not None:
        audit.record(
            actor=None,
            obj=target,
            action="login_failed",
            changes={"username": username, "ip_address": ip, "path": path, "locked": locked},
        )


@receiver(user_locked_out, dispatch_uid="accounts.locked_out")
def locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    logger.warning("account locked out: username=%r ip=%s", username, ip_address)
    target = _audit_target(username or "", ip_address or "")
    if target is not None:
        audit.record(
            actor=None,
            obj=target,
            action="locked_out",
            changes={"username": username, "ip_address": ip_address},
        )


@receiver(user_logged_in, dispatch_uid="accounts.logged_in")
def logged_in(sender, request=None, user=None, **kwargs):
    session = getattr(request, "session", None)
    if session is None or user is None:
        return
    middleware.stamp_session(session)
    if services.must_change_password(user):
        session[middleware.MUST_CHANGE_KEY] = True
    if services.totp_device_of(user) is not None:
        # an optional second factor its owner turned on is asked for as well
        session[middleware.HAS_DEVICE_KEY] = True
