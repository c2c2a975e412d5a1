from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Messages to people when something concerns them: in the product, by e-mail and by an
    enterprise IM webhook, in the recipient's language, sent after commit by the worker."""

    name = "notifications"
    verbose_name = _("Notifications")
