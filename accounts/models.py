"""Account-level state that Django's user model does not hold."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountSecurity(models.Model):
    """One row per user that ever needed one: the forced password change of accounts the
    certification office created or reset."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="security",
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Set when the certification office creates the account or resets its "
            "password; cleared when the owner chooses a new password."
        ),
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account security")
        verbose_name_plural = _("account security")

    def __str__(self) -> str:
        return str(self.user)
