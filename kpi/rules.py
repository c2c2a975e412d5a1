"""Pure rules of the assessment cycle (DOMAIN.md, "KPI"; the seed's five stages of an
assessment: 准备、动员，制定标准，实施考核，结果的分析、评定，反馈 — 缺一不可).

No database here: the services call these and the tests table-test them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

PREPARATION = "preparation"
MOBILISATION = "mobilisation"
ASSESSMENT = "assessment"
ANALYSIS = "analysis"
FEEDBACK = "feedback"
CLOSED = "closed"

STAGES = (PREPARATION, MOBILISATION, ASSESSMENT, ANALYSIS, FEEDBACK)
"""The five stages, in order; ``closed`` follows the last one."""

ORDER = {stage: i for i, stage in enumerate((*STAGES, CLOSED))}

# Length in days of each stage per period type. Preparation and mobilisation run at the start
# of the period; the assessment stage runs to the period's end plus the days actuals need to
# arrive; analysis and feedback follow it.
DAYS = {
    "month": {PREPARATION: 3, MOBILISATION: 2, "after_end": 5, ANALYSIS: 3, FEEDBACK: 5},
    "quarter": {PREPARATION: 7, MOBILISATION: 3, "after_end": 10, ANALYSIS: 5, FEEDBACK: 10},
    "year": {PREPARATION: 14, MOBILISATION: 7, "after_end": 15, ANALYSIS: 10, FEEDBACK: 20},
}

PENDING = "pending"
ACTIVE = "active"
DONE = "done"


def next_stage(current: str) -> str:
    """The stage after ``current`` (``closed`` after feedback); ``ValueError`` once closed."""
    order = ORDER[current]
    if current == CLOSED:
        raise ValueError(current)
    return (*STAGES, CLOSED)[order + 1]


def stage_state(stage: str, current: str) -> str:
    """``pending``, ``active`` or ``done`` of ``stage`` while the period is at ``current``."""
    if ORDER[stage] < ORDER[current]:
        return DONE
    if stage == current:
        return ACTIVE
    return PENDING


def planned_dates(period_type: str, start: dt.date, end: dt.date) -> dict[str, tuple]:
    """``{stage: (first day, last day)}`` of a period's stages, back to back.

    A month ``2026-11`` (1–30 November): preparation 1–3 Nov, mobilisation 4–5 Nov,
    assessment 6 Nov – 5 Dec (five days after the month for the actuals), analysis 6–8 Dec,
    feedback 9–13 Dec.
    """
    days = DAYS[period_type]
    one = dt.timedelta(days=1)
    prep_end = start + dt.timedelta(days=days[PREPARATION]) - one
    mob_end = prep_end + dt.timedelta(days=days[MOBILISATION])
    assess_end = end + dt.timedelta(days=days["after_end"])
    analysis_end = assess_end + dt.timedelta(days=days[ANALYSIS])
    feedback_end = analysis_end + dt.timedelta(days=days[FEEDBACK])
    return {
        PREPARATION: (start, prep_end),
        MOBILISATION: (prep_end + one, mob_end),
        ASSESSMENT: (mob_end + one, assess_end),
        ANALYSIS: (assess_end + one, analysis_end),
        FEEDBACK: (analysis_end + one, feedback_end),
    }


def refusal(*, current: str, to: str, targets_published: bool) -> str | None:
    """Why the period may not move from ``current`` to ``to`` (a code), or ``None``.

    Only the next stage may follow: no stage is skipped and none is gone back to. Preparation
    ends only once the targets are published. (Leaving the assessment stage locks the period.)
    """
    if current == CLOSED:
        return "closed"
    if to not in ORDER:
        return "unknown"
    if ORDER[to] <= ORDER[current]:
        return "backwards"
    if to != next_stage(current):
        return "skips"
    if current == PREPARATION and not targets_published:
        return "targets_unpublished"
    return None


# Quota allocation per unit (docs/kpi.md, "Quota allocation"; 篇18: 优秀、良好指标数每年分配一次)


def apportion(
    total: int, weights: dict[int, Decimal], tie_break: dict[int, tuple]
) -> dict[int, tuple[Decimal, int]]:
    """Largest-remainder apportionment of ``total`` places in proportion to ``weights``.

    Returns ``{key: (exact share, places)}``. Each key first gets ⌊share⌋ of its exact share
    ``total × weight / Σ weight``; the places left go one each to the largest remainders. Equal
    remainders are ordered by ``tie_break[key]`` ascending (the caller puts the better unit
    first), so the result never depends on the order of the dictionary.
    """
    weight_sum = sum(weights.values(), Decimal(0))
    if total <= 0 or weight_sum <= 0:
        return {key: (Decimal(0), 0) for key in weights}
    shares = {key: Decimal(total) * w / weight_sum for key, w in weights.items()}
    places = {key: int(share) for key, share in shares.items()}  # floor: shares are ≥ 0
    left = total - sum(places.values())
    order = sorted(shares, key=lambda key: (-(shares[key] - places[key]), tie_break[key]))
    for key in order[:left]:
        places[key] += 1
    return {key: (shares[key], places[key]) for key in weights}


PERFORMANCE = "performance"
HEADCOUNT = "headcount"
IMPROVEMENT = "improvement"


def quota_weights(
    basis: str,
    *,
    headcounts: dict[int, int],
    means: dict[int, Decimal],
    company_mean: Decimal,
    improvements: dict[int, Decimal | None],
) -> dict[int, Decimal]:
    """The weight of each unit in the apportionment of the year's places (docs/kpi.md,
    "Quota allocation"; 篇18: 按部门的绩效或提升率).

    - ``performance``: headcount × unit mean / company mean;
    - ``improvement``: headcount × max(0, unit mean − the unit's mean last year) — a unit that
      did not improve, or was not scored last year, gets no weight;
    - ``headcount``: the headcount.

    When the chosen basis gives every unit a weight of 0 (company mean 0, or nobody improved),
    the headcount is used instead, so the places are still apportioned.
    """
    by_headcount = {u: Decimal(c) for u, c in headcounts.items()}
    if basis == PERFORMANCE and company_mean:
        weights = {u: Decimal(c) * means[u] / company_mean for u, c in headcounts.items()}
    elif basis == IMPROVEMENT:
        weights = {
            u: Decimal(c) * max(improvements.get(u) or Decimal(0), Decimal(0))
            for u, c in headcounts.items()
        }
    else:
        return by_headcount
    return weights if any(w > 0 for w in weights.values()) else by_headcount


def variant_problems(
    framework: dict[int, Decimal], variant: dict[int, Decimal], bounds: Decimal
) -> list[tuple[str, int, Decimal | None]]:
    """What keeps a unit variant from its company framework (docs/kpi.md, "Scheme variants"):
    ``[(problem, indicator id, framework weight)]`` with problem ``missing`` (a framework
    indicator the variant leaves out), ``extra`` (an indicator the framework does not have)
    or ``bounds`` (a weight more than ``bounds`` points from the framework's). Both map an
    indicator id to its weight. Empty: the variant keeps the framework."""
    found: list[tuple[str, int, Decimal | None]] = []
    for ind_id in sorted(set(framework) - set(variant)):
        found.append(("missing", ind_id, framework[ind_id]))
    for ind_id in sorted(set(variant) - set(framework)):
        found.append(("extra", ind_id, None))
    for ind_id in sorted(set(variant) & set(framework)):
        if abs(variant[ind_id] - framework[ind_id]) > bounds:
            found.append(("bounds", ind_id, framework[ind_id]))
    return found
