from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from . import services

User = get_user_model()


class LadderUserAdmin(UserAdmin):
    """Django's user admin, where the office creates accounts: a new account's owner must
    choose their own password at the first sign-in."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.account_require_password_change(
                actor=request.user, user=obj, reason=_("account created by the office")
            )


admin.site.unregister(User)
admin.site.register(User, LadderUserAdmin)
