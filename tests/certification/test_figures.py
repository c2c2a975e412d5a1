"""Issue #21: the dossier's figures read by their unit — the competency index, results and
gaps as scores (2 places, half-up), the training progress as a percentage."""

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation


def _competency(code, required, actual, gap):
    return {
        "competency": SimpleNamespace(display_name=code),
        "required": required,
        "actual": actual,
        "gap": gap,
    }


def test_the_dossier_shows_competency_figures_as_scores():
    competency = {
        "assessment": SimpleNamespace(finalized_on=dt.date(2026, 6, 30)),
        "index": D("93.755"),
        "radar": {"axes": [], "rings": []},
        "items": [
            _competency("C1", 3, D("3.875"), D("0")),
            _competency("C2", 4, D("3"), D("1")),
            _competency("C3", 2, None, None),
        ],
    }
    with translation.override("en"):
        html = render_to_string("certification/dossier/competency.html", {"competency": competency})
    assert "Competency index: <strong>93.76</strong>" in html
    row = '<th scope="row" class="fw-normal">{}</th><td class="text-end">{}</td>'
    cells = '<td class="text-end">{}</td><td class="text-end">{}</td></tr>'
    assert row.format("C1", 3) + cells.format("3.88", "—") in html
    assert row.format("C2", 4) + cells.format("3.00", "1.00") in html
    assert row.format("C3", 2) + cells.format("—", "—") in html


def test_the_dossier_shows_the_training_progress_as_a_percentage():
    summary = SimpleNamespace(
        window_start=dt.date(2026, 1, 1),
        on_date=dt.date(2026, 12, 31),
        credits_12m=D("6.5"),
        required_credits=D("40"),
        has_requirement=True,
        level=SimpleNamespace(code="L3"),
        percent=16,
        met=False,
        missing_courses=[],
    )
    with translation.override("en"):
        html = render_to_string(
            "certification/dossier/training.html",
            {"training": {"summary": summary, "hours": D("12"), "records": []}},
        )
    assert "<strong>6.5</strong> / 40 required for L3" in html
    assert 'style="width: 16%">16%</div>' in html
