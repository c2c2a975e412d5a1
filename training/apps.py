from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Courses, sessions, training records and requirements (培训)."""

    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from .staff_file import register_section

        register_section()
        from .search import register_search

        register_search()
        from core.labels import register_actions

        from .labels import ACTIONS

        register_actions(ACTIONS)
        from . import events, goals_panel

        events.register_events()
        goals_panel.register()
        from core import inbox

        from . import inbox as training_inbox

        inbox.register(
            training_inbox.items, kinds=training_inbox.KINDS, figures=training_inbox.figures
        )
        from competency.selectors import register_course_finder
        from core.navigation import NavItem, register
        from core.roles import Role

        register(NavItem(_("My training"), "training:my", staff_link=True, group="me"))
        register(NavItem(_("Courses"), "training:course-list", group="development"))
        register(NavItem(_("Training sessions"), "training:session-list", group="development"))
        register(
            NavItem(
                _("Mentoring and job rotation"),
                "training:activities",
                frozenset({Role.MANAGER, Role.HR, Role.ADMIN, Role.LEADERSHIP}),
                group="people",
            )
        )
        register(
            NavItem(
                _("Training plans"),
                "training:plans",
                frozenset({Role.MANAGER, Role.HR, Role.ADMIN, Role.LEADERSHIP}),
                group="development",
            )
        )
        register(
            NavItem(
                _("Evaluation results"),
                "training:evaluation-results",
                frozenset({Role.HR, Role.ADMIN}),
                group="development",
            )
        )
        register(
            NavItem(
                _("Training ledger"),
                "training:records",
                frozenset({Role.MANAGER, Role.HR, Role.ADMIN, Role.LEADERSHIP}),
                group="people",
            )
        )
        from core import dashboard, demo

        from . import dashboard as training_dashboard
        from . import demo as training_demo
        from . import selectors

        dashboard.register("training", training_dashboard.cards, order=30, queries=8)
        demo.register(demo.DemoPart("training", order=20, build=training_demo.build))
        # The goals of the reviews the kpi demo (order 30) records.
        demo.register(demo.DemoPart("training-goals", order=35, build=training_demo.build_goals))
        register_course_finder(finder=selectors.courses_for_competencies)
