from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs with progress, run by the Django tasks worker (``db_worker``)."""

    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from core.labels import register_actions

        from .labels import ACTIONS

        register_actions(ACTIONS)
        from core.navigation import NavItem, register
        from core.roles import Role

        register(NavItem(_("Jobs"), "jobs:list", frozenset({Role.HR, Role.ADMIN}), group="office"))
