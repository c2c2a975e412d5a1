from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Messages to people when something concerns them: in the product, by e-mail and by an
    enterprise IM webhook, in the recipient's language, sent after commit by the worker."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from core.labels import register_actions
        from core.navigation import NavItem, register
        from core.roles import Role

        from . import checks  # noqa: F401 — registers the system checks
        from .labels import ACTIONS

        register_actions(ACTIONS)
        register(
            NavItem(
                _("Notifications"),
                "notifications:list",
                badge="/api/v1/notifications/?unread=true&page_size=1",
                icon="notifications/bell.svg",
            )
        )
        # The settings are linked from the notifications page: an entry of their own would put
        # a "Me" menu in the bar of people who have no other personal page.
        register(
            NavItem(
                _("Notification deliveries"),
                "notifications:deliveries",
                frozenset({Role.HR, Role.ADMIN}),
                group="office",
            )
        )
