"""Session lifetime and the account gate (forced password change, second factor)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core import clock
from core.errors import ErrorCode

STARTED_KEY = "accounts_started"
SEEN_KEY = "accounts_seen"
MUST_CHANGE_KEY = "accounts_must_change"
HAS_DEVICE_KEY = "accounts_has_device"
# The last-seen stamp is rewritten at most this often (seconds): one session write a minute,
# not one per request.
SEEN_GRANULARITY = 60


def stamp_session(session) -> None:
    now = int(clock.now().timestamp())
    session[STARTED_KEY] = now
    session[SEEN_KEY] = now


class SessionLifetimeMiddleware:
    """Signs a session out after SESSION_IDLE_TIMEOUT seconds without a request, and
    SESSION_ABSOLUTE_LIFETIME seconds after sign-in whatever the activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            session = request.session
            now = int(clock.now().timestamp())
            started = session.get(STARTED_KEY)
            seen = session.get(SEEN_KEY)
            if started is None or seen is None:
                stamp_session(session)
            elif (
                now - seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_LIFETIME
            ):
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(f"{reverse('login')}?next={quote(request.path)}")
            elif now - seen >= SEEN_GRANULARITY:
                session[SEEN_KEY] = now
        return self.get_response(request)


def _two_factor_paths() -> tuple[str, ...]:
    """What a session that still owes its second factor may open."""
    return (
        reverse("login"),
        reverse("logout"),
        reverse("accounts:two-factor-verify"),
        reverse("accounts:two-factor-enrol"),
        reverse("set_language"),
        f"/{settings.STATIC_URL.lstrip('/')}",
    )


def _password_change_paths() -> tuple[str, ...]:
    """What a session that owes a password change may open."""
    return (*_two_factor_paths(), reverse("accounts:password-change"))


class AccountGateMiddleware:
    """A signed-in session that still owes a second factor (its role requires one, or its owner
    turned it on) is sent to verify it — or to enrol a device first; one that owes a password
    change is sent to the change page. The API answers 403 with a code instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        from .services import totp_device_of, two_factor_required

        path = request.path
        owes_second_factor = (
            two_factor_required(user) or request.session.get(HAS_DEVICE_KEY)
        ) and not user.is_verified()
        if owes_second_factor and not path.startswith(_two_factor_paths()):
            if path.startswith("/api/"):
                return _refuse(
                    ErrorCode.TWO_FACTOR_REQUIRED,
                    _("Verify your second factor (authenticator code) first."),
                )
            target = (
                "accounts:two-factor-verify"
                if totp_device_of(user)
                else "accounts:two-factor-enrol"
            )
            return redirect(f"{reverse(target)}?next={quote(path)}")
        if request.session.get(MUST_CHANGE_KEY) and not path.startswith(_password_change_paths()):
            if path.startswith("/api/"):
                return _refuse(
                    ErrorCode.PASSWORD_CHANGE_REQUIRED,
                    _("Choose a new password before you continue."),
                )
            return redirect("accounts:password-change")
        return self.get_response(request)


def _refuse(code: ErrorCode, message: str) -> JsonResponse:
    return JsonResponse({"detail": message, "code": str(code)}, status=403)
