from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayConfig(AppConfig):
    """Performance pay: policies, the yearly pay run, deferred instalments (绩效薪酬)."""

    name = "pay"
    verbose_name = _("Performance pay")

    def ready(self) -> None:
        from core import demo
        from core.labels import register_actions
        from core.navigation import NavItem, register
        from core.roles import Role
        from org.signals import staff_eliminated, staff_exited

        from . import demo as pay_demo
        from .labels import ACTIONS
        from .receivers import forfeit_on_elimination, forfeit_on_exit

        register_actions(ACTIONS)
        staff_eliminated.connect(forfeit_on_elimination, dispatch_uid="pay.forfeit_on_elimination")
        staff_exited.connect(forfeit_on_exit, dispatch_uid="pay.forfeit_on_exit")
        register(NavItem(_("My pay"), "pay:mine", staff_link=True, group="me"))
        register(
            NavItem(
                _("Performance pay"),
                "pay:run-list",
                frozenset({Role.HR, Role.ADMIN, Role.LEADERSHIP}),
                group="office",
            )
        )
        demo.register(demo.DemoPart("pay", order=55, build=pay_demo.build))
