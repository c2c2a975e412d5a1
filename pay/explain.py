"""A pay line told line by line (docs/pay.md): what each figure is and how it was computed,
in the reader's language. Used by the employee's page (figures as people read them:
"¥8,000.00 × 12 months") and the API (plain decimals: "8000.00 × 12 months")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.numbers import format_figure

from .models import PayLine


@dataclass(frozen=True)
class Step:
    label: str
    formula: str
    amount: Decimal


def _plain(value, unit: str) -> str:
    return str(value)


def explain(line: PayLine, *, shown: bool = False) -> list[Step]:
    """The steps of ``line`` (its instalments prefetched). ``shown``: the formulas' figures
    formatted for a page (``core.numbers.format_figure``: ¥ with 2 decimals, 35 %); otherwise
    plain decimals, as the API gives every amount."""
    f: Callable[[object, str], str] = format_figure if shown else _plain
    share = line.run.summary.get("share_pct", "0")
    steps = [
        Step(
            _("Base pay"),
            _("%(monthly)s × %(months)s months")
            % {"monthly": f(line.monthly_base, "money"), "months": line.months},
            line.base_pay,
        ),
        Step(
            _("Level allowance"),
            _("%(monthly)s × %(months)s months")
            % {"monthly": f(line.monthly_allowance, "money"), "months": line.months},
            line.allowance_pay,
        ),
        Step(
            _("Performance pay"),
            _("%(base)s × %(coefficient)s (coefficient of grade %(grade)s), half-up to the fen")
            % {
                "base": f(line.performance_base, "money"),
                "coefficient": line.coefficient,
                "grade": line.grade or "–",
            },
            line.performance_pay,
        ),
        Step(
            _("Deferred"),
            _("%(pay)s × %(share)s %%, half-up to the fen")
            % {"pay": f(line.performance_pay, "money"), "share": f(share, "number")},
            line.deferred,
        ),
        Step(
            _("Performance pay now"),
            _("%(pay)s − %(deferred)s")
            % {"pay": f(line.performance_pay, "money"), "deferred": f(line.deferred, "money")},
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
            % {
                "base": f(line.base_pay, "money"),
                "allowance": f(line.allowance_pay, "money"),
                "now": f(line.paid_now, "money"),
            },
            line.year_total,
        )
    )
    return steps
