from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    """Appointment letters as PDF (聘任书), issued once, verifiable by QR code."""

    name = "letters"
    verbose_name = _("Appointment letters")

    def ready(self) -> None:
        from .events import register_events

        register_events()
        from .staff_file import register_section

        register_section()
        from .search import register_search

        register_search()
        from core.labels import register_actions

        from .labels import ACTIONS

        register_actions(ACTIONS)
        from core.navigation import NavItem, register
        from core.roles import Role
        from jobs import registry
        from org.selectors import register_appointment_annotation

        from . import checks, selectors, services  # noqa: F401 - registers the system check

        registry.register(
            registry.JobKind(
                code=services.JOB_KIND,
                prepare=services.job_prepare,
                process=services.job_process,
                remaining=services.job_remaining,
                chunk_size=20,
                done_label=_("newly issued"),
                skipped_label=_("already existed, skipped"),
            )
        )
        register(NavItem(_("My letters"), "letters:mine", staff_link=True, group="me"))
        register(
            NavItem(
                _("Letters"),
                "letters:list",
                frozenset({Role.HR, Role.ADMIN, Role.MANAGER, Role.LEADERSHIP}),
                group="certification",
            )
        )
        register(
            NavItem(
                _("Letter templates"),
                "letters:templates",
                frozenset({Role.HR, Role.ADMIN}),
                group="certification",
            )
        )
        from core import dashboard, demo

        from . import dashboard as letters_dashboard
        from . import demo as letters_demo

        dashboard.register("letters", letters_dashboard.cards, order=60, queries=3)
        from core import inbox

        from . import inbox as letters_inbox

        inbox.register(
            letters_inbox.items, kinds=letters_inbox.KINDS, figures=letters_inbox.figures
        )
        demo.register(demo.DemoPart("letters", order=60, build=letters_demo.build))
        register_appointment_annotation(name="letter_id", expression=selectors.latest_letter_id)
