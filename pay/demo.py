"""Demo data: last year's pay of the KAM track — a policy per level (monthly base pay and
performance-pay base; the allowance is the level's), the coefficients A 1.5 … E 0, 40 % of
the performance pay deferred over 3 years — computed by the office (``hr``) and approved by
the leadership group (``leader``), so every demo staff member with a grade has a pay line and a
schedule on "My pay". Idempotent: nothing is added when last year already has a pay run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from org.models import Track

from . import services
from .models import PayRun

# level order → (monthly base pay, performance-pay base)
POLICY = {
    1: (Decimal("6000.00"), Decimal("30000.00")),
    2: (Decimal("8000.00"), Decimal("45000.00")),
    3: (Decimal("10500.00"), Decimal("60000.00")),
    4: (Decimal("13000.00"), Decimal("80000.00")),
    5: (Decimal("16000.00"), Decimal("100000.00")),
}


def build(*, today: dt.date, stdout) -> str | None:
    track = Track.objects.filter(code="KAM").first()
    users = get_user_model().objects
    hr, leader = users.filter(username="hr").first(), users.filter(username="leader").first()
    year = today.year - 1
    if track is None or hr is None or leader is None or PayRun.objects.filter(year=year).exists():
        return None
    for level in track.levels.all():
        base, performance = POLICY.get(level.order, POLICY[1])
        services.policy_set(
            actor=hr, level=level, year=year, monthly_base=base, performance_base=performance
        )
    services.coefficients_set(actor=hr, year=year, coefficients=services.DEFAULT_COEFFICIENTS)
    services.deferral_set(actor=hr, year=year, share_pct=Decimal("40"), years=3)
    run = services.run_create(actor=hr, year=year)
    run = services.run_compute(actor=hr, run=run)
    services.run_approve(actor=leader, run=run, reason="演示：同意")
    summary = run.summary
    return f"pay {year}: {summary['staff']} lines, performance pay {summary['performance_pay']}"
