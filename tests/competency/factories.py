"""Competency test data: a published model on the KAM ladder with a requirement profile."""

from __future__ import annotations

from decimal import Decimal

from competency import services
from competency.models import CompetencyModel
from tests.factories import make_ladder


def levels_for(scale_max: int = 5) -> list[dict]:
    return [
        {"level": n, "description": f"行为{n}", "description_en": f"behaviour {n}"}
        for n in range(1, scale_max + 1)
    ]


def make_model(
    *,
    ladder=None,
    codes=("C1", "C2", "C3"),
    profile: dict | None = None,
    publish: bool = True,
) -> CompetencyModel:
    """A model with competencies ``codes``; ``profile`` maps level code → {code: (req, weight)}
    (default: every competency required at 3, weight 1, for every level)."""
    ladder = ladder or make_ladder()
    track = ladder[0].track
    model = services.model_create(actor=None, track=track, name="客户经理素质模型", name_en="KAM")
    comps = {}
    for i, code in enumerate(codes):
        comps[code] = services.competency_create(
            actor=None,
            model=model,
            code=code,
            name=f"素质{code}",
            name_en=f"Competency {code}",
            category=("attitude", "knowledge", "skill")[i % 3],
            kind="basic" if i % 2 == 0 else "professional",
            order=i,
            levels=levels_for(),
        )
    if profile is None:
        profile = {lv.code: {code: (3, Decimal("1")) for code in codes} for lv in ladder}
    by_code = {lv.code: lv for lv in ladder}
    for level_code, cells in profile.items():
        for code, (required, weight) in cells.items():
            services.requirement_set(
                actor=None,
                model=model,
                level=by_code[level_code],
                competency=comps[code],
                required_level=required,
                weight=Decimal(weight),
            )
    if publish:
        services.model_publish(actor=None, model=model)
        model.refresh_from_db()
    return model
