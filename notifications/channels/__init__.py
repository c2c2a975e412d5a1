"""The ways a notification leaves the product, behind one interface: each :class:`Channel`
has a ``code`` (stored on :class:`~notifications.models.Delivery`), a ``label`` for the
preferences page, says whether it can reach a person (``available_for``) and ``send``\\ s one
message, raising :class:`DeliveryFailed` when it could not.

The in-app list is not a channel: every notification is kept there whatever the preferences.
"""

from __future__ import annotations

from django.utils.functional import Promise


class DeliveryFailed(Exception):
    """A channel could not deliver a message; the text is kept on the delivery."""


class Channel:
    code: str = ""
    label: str | Promise = ""

    def available_for(self, user) -> bool:
        """Whether this channel can reach ``user`` at all (an address, a configured robot)."""
        raise NotImplementedError

    def send(self, notification, user) -> None:
        """Deliver ``notification`` (rendered in ``user``'s language) to ``user``; raise
        :class:`DeliveryFailed` on any failure."""
        raise NotImplementedError


CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> None:
    CHANNELS[channel.code] = channel


def get(code: str) -> Channel:
    return CHANNELS[code]


def all_channels() -> list[Channel]:
    return list(CHANNELS.values())


def _register_builtin() -> None:
    from .email import EmailChannel
    from .im import WebhookChannel

    register(EmailChannel())
    register(WebhookChannel())


_register_builtin()
