from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    """KPI indicators, schemes, periods, actuals and scores (关键绩效指标)."""

    name = "kpi"
    verbose_name = _("KPI")

    def ready(self) -> None:
        from .staff_file import register_section

        register_section()
        from core.labels import register_actions

        from .labels import ACTIONS

        register_actions(ACTIONS)
        from . import events

        events.register_events()
        from core.navigation import NavItem, register
        from core.roles import Role

        register(NavItem(_("My KPI"), "kpi:me", staff_link=True, group="me"))
        register(
            NavItem(
                _("Team KPI"),
                "kpi:team",
                frozenset({Role.MANAGER, Role.HR, Role.ADMIN, Role.LEADERSHIP}),
                group="people",
            )
        )
        register(NavItem(_("My appraisal"), "kpi:appraisal-me", staff_link=True, group="me"))
        register(NavItem(_("Assessment profile"), "kpi:profiles", staff_link=True, group="me"))
        register(NavItem(_("Colleagues to rate"), "kpi:ratings", staff_link=True, group="me"))
        register(
            NavItem(
                _("Team appraisals"),
                "kpi:appraisal-team",
                frozenset({Role.MANAGER, Role.HR, Role.ADMIN, Role.LEADERSHIP}),
                group="people",
            )
        )
        register(
            NavItem(
                _("Assessment stages"),
                "kpi:stages",
                frozenset({Role.HR, Role.ADMIN}),
                group="office",
            )
        )
        register(
            NavItem(
                _("Grade calibration"),
                "kpi:calibration",
                frozenset({Role.HR, Role.ADMIN}),
                group="office",
            )
        )
        register(
            NavItem(_("KPI import"), "kpi:import", frozenset({Role.HR, Role.ADMIN}), group="office")
        )
        from core import dashboard, demo

        from . import dashboard as kpi_dashboard
        from . import demo as kpi_demo

        dashboard.register("kpi", kpi_dashboard.cards, order=20, queries=7)
        from core import inbox

        from . import inbox as kpi_inbox

        inbox.register(kpi_inbox.items, kinds=kpi_inbox.KINDS)
        demo.register(demo.DemoPart("kpi", order=30, build=kpi_demo.build))
