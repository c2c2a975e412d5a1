"""core.charts: the shared SVG builders — round ticks, figures per unit, exact coordinates for a
small hand-made input, values written on points and bars, and no text that can shrink (no
viewBox, every font ≥ 11 px)."""

import re
from decimal import Decimal as D

import pytest
from django.utils import translation

from core import charts
from ranking.charts import histogram_svg


@pytest.mark.parametrize(
    ("hi", "kwargs", "expected"),
    [
        (7, {"max_ticks": 5, "min_step": 1}, [0, 2, 4, 6, 8]),
        (8, {"max_ticks": 5, "min_step": 1}, [0, 2, 4, 6, 8]),  # a peak on a tick stops there
        (0, {"min_step": 1}, [0, 1]),  # nothing to draw: one step
        (1, {"max_ticks": 5, "min_step": 1}, [0, 1]),  # counts never get half ticks
        (5, {"max_ticks": 5, "min_step": 1}, [0, 2, 4, 6]),
        (95, {"lo": 72, "max_ticks": 5}, [70, 80, 90, 100]),  # the floor is a multiple too
        (100, {"max_ticks": 6}, [0, 20, 40, 60, 80, 100]),
        (D("0.3"), {}, [0, D("0.1"), D("0.2"), D("0.3")]),
    ],
)
def test_nice_ticks(hi, kwargs, expected):
    assert charts.nice_ticks(hi, **kwargs) == [D(t) for t in expected]


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (D("86.1"), "score", "86.10"),
        (D("89.625"), "score", "89.62"),  # format only: scores arrive rounded half-up already
        (3, "count", "3"),
        (D("2.50"), "decimal", "2.5"),
        (D("4.00"), "decimal", "4"),
        (D("0"), "decimal", "0"),
        (D("15"), "percent", "15%"),
        (None, "score", "—"),
        ("2026", "text", "2026"),
    ],
)
def test_figures_are_formatted_per_unit(value, unit, shown):
    assert charts.fmt(value, unit) == shown


def test_radar_font_renders_at_11px_at_its_narrowest_width():
    # 480 units shown 320 px wide: 11 × 480 / 320 = 16.5 → 17 units (11.33 px on screen)
    assert charts.min_font_for(drawn_width=480, min_rendered_width=320) == 17
    assert charts.min_font_for(drawn_width=320, min_rendered_width=320) == 11


def _no_shrinking_text(svg: str) -> None:
    assert "viewBox" not in svg and 'width="100%"' in svg
    sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', svg)]
    assert sizes and min(sizes) >= charts.MIN_FONT_PX


def test_line_chart_coordinates_values_and_labels():
    svg = charts.line_chart(
        [("01", D(50)), ("02", D(100))], title="T <1>", ticks=[D(0), D(50), D(100)], height=220
    )
    _no_shrinking_text(svg)
    # plot from y 22 (100) to y 194 (0): 50 → 108, 100 → 22; two points centred in halves
    assert 'aria-label="T &lt;1&gt;"' in svg and "<title>T &lt;1&gt;</title>" in svg
    assert "<desc>01: 50.00; 02: 100.00</desc>" in svg
    assert '<line x1="25.00%" y1="108.0" x2="75.00%" y2="22.0"' in svg
    assert '<circle cx="25.00%" cy="108.0" r="4"' in svg
    assert '<circle cx="75.00%" cy="22.0" r="4"' in svg
    # values: the first above its point (108 − 8), the second below (22 + 17)
    assert (
        '<text x="25.00%" y="100.0" font-size="12" text-anchor="middle" fill="#212529" '
        'data-value="1">50.00</text>' in svg
    )
    assert '<text x="75.00%" y="39.0" font-size="12"' in svg and ">100.00</text>" in svg
    # x labels under the axis, y tick labels in the left gutter (4 px under each gridline)
    assert '<text x="25.00%" y="212.0" font-size="12" text-anchor="middle" fill="#5c636a">01' in svg
    assert '<text x="-6" y="198.0" font-size="12" text-anchor="end" fill="#5c636a">0</text>' in svg
    assert '<text x="-6" y="26.0" font-size="12" text-anchor="end" fill="#5c636a">100</text>' in svg
    assert svg.count('data-value="1"') == 2


def test_bar_chart_coordinates_counts_axis_and_quota_marker():
    svg = charts.bar_chart(
        [charts.Bar("A", 2), charts.Bar("B", 0), charts.Bar("C", 5)],
        title="Grades",
        markers=[charts.Marker(at=1, text="≤ 1", bar=0)],
        height=200,
    )
    _no_shrinking_text(svg)
    # peak 5 → ticks 0, 2, 4, 6; plot y 28 (6) … 174 (0): 2 → 125.3, 5 → 52.3, 1 → 149.7
    assert svg.count("<line") == 4 + 1  # four gridlines, one marker
    assert '<rect x="4.00%" y="125.3" width="25.33%" height="48.7"' in svg
    assert '<rect x="37.33%" y="174.0" width="25.33%" height="0.0"' in svg
    assert '<rect x="70.67%" y="52.3" width="25.33%" height="121.7"' in svg
    assert '<text x="16.67%" y="120.3" font-size="12"' in svg and 'data-value="1">2</text>' in svg
    assert '<text x="83.33%" y="47.3" font-size="12"' in svg and 'data-value="1">5</text>' in svg
    assert svg.count('data-value="1"') == 2  # the empty bar has no "0" (its desc does)
    assert "<desc>A: 2; B: 0; C: 5</desc>" in svg
    assert '<text x="50.00%" y="190.0" font-size="12" text-anchor="middle" fill="#5c636a">B' in svg
    for tick, y in (("0", "178.0"), ("2", "129.3"), ("4", "80.7"), ("6", "32.0")):
        tick_label = f'<text x="-6" y="{y}" font-size="12" text-anchor="end" fill="#5c636a">{tick}<'
        assert tick_label in svg
    assert '<line x1="0.67%" y1="149.7" x2="32.67%" y2="149.7" stroke="#b02a37"' in svg
    assert '<text x="32.67%" y="145.7" font-size="12" text-anchor="end" fill="#b02a37">≤ 1' in svg


def test_bar_chart_shows_zero_when_asked():
    svg = charts.bar_chart([charts.Bar("A", 0), charts.Bar("B", 3)], title="t", show_zero=True)
    assert svg.count('data-value="1"') == 2 and 'data-value="1">0</text>' in svg


def test_histogram_has_counts_axis_bins_and_the_cut_line():
    with translation.override("en"):
        svg = histogram_svg({10: 2, 12: 1}, cut=D("52.5"))
    _no_shrinking_text(svg)
    # bins 50, 55, 60 (55 empty); the cut at 52.5 is a sixth of the 50–65 span
    assert "<desc>50: 2; 55: 0; 60: 1</desc>" in svg
    assert "<title>50–55: 2</title>" in svg and "<title>55–60: 0</title>" in svg
    assert '<line x1="16.67%" y1="14" x2="16.67%" y2="200"' in svg
    assert 'data-line="cut line 52.50"' in svg and ">cut line 52.50</text>" in svg
    assert svg.count('data-value="1"') == 2 and ">Score</text>" in svg
    for label in ("50", "55", "60"):
        assert f'fill="#5c636a">{label}</text>' in svg
