"""The home page's KPI card of a staff member (issue 9, account manager journey): the latest
monthly total and the trend of the last 12 monthly totals as an inline SVG."""

import pytest
from django.template.loader import render_to_string

from kpi import score_recompute
from kpi.dashboard import TREND_MONTHS, cards
from kpi.models import PeriodScore

from .factories import TODAY, make_period, put_actual


@pytest.fixture
def fourteen_months(world):
    """Alice's REV actual 70, 72, … over 2025-10 … 2026-11 (14 monthly totals)."""
    codes = [f"2025-{m:02d}" for m in (10, 11, 12)] + [f"2026-{m:02d}" for m in range(1, 12)]
    periods = [
        world.mar if c == "2026-03" else world.apr if c == "2026-04" else make_period(c)
        for c in codes
    ]
    for i, period in enumerate(periods):
        put_actual(world.alice, world.rev, period, str(70 + 2 * i))
    score_recompute.recompute([p.pk for p in periods])
    return world


def test_card_draws_the_last_twelve_monthly_totals(fourteen_months):
    w = fourteen_months
    (mine,) = [c for c in cards(w.alice_user, TODAY) if c["template"] == "kpi/cards/my_kpi.html"]
    ctx = mine["context"]
    expected = list(
        PeriodScore.objects.filter(staff=w.alice, period__period_type="month")
        .order_by("period__start")
        .values_list("period__code", "total")
    )[-TREND_MONTHS:]
    assert len(expected) == 12 and expected[0][0] == "2025-12" and expected[-1][0] == "2026-11"
    assert ctx["points"] == expected
    assert ctx["latest"].period.code == "2026-11"
    html = render_to_string(mine["template"], {"card": ctx})
    assert 'data-testid="card-kpi-trend" data-points="12"' in html
    assert html.count("<circle") == 12
    assert 'role="img"' in html and "My KPI trend, 2025-12 to 2026-11" in html
    assert f'data-testid="card-kpi-latest">{expected[-1][1]}<' in html


def test_card_without_scores_has_no_chart(world):
    (mine,) = [
        c for c in cards(world.carol_user, TODAY) if c["template"] == "kpi/cards/my_kpi.html"
    ]
    assert mine["context"]["chart"] == "" and mine["context"]["latest"] is None
    html = render_to_string(mine["template"], {"card": mine["context"]})
    assert "card-kpi-trend" not in html and "No score yet." in html


def test_card_says_what_its_figure_is_measured_against_and_as_of_when(fourteen_months, english):
    w = fourteen_months
    (mine,) = [c for c in cards(w.alice_user, TODAY) if c["template"] == "kpi/cards/my_kpi.html"]
    html = render_to_string(mine["template"], {"card": mine["context"]})
    # 2026-11 is still running on Monday 2026-11-30: as of the day its score was computed.
    assert 'data-testid="card-kpi-as-of">Period 2026-11, as of 2026-11-30<' in html
    assert "Weighted score against your targets (100 = every target met)." in html
    PeriodScore.objects.filter(staff=w.alice, period__code="2026-11").delete()
    (mine,) = [c for c in cards(w.alice_user, TODAY) if c["template"] == "kpi/cards/my_kpi.html"]
    html = render_to_string(mine["template"], {"card": mine["context"]})
    # An ended period: as of its last day, although computed later.
    assert 'data-testid="card-kpi-as-of">Period 2026-10, as of 2026-10-31<' in html
