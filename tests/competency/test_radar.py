"""The radar's layout (issue 21): labels wrapped to fit beside the circle in either language,
text sized for the narrowest width the radar is drawn at, values for the list on phones."""

from decimal import Decimal as D

import pytest

from competency import charts


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        ("职业心态", ["职业心态"]),
        ("市场分析与商机挖掘", ["市场分析与商", "机挖掘"]),  # six characters a line
        ("Business etiquette", ["Business", "etiquette"]),
        ("Mandarin and Cantonese", ["Mandarin and", "Cantonese"]),
        ("Customer relationship management", ["Customer", "relationship", "management"]),
        ("Solution design, writing and presentation", ["Solution", "design,", "writing an…"]),
    ],
)
def test_labels_wrap_to_six_ems(label, lines):
    assert charts.wrap_label(label) == lines


def test_radar_geometry_font_and_values():
    radar = charts.radar(
        [("客户走访", 3, D("4.5")), ("Business etiquette", 3, D("2.9")), ("职业心态", 2, None)],
        scale_max=5,
    )
    # 480 units wide, shown from 320 px up: 17-unit text renders at ≥ 11.33 px
    assert (radar["width"], radar["font"]) == (480, 17)
    # radius = 240 − 10 − 6 × 17 − 8 = 120; the labels' room above: 3 lines × 20.4 + 10
    assert radar["cx"] == 240 and radar["cy"] == pytest.approx(71.2 + 120)
    top, right, _left = radar["axes"]
    assert (top.anchor, right.anchor) == ("middle", "start")
    assert top.lines == ((-4, "客户走访"),)  # one line, sitting on the top axis end
    assert right.lines == ((round(17 * 0.35 - 10.2, 1), "Business"), (20.4, "etiquette"))
    assert top.gap is None and right.gap == D("0.1") and radar["axes"][2].gap is None
    assert radar["has_actual"]


def test_many_competencies_get_two_line_labels():
    # sixteen axes: neighbouring labels (120 + 10) × 2π / 16 ≈ 51 units apart → two 20.4 lines
    many = charts.radar([("Client relationship management", 3, D(2))] * 16)
    assert [text for _dy, text in many["axes"][4].lines] == ["Client", "relationshi…"]
    few = charts.radar([("Client relationship management", 3, D(2))] * 8)
    assert [t for _dy, t in few["axes"][2].lines] == ["Client", "relationship", "management"]
