"""Platform middleware."""

import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

from core.client_ip import client_ip
from core.errors import ErrorCode

access_log = logging.getLogger("core.access")


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store`` (and ``private``) on every answer to a signed-in user and on
    every API answer: personal data — scores, letters, rankings — must not stay in a shared
    proxy or in the browser's cache after sign-out. Static files never reach this middleware
    (WhiteNoise answers them first, with long-lived caching of hashed names)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
            response["Cache-Control"] += ", private"
        return response


class AccessDenialLogMiddleware:
    """Every refusal is logged with who, what and from where (logger ``core.access``): a 401 or
    403 at WARNING, and a 404 answered to a signed-in user at INFO — an object outside the
    caller's scope answers 404, so a run of them is what probing ids looks like. Failed sign-ins
    and lockouts are logged by ``accounts`` (docs/security.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        user = getattr(request, "user", None)
        name = user.get_username() if user is not None and user.is_authenticated else ""
        if status in (401, 403) or (status == 404 and name):
            access_log.log(
                logging.WARNING if status != 404 else logging.INFO,
                "access %s: %s %s user=%s ip=%s",
                "refused" if status != 404 else "not found",
                request.method,
                request.path[:300],
                name or "-",
                client_ip(request) or "-",
                extra={"status_code": status},
            )
        return response


def _refusal(request, *, status: int, code: ErrorCode, message, template: str, **context):
    """A refusal answered before the view — and before the body is read: JSON for the API,
    the project's error page otherwise, in the language the request asks for (this runs ahead
    of ``LocaleMiddleware``)."""
    with translation.override(translation.get_language_from_request(request)):
        text = str(message() if callable(message) else message)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": text, "code": str(code)})
        else:
            response = HttpResponse(render_to_string(template, context, request=request))
    response.status_code = status
    # No "Connection: close" here: hop-by-hop headers are the server's business (PEP 3333;
    # Django's development server refuses them). gunicorn's sync workers close every
    # connection after its answer, and nginx refuses an oversized body itself.
    return response


class RequestSizeLimitMiddleware:
    """Refuse with 413 a request whose ``Content-Length`` exceeds ``REQUEST_MAX_BYTES``, before
    anything reads its body (Django would otherwise stream a 150 MB upload to a temporary file
    before a view refuses it). Runs first; gunicorn and nginx enforce the same limit in front.

    Also refuses with 400 a query string holding a NUL byte: no search or filter needs one,
    and PostgreSQL refuses it inside a query (a 500 otherwise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = int(settings.REQUEST_MAX_BYTES)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            request.upload_handlers = []  # nothing may read the body from here on
            return _refusal(
                request,
                status=413,
                code=ErrorCode.REQUEST_TOO_LARGE,
                message=lambda: (
                    gettext("What you sent is larger than %(size)s.")
                    % {"size": filesizeformat(limit)}
                ),
                template="413.html",
                max_bytes=limit,
            )
        if _has_nul(request):
            return _refusal(
                request,
                status=400,
                code=ErrorCode.INVALID,
                message=lambda: gettext("The address contains a character that is not allowed."),
                template="400.html",
            )
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )
