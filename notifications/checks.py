"""Start-up checks: the IM webhook posts only to a host the administrator allowed."""

from django.conf import settings
from django.core.checks import Error, register

from .channels.im import STYLES, url_problem


@register()
def webhook_allowed(app_configs, **kwargs):
    errors = []
    url = settings.NOTIFY_WEBHOOK_URL
    if url:
        problem = url_problem(url, settings.NOTIFY_WEBHOOK_ALLOWED_HOSTS)
        if problem:
            errors.append(
                Error(
                    problem,
                    hint="Add the webhook's host to NOTIFY_WEBHOOK_ALLOWED_HOSTS "
                    "(comma-separated), or unset NOTIFY_WEBHOOK_URL.",
                    id="notifications.E001",
                )
            )
    if settings.NOTIFY_WEBHOOK_STYLE not in STYLES:
        errors.append(
            Error(
                f"NOTIFY_WEBHOOK_STYLE must be one of {', '.join(STYLES)}.",
                id="notifications.E002",
            )
        )
    return errors
