"""Charts people can read (issue 21): on every page with a chart, at 1366 and 390 px, in zh-hans
and en, every SVG text the browser renders is at least 11 px high on the screen — its computed
font size times the scale of its SVG's screen transform (a viewBox drawn narrower than it is
wide shrinks its text) — and the radar gives way to a list on phones.
"""

from __future__ import annotations

import pytest

from .journey import NARROW, WIDE

MIN_PX = 11

# Every <text> of every visible SVG: its on-screen font size, what it says, which chart.
MEASURE = """() => [...document.querySelectorAll('svg text')].flatMap(t => {
  const svg = t.ownerSVGElement;
  const box = svg.getBoundingClientRect();
  const ctm = t.getScreenCTM();
  if (!ctm || box.width === 0 || box.height === 0 || !t.textContent.trim()) return [];
  const scale = Math.hypot(ctm.a, ctm.b);
  const px = parseFloat(getComputedStyle(t).fontSize) * scale;
  const chart = svg.dataset.chart || svg.dataset.testid || svg.getAttribute('class') || 'svg';
  return [{px: Math.round(px * 100) / 100, text: t.textContent.trim().slice(0, 24), chart}];
})"""


def measure(j, name: str, *, charts_expected: set[str]) -> None:
    """At both widths: no chart text under 11 px, and the expected charts are drawn."""
    for width, height in (WIDE, NARROW):
        j.page.set_viewport_size({"width": width, "height": height})
        j.page.wait_for_timeout(50)
        texts = j.page.evaluate(MEASURE)
        small = [t for t in texts if t["px"] < MIN_PX]
        assert not small, f"{name} at {width}px: chart text under {MIN_PX}px: {small[:8]}"
        drawn = {t["chart"] for t in texts}
        missing = {c for c in charts_expected if not any(c in d for d in drawn)}
        if width == NARROW[0]:
            missing.discard("radar")  # replaced by its list on phones
        assert not missing, f"{name} at {width}px: charts not drawn: {missing} (drawn: {drawn})"
    j.page.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})


def radar_swaps_for_its_list(j, name: str, *, list_fallback: bool = True) -> None:
    """The radar at 1366 px; on a phone the radar is hidden and its list (or the table of the
    profile page beside it) is shown instead."""
    page = j.page
    radar, listing = page.locator("[data-testid=radar]"), page.locator("[data-testid=radar-list]")
    page.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})
    assert radar.first.is_visible(), name
    if list_fallback:
        assert not listing.first.is_visible(), name
    page.set_viewport_size({"width": NARROW[0], "height": NARROW[1]})
    page.wait_for_timeout(50)
    assert not radar.first.is_visible(), name
    if list_fallback:
        assert listing.first.is_visible(), name
        assert listing.first.locator("li").count() >= 3, name
    else:
        assert page.locator("[data-testid=profile-items]").is_visible(), name
    page.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_chart_text_is_never_under_11px(full_demo, journey, lang):
    from ranking.models import RankingRun

    j = journey(lang, "charts-staff")
    j.sign_in("staff")
    j.goto("/")
    measure(j, "home (account manager)", charts_expected={"line", "radar"})
    radar_swaps_for_its_list(j, "home")
    j.check("home")
    j.goto("/kpi/")
    measure(j, "my KPI", charts_expected={"line"})
    j.check("kpi")
    j.goto("/competency/me/")
    measure(j, "my competency", charts_expected={"radar", "line"})
    radar_swaps_for_its_list(j, "competency", list_fallback=False)
    j.check("competency")

    run = RankingRun.objects.order_by("-pk").first()
    assert run is not None, "the demo has a ranking run"
    h = journey(lang, "charts-hr")
    h.sign_in("hr")
    h.goto("/")
    measure(h, "home (HR)", charts_expected={"bar"})
    h.goto(f"/ranking/runs/{run.pk}/")
    measure(h, "ranking run", charts_expected={"bar"})
    h.check("ranking-run")
    h.goto("/kpi/team/")
    measure(h, "team KPI", charts_expected={"bar"})
    assert h.page.locator("[data-testid=grade-chart] svg").is_visible()
    h.check("kpi-team")
