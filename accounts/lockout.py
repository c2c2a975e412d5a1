"""The answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): the API gets 429 JSON with a
code, the pages a translated page; both say when to try again."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import clock
from core.errors import ErrorCode

from .services import cooloff


def retry_at(request, credentials) -> dt.datetime:
    """When the lockout of this account + address ends."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    ip = getattr(request, "axes_ip_address", None)
    attempt = (
        AccessAttempt.objects.filter(username=username, ip_address=ip)
        .order_by("-attempt_time")
        .first()
    )
    since = attempt.attempt_time if attempt else clock.now()
    return since + cooloff()


def lockout_response(request, original_response=None, credentials=None):
    until = retry_at(request, credentials)
    when = formats.date_format(timezone.localtime(until), "Y-m-d H:i")
    message = _(
        "Too many failed sign-in attempts for this account from your address. "
        "Try again after %(time)s, or ask the certification office to unlock it."
    ) % {"time": when}
    seconds = max(int((until - clock.now()).total_seconds()), 1)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": message,
                "code": str(ErrorCode.LOCKED_OUT),
                "retry_after": until.isoformat(),
            },
            status=429,
        )
    else:
        response = render(
            request, "accounts/locked_out.html", {"message": message, "until": when}, status=429
        )
    response["Retry-After"] = str(seconds)
    return response
