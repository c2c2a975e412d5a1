"""What pay does when the organisation eliminates someone from the post or records their exit:
the deferred instalments not yet paid are forfeited (docs/pay.md, "Forfeiture")."""

from __future__ import annotations

from .models import DeferredInstalment
from .services import instalments_forfeit


def forfeit_on_elimination(sender, elimination, **kwargs) -> None:
    instalments_forfeit(
        actor=elimination.actor,
        staff=elimination.staff,
        on=elimination.on,
        reason=DeferredInstalment.ForfeitReason.ELIMINATION,
    )


def forfeit_on_exit(sender, exit, **kwargs) -> None:
    instalments_forfeit(
        actor=exit.actor,
        staff=exit.staff,
        on=exit.exit_date,
        reason=DeferredInstalment.ForfeitReason.EXIT,
    )
