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
