from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in and accounts: lockout, API tokens, passwords, two-factor authentication,
    session lifetime (docs/security.md, "Sign-in and accounts")."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from core import demo, navigation
        from core.navigation import NavItem
        from core.roles import Role

        from . import demo as accounts_demo
        from . import receivers  # noqa: F401 — connects the sign-in signal receivers
        from .api import schema  # noqa: F401 — registers the token scheme with drf-spectacular

        navigation.register(
            NavItem(
                _("Accounts"),
                "accounts:office-accounts",
                frozenset({Role.HR, Role.ADMIN}),
                group="office",
            )
        )
        demo.register(
            demo.DemoPart(
                "accounts", order=5, build=accounts_demo.build, epilogue=accounts_demo.epilogue
            )
        )
