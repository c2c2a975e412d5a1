"""Certification's receivers of lower apps' hooks (connected in ``CertificationConfig.ready``)."""

from __future__ import annotations

from org.signals import StaffExit

from .models import Application, Cycle
from .services import application_withdraw

A = Application.Status
C = Cycle.Status

# What ``withdraw`` accepts: an application not yet decided, in a cycle before its review.
WITHDRAWABLE = (A.DRAFT, A.SUBMITTED, A.RETURNED, A.QUALIFIED)
CYCLE_BEFORE_REVIEW = (C.DRAFT, C.OPEN, C.QUALIFICATION)


def withdraw_on_exit(sender, exit: StaffExit, **kwargs) -> None:
    """A person who leaves the company withdraws from every live application (audited with
    the exit's reason). Applications already under committee review stay for the panel."""
    live = Application.objects.filter(
        staff=exit.staff, status__in=WITHDRAWABLE, cycle__status__in=CYCLE_BEFORE_REVIEW
    ).order_by("pk")
    for application in live:
        application_withdraw(
            actor=exit.actor, application=application, reason=exit.reason, on_exit=True
        )
