from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Organisation and career ladder")

    def ready(self) -> None:
        from .search import register_search

        register_search()
        from core.labels import register_actions, register_actor_names, register_states

        from .labels import ACTIONS, staff_names
        from .models import Appointment

        register_actions(ACTIONS)
        register_actor_names(staff_names)
        register_states(Appointment.Reason.choices)  # appoint:<reason> on the staff's trail
        from core import dashboard, demo, navigation
        from core.navigation import NavItem
        from core.roles import Role

        from . import dashboard as org_dashboard
        from . import demo as org_demo
        from .groups import ensure_role_groups
        from .scope import staff_of

        post_migrate.connect(ensure_role_groups, dispatch_uid="org.ensure_role_groups")
        navigation.register_staff_record_check(lambda user: staff_of(user) is not None)
        navigation.register(NavItem(_("My profile"), "org:me", staff_link=True, group="me"))
        navigation.register(
            NavItem(
                _("Staff"),
                "org:staff-list",
                frozenset({Role.MANAGER, Role.HR, Role.ADMIN, Role.LEADERSHIP}),
                group="people",
            )
        )
        navigation.register(NavItem(_("Career ladder"), "org:ladder", group="people"))
        dashboard.register("org", org_dashboard.cards, order=1, queries=6)
        demo.register(
            demo.DemoPart("org", order=0, build=org_demo.seed, sized=True, epilogue=org_demo.logins)
        )
