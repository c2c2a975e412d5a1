from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetencyConfig(AppConfig):
    """Competency models, requirement profiles and 360° assessments (素质模型)."""

    name = "competency"
    verbose_name = _("Competency")

    def ready(self) -> None:
        from .staff_file import register_section

        register_section()
        from core.labels import register_actions

        from .labels import ACTIONS

        register_actions(ACTIONS)
        from core.navigation import NavItem, register

        # Rounds are reached from the assessment list (HR), to keep the bar short.
        register(NavItem(_("Competency models"), "competency:model-list", group="development"))
        register(NavItem(_("Assessments"), "competency:assessment-list", group="development"))
        register(NavItem(_("My competency profile"), "competency:me", staff_link=True, group="me"))
        from core import dashboard, demo

        from . import dashboard as competency_dashboard
        from . import demo as competency_demo

        dashboard.register("competency", competency_dashboard.cards, order=30, queries=6)
        from core import inbox

        from . import inbox as competency_inbox

        inbox.register(
            competency_inbox.items, kinds=competency_inbox.KINDS, figures=competency_inbox.figures
        )
        demo.register(demo.DemoPart("competency", order=10, build=competency_demo.build))
        from . import events

        events.register_events()
