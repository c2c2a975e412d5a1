"""Ranking's receivers of lower apps' hooks (connected in ``RankingConfig.ready``)."""

from __future__ import annotations

from org.signals import StaffExit

from .services import recertification_cases_withdraw_on_exit


def withdraw_cases_on_exit(sender, exit: StaffExit, **kwargs) -> None:
    """A person who leaves is no longer re-certified: their active cases are withdrawn."""
    recertification_cases_withdraw_on_exit(actor=exit.actor, staff=exit.staff, reason=exit.reason)
