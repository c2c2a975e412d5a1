"""A pay line told line by line (docs/pay.md): what each figure is and how it was computed,
in the reader's language. Used by the employee's page and the API."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import PayLine


@dataclass(frozen=True)
class Step:
    label: str
    formula: str
    amount: Decimal


def explain(line: PayLine) -> list[Step]:
    """The steps of ``line`` (its instalments prefetched)."""
    share = line.run.summary.get("share_pct", "0")
    steps = [
        Step(
            _("Base pay"),
            _("%(monthly)s × %(months)s months")
            % {"monthly": line.monthly_base, "months": line.months},
            line.base_pay,
        ),
        Step(
            _("Level allowance"),
            _("%(monthly)s × %(months)s months")
            % {"monthly": line.monthly_allowance, "months": line.months},
            line.allowance_pay,
        ),
        Step(
            _("Performance pay"),
            _("%(base)s × %(coefficient)s (coefficient of grade %(grade)s), half-up to the fen")
            % {
                "base": line.performance_base,
                "coefficient": line.coefficient,
                "grade": line.grade or "–",
            },
            line.performance_pay,
        ),
        Step(
            _("Deferred"),
            _("%(pay)s × %(share)s %%, half-up to the fen")
            % {"pay": line.performance_pay, "share": share},
            line.deferred,
        ),
        Step(
            _("Performance pay now"),
            _("%(pay)s − %(deferred)s") % {"pay": line.performance_pay, "deferred": line.deferred},
            line.paid_now,
        ),
    ]
    for instalment in line.instalments.all():
        steps.append(
            Step(
                _("Deferred instalment %(number)s, due in %(year)s")
                % {"number": instalment.number, "year": instalment.due_year},
                str(instalment.get_status_display()),
                instalment.amount,
            )
        )
    steps.append(
        Step(
            _("Paid for the year"),
            _("%(base)s + %(allowance)s + %(now)s")
            % {"base": line.base_pay, "allowance": line.allowance_pay, "now": line.paid_now},
            line.year_total,
        )
    )
    return steps
