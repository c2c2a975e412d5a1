from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReappointmentConfig(AppConfig):
    """Term-end re-appointment (续聘): expiring terms, review batches, overdue check."""

    name = "reappointment"
    verbose_name = _("Re-appointment")

    def ready(self) -> None:
        from core.labels import register_actions

        from .labels import ACTIONS

        register_actions(ACTIONS)
        from core.navigation import NavItem, register
        from core.roles import Role

        from . import jobs

        register(
            NavItem(
                _("Expiring terms"),
                "reappointment:expiring",
                frozenset({Role.MANAGER, Role.HR, Role.ADMIN, Role.LEADERSHIP}),
                group="people",
            )
        )
        register(
            NavItem(
                _("Re-appointment reviews"),
                "reappointment:review-list",
                frozenset({Role.HR, Role.ADMIN, Role.LEADERSHIP}),
                group="certification",
            )
        )
        jobs.register_kinds()
        from core import dashboard, demo

        from . import dashboard as reappointment_dashboard
        from . import demo as reappointment_demo

        dashboard.register("reappointment", reappointment_dashboard.cards, order=15, queries=8)
        from core import inbox

        from . import inbox as reappointment_inbox

        inbox.register(
            reappointment_inbox.items,
            kinds=reappointment_inbox.KINDS,
            figures=reappointment_inbox.figures,
        )
        from ranking import selectors as ranking_selectors

        from .selectors import referral_link

        ranking_selectors.register_referral_link(fn=referral_link)
        demo.register(demo.DemoPart("reappointment", order=70, build=reappointment_demo.build))
        from . import events

        events.register_events()
