from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingConfig(AppConfig):
    """Annual ranking, bottom-band re-certification and the honour roll (动态管理)."""

    name = "ranking"
    verbose_name = _("Annual ranking and dynamic management")

    def ready(self) -> None:
        from .staff_file import register_section

        register_section()
        from core.labels import register_actions

        from .labels import ACTIONS

        register_actions(ACTIONS)
        from core.navigation import NavItem, register
        from core.roles import Role
        from org.signals import staff_exited

        from .receivers import withdraw_cases_on_exit

        staff_exited.connect(withdraw_cases_on_exit, dispatch_uid="ranking.withdraw_cases_on_exit")

        register(NavItem(_("Honour roll"), "ranking:honour-roll", group="certification"))
        register(NavItem(_("My ranking"), "ranking:mine", staff_link=True, group="me"))
        register(
            NavItem(
                _("Annual ranking"),
                "ranking:run-list",
                frozenset({Role.HR, Role.ADMIN, Role.LEADERSHIP}),
                group="certification",
            )
        )
        register(
            NavItem(
                _("Grades and bands by branch"),
                "ranking:distribution",
                frozenset({Role.HR, Role.ADMIN, Role.LEADERSHIP}),
                group="certification",
            )
        )
        register(
            NavItem(
                _("Workforce analytics"),
                "ranking:analytics",
                frozenset({Role.HR, Role.ADMIN, Role.LEADERSHIP, Role.COMMITTEE}),
                group="certification",
            )
        )
        register(
            NavItem(
                _("Re-certification"),
                "ranking:case-list",
                frozenset({Role.HR, Role.ADMIN, Role.LEADERSHIP, Role.COMMITTEE}),
                group="certification",
            )
        )
        from certification import hooks as certification_hooks
        from certification import sources as certification_sources
        from core import dashboard, demo

        from . import blockers, selectors
        from . import dashboard as ranking_dashboard
        from . import demo as ranking_demo

        dashboard.register("ranking", ranking_dashboard.cards, order=14, queries=2)
        from core import inbox

        from . import inbox as ranking_inbox

        inbox.register(
            ranking_inbox.items, kinds=ranking_inbox.KINDS, figures=ranking_inbox.figures
        )

        demo.register(demo.DemoPart("ranking", order=50, build=ranking_demo.build))
        certification_sources.register_recertification_lookup(selectors.open_recertification)
        certification_sources.register_recertification_bulk_lookup(selectors.open_recertifications)
        certification_hooks.register_application_blocker(blockers.under_recertification)
        from . import events

        events.register_events()
