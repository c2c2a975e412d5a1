"""Hooks of the organisation that higher apps fill in their ``AppConfig.ready()``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

from .models import Staff


@dataclass(frozen=True)
class StaffExit:
    """What a receiver of :data:`staff_exited` gets as ``exit``."""

    actor: Any
    staff: Staff
    exit_date: dt.date
    reason: str


staff_exited = Signal()
"""Sent by ``org.services.staff_exit`` inside its transaction, with ``sender=Staff`` and
``exit=StaffExit(...)``. A receiver's refusal (an exception) rolls the whole exit back."""


def send_staff_exited(exit: StaffExit) -> None:
    staff_exited.send(sender=Staff, exit=exit)


@dataclass(frozen=True)
class StaffEliminated:
    """What a receiver of :data:`staff_eliminated` gets as ``elimination``."""

    actor: Any
    staff: Staff
    on: dt.date


staff_eliminated = Signal()
"""Sent by ``org.services.eliminate_from_post`` inside its transaction, with ``sender=Staff``
and ``elimination=StaffEliminated(...)`` (pay forfeits the unpaid deferred instalments). A
receiver's refusal (an exception) rolls the elimination back."""


def send_staff_eliminated(elimination: StaffEliminated) -> None:
    staff_eliminated.send(sender=Staff, elimination=elimination)
