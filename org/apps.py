from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Organisation and career ladder")

    def ready(self) -> None:
        from .groups import ensure_role_groups

        post_migrate.connect(ensure_role_groups, dispatch_uid="org.ensure_role_groups")
