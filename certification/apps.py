from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    """Promotion certification, committees, letters and re-certification (岗位认证)."""

    name = "certification"
    verbose_name = _("Certification")

    def ready(self) -> None:
        from .staff_file import register_section

        register_section()
        from .search import register_search

        register_search()
        from core.labels import register_actions

        from .labels import ACTIONS

        register_actions(ACTIONS)
        from core.navigation import NavItem, register
        from core.roles import Role
        from org.signals import staff_exited

        from .receivers import withdraw_on_exit

        staff_exited.connect(withdraw_on_exit, dispatch_uid="certification.withdraw_on_exit")

        register(NavItem(_("Promotion"), "certification:cycle-list", group="certification"))
        register(
            NavItem(
                _("My panel"),
                "certification:committee",
                frozenset({Role.COMMITTEE}),
                group="certification",
            )
        )
        register(
            NavItem(
                _("Working days"),
                "certification:workdays",
                frozenset({Role.HR, Role.ADMIN}),
                group="certification",
            )
        )
        from core import dashboard, demo

        from . import dashboard as certification_dashboard
        from . import demo as certification_demo

        dashboard.register(
            "certification", certification_dashboard.promotion_cards, order=15, queries=10
        )
        dashboard.register(
            "certification-panel", certification_dashboard.panel_cards, order=41, queries=5
        )
        dashboard.register(
            "certification-cycles", certification_dashboard.cycle_cards, order=42, queries=1
        )
        from core import inbox

        from . import inbox as certification_inbox

        inbox.register(
            certification_inbox.items,
            kinds=certification_inbox.KINDS,
            figures=certification_inbox.figures,
        )
        from . import defence_events, defence_inbox

        defence_events.register_events()
        inbox.register(defence_inbox.items, kinds=defence_inbox.KINDS)
        demo.register(demo.DemoPart("certification", order=40, build=certification_demo.build))
        from . import events

        events.register_events()
