"""KPI test data: indicators of each method, a scheme, periods and a small team."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from kpi import scoring
from kpi.models import Actual, Indicator, Period, Scheme, SchemeItem, parse_period_code
from tests.clock import days


def make_indicator(code: str, method: str, params: dict | None = None, **kwargs) -> Indicator:
    kind = kwargs.pop(
        "kind",
        Indicator.Kind.QUALITATIVE if method == scoring.RATING else Indicator.Kind.QUANTITATIVE,
    )
    return Indicator.objects.create(
        code=code,
        name=kwargs.pop("name", code),
        kind=kind,
        method=method,
        params=scoring.validate_params(method, params or scoring.default_params(method)),
        **kwargs,
    )


def make_period(code: str, status: str = Period.Status.OPEN) -> Period:
    ptype, start, end = parse_period_code(code)
    return Period.objects.create(
        code=code, period_type=ptype, year=start.year, start=start, end=end, status=status
    )


def make_scheme(level, items: list[tuple], period_type: str = "month") -> Scheme:
    """``items``: [(indicator, weight, target)]."""
    scheme = Scheme.objects.create(track=level.track, level=level, period_type=period_type)
    SchemeItem.objects.bulk_create(
        SchemeItem(scheme=scheme, indicator=i, weight=Decimal(str(w)), target=t)
        for i, w, t in items
    )
    return scheme


def put_actual(staff, indicator, period, value=None, grade="") -> Actual:
    return Actual.objects.update_or_create(
        staff=staff,
        indicator=indicator,
        period=period,
        defaults={
            "value": None if value is None else Decimal(str(value)),
            "grade": grade,
            "source": Actual.Source.MANUAL,
            "updated_at": timezone.now(),
        },
    )[0]


def months(year: int, upto: int = 12) -> list[Period]:
    return [make_period(f"{year}-{m:02d}") for m in range(1, upto + 1)]


TODAY = days(-2)  # the Saturday before the frozen Monday
