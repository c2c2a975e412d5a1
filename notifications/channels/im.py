"""An enterprise IM group robot: a webhook that posts a markdown message to a group chat
(WeCom 企业微信 or DingTalk 钉钉, ``NOTIFY_WEBHOOK_STYLE``), mentioning the recipient by name.

The webhook's host must be in ``NOTIFY_WEBHOOK_ALLOWED_HOSTS``: the product never posts to an
address an administrator did not allow (a system check refuses it at start-up, and
:func:`check_url` again at every send). Redirects are not followed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.labels import person_name

from . import Channel, DeliveryFailed
from .email import absolute

TIMEOUT_SECONDS = 5
STYLES = ("wecom", "dingtalk")


def url_problem(url: str, allowed_hosts: list[str]) -> str:
    """Why ``url`` may not be posted to ("" when it may)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return gettext("The webhook address must be an http(s) URL.")
    if parts.hostname.lower() not in {h.lower() for h in allowed_hosts}:
        return gettext("The webhook host %(host)s is not in NOTIFY_WEBHOOK_ALLOWED_HOSTS.") % {
            "host": parts.hostname
        }
    return ""


def payload(*, style: str, title: str, text: str) -> dict:
    if style == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


class WebhookChannel(Channel):
    code = "im"
    label = _("Enterprise IM")

    def available_for(self, user) -> bool:
        return bool(settings.NOTIFY_WEBHOOK_URL)

    def send(self, notification, user) -> None:
        url = settings.NOTIFY_WEBHOOK_URL
        if not url:
            raise DeliveryFailed(gettext("No IM webhook is configured."))
        problem = url_problem(url, settings.NOTIFY_WEBHOOK_ALLOWED_HOSTS)
        if problem:
            raise DeliveryFailed(problem)
        lines = [
            f"### {notification.subject}",
            gettext("To: %(name)s") % {"name": person_name(user)},
            "",
            notification.body,
        ]
        if notification.url:
            lines += ["", f"[{gettext('Open in Ladder')}]({absolute(notification.url)})"]
        body = payload(
            style=settings.NOTIFY_WEBHOOK_STYLE,
            title=notification.subject,
            text="\n".join(lines),
        )
        try:
            response = requests.post(url, json=body, timeout=TIMEOUT_SECONDS, allow_redirects=False)
        except requests.RequestException as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
        if not 200 <= response.status_code < 300:
            raise DeliveryFailed(f"HTTP {response.status_code}: {response.text[:500]}")
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        errcode = answer.get("errcode", 0) if isinstance(answer, dict) else 0
        if errcode != 0:
            raise DeliveryFailed(f"errcode {errcode}: {answer.get('errmsg', '')}")
