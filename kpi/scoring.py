"""The five scoring methods of DOMAIN.md ("KPI"), as pure ``Decimal`` functions.

Every function returns the *unrounded* item score; rounding (half-up, 2 places) happens only
for the figures that are stored or shown (``core.numbers.round_score``).

Parameters (``Indicator.params``), validated by :func:`validate_params`:

- ``ratio`` (higher is better): ``{"cap": "1.2"}`` — score = 100 × min(actual / target, cap),
  never below 0; target must be > 0.
- ``inverse_ratio`` (lower is better): ``{"cap": "1.2"}`` — score = 100 × min(target / actual,
  cap); an actual of 0 (or less) scores 100 × cap; target must be > 0.
- ``bands``: ``{"bands": [["0.8", "60"], ["1", "100"], ["1.2", "120"]], "below": "0"}`` —
  achievement = actual / target; the score is that of the highest threshold the achievement
  reaches (a threshold reached exactly counts), ``below`` under the first threshold.
  Thresholds strictly ascending, scores non-decreasing; target must be > 0.
- ``rating``: ``{"map": {"A": "100", "B": "85", "C": "70", "D": "60", "E": "0"}}`` — the grade
  the line manager gives (the default map is the one shown).
- ``deduction``: ``{"points": "5"}`` — 100 − points × incidents, never below 0.
- ``sources`` (multi-source ratings, 多维度评价): ``{}`` — the actual is already a 0–100 score,
  the weighted mean of the raters' scores (``kpi.ratings``); the item score is the actual.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
ZERO = Decimal(0)
DEFAULT_CAP = Decimal("1.2")
GRADES = ("A", "B", "C", "D", "E")
DEFAULT_RATING_MAP = {"A": "100", "B": "85", "C": "70", "D": "60", "E": "0"}
MAX_SCORE = Decimal(1000)

RATIO = "ratio"
INVERSE_RATIO = "inverse_ratio"
BANDS = "bands"
RATING = "rating"
DEDUCTION = "deduction"
SOURCES = "sources"
METHODS = (RATIO, INVERSE_RATIO, BANDS, RATING, DEDUCTION, SOURCES)
NEEDS_TARGET = frozenset({RATIO, INVERSE_RATIO, BANDS})


class ParamsError(ValueError):
    """Invalid indicator parameters; ``messages`` lists what is wrong."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _dec(value, what: str, errors: list[str]) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        errors.append(_("%(what)s must be a number.") % {"what": what})
        return None
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.append(_("%(what)s must be a number.") % {"what": what})
        return None
    if not result.is_finite():
        errors.append(_("%(what)s must be a number.") % {"what": what})
        return None
    return result


def validate_params(method: str, params) -> dict:
    """Check and normalise ``params`` for ``method``; raise :class:`ParamsError` otherwise.

    The result holds the defaults filled in and numbers as strings (JSON-safe, exact).
    """
    errors: list[str] = []
    if method not in METHODS:
        raise ParamsError([_("Unknown scoring method “%(m)s”.") % {"m": method}])
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise ParamsError([_("Parameters must be an object.")])
    allowed = {
        RATIO: {"cap"},
        INVERSE_RATIO: {"cap"},
        BANDS: {"bands", "below"},
        RATING: {"map"},
        DEDUCTION: {"points"},
        SOURCES: set(),
    }[method]
    unknown = sorted(set(params) - allowed)
    if unknown:
        errors.append(_("Unknown parameters: %(names)s.") % {"names": ", ".join(unknown)})
    result: dict = {}
    if method in (RATIO, INVERSE_RATIO):
        cap = _dec(params.get("cap", DEFAULT_CAP), _("cap"), errors)
        if cap is not None:
            if cap < 1 or cap > 10:
                errors.append(_("The cap must be between 1 and 10."))
            result["cap"] = str(cap)
    elif method == BANDS:
        bands = params.get("bands")
        if not isinstance(bands, list) or not bands:
            errors.append(_("Bands need at least one [threshold, score] pair."))
        else:
            clean = []
            for i, pair in enumerate(bands, start=1):
                if isinstance(pair, dict):
                    pair = [pair.get("from"), pair.get("score")]
                if not isinstance(pair, list | tuple) or len(pair) != 2:
                    errors.append(_("Band %(i)s must be a [threshold, score] pair.") % {"i": i})
                    continue
                threshold = _dec(pair[0], _("Band %(i)s threshold") % {"i": i}, errors)
                score = _dec(pair[1], _("Band %(i)s score") % {"i": i}, errors)
                if threshold is None or score is None:
                    continue
                if threshold < 0:
                    errors.append(_("Band thresholds cannot be negative."))
                if score < 0 or score > MAX_SCORE:
                    errors.append(_("Band scores must be between 0 and 1000."))
                clean.append((threshold, score))
            for (t1, s1), (t2, s2) in itertools.pairwise(clean):
                if t2 <= t1:
                    errors.append(_("Band thresholds must be strictly ascending."))
                    break
                if s2 < s1:
                    errors.append(_("Band scores cannot decrease as the threshold rises."))
                    break
            result["bands"] = [[str(t), str(s)] for t, s in clean]
        below = _dec(params.get("below", "0"), _("below"), errors)
        if below is not None:
            if below < 0:
                errors.append(_("The score below the first band cannot be negative."))
            elif result.get("bands") and below > Decimal(result["bands"][0][1]):
                errors.append(_("The score below the first band cannot exceed the first band."))
            result["below"] = str(below)
    elif method == RATING:
        mapping = params.get("map", DEFAULT_RATING_MAP)
        if not isinstance(mapping, dict) or set(mapping) != set(GRADES):
            errors.append(_("The rating map must give a score for each grade A, B, C, D and E."))
        else:
            clean_map = {}
            for grade in GRADES:
                score = _dec(mapping[grade], _("Score of grade %(g)s") % {"g": grade}, errors)
                if score is not None:
                    if score < 0 or score > MAX_SCORE:
                        errors.append(_("Rating scores must be between 0 and 1000."))
                    clean_map[grade] = str(score)
            result["map"] = clean_map
    elif method == DEDUCTION:
        points = _dec(params.get("points"), _("points per incident"), errors)
        if points is not None:
            if points <= 0 or points > 100:
                errors.append(_("Points per incident must be more than 0 and at most 100."))
            result["points"] = str(points)
    if errors:
        raise ParamsError(errors)
    return result


def default_params(method: str) -> dict:
    if method in (RATIO, INVERSE_RATIO):
        return {"cap": str(DEFAULT_CAP)}
    if method == RATING:
        return {"map": dict(DEFAULT_RATING_MAP)}
    if method == DEDUCTION:
        return {"points": "5"}
    return {}


def validate_target(method: str, target: Decimal | None) -> str | None:
    """An error message when ``target`` does not suit ``method`` (target 0 of a ratio…)."""
    if method in NEEDS_TARGET:
        if target is None:
            return _("This scoring method needs a target.")
        if target <= 0:
            return _("The target must be greater than 0 (a ratio to a target of 0 is undefined).")
    return None


def score(method: str, params: dict, *, actual=None, grade: str = "", target=None) -> Decimal:
    """The unrounded item score of one actual (see the module docstring for each rule)."""
    if method == RATING:
        mapping = params.get("map") or DEFAULT_RATING_MAP
        return Decimal(mapping[grade])
    actual = Decimal(actual)
    if method == DEDUCTION:
        return max(ZERO, HUNDRED - Decimal(params["points"]) * max(actual, ZERO))
    if method == SOURCES:
        return actual
    target = Decimal(target)
    if method == RATIO:
        cap = Decimal(params.get("cap", DEFAULT_CAP))
        return HUNDRED * min(max(actual, ZERO) / target, cap)
    if method == INVERSE_RATIO:
        cap = Decimal(params.get("cap", DEFAULT_CAP))
        if actual <= 0:
            return HUNDRED * cap
        return HUNDRED * min(target / actual, cap)
    if method == BANDS:
        achievement = actual / target
        result = Decimal(params.get("below", "0"))
        for threshold, band_score in params["bands"]:
            if achievement >= Decimal(threshold):
                result = Decimal(band_score)
            else:
                break
        return result
    raise ValueError(method)


def scorer(method: str, params: dict) -> Callable[[Any, str, Any], Decimal]:
    """``f(actual, grade, target)`` → :func:`score` of one indicator, with its parameters
    parsed once: the bulk recomputation scores 10⁵ items of a handful of indicators. The same
    operations in the same order as :func:`score`, so the results are identical."""
    if method == RATING:
        mapping = {g: Decimal(v) for g, v in (params.get("map") or DEFAULT_RATING_MAP).items()}
        return lambda actual, grade, target: mapping[grade]
    if method == DEDUCTION:
        points = Decimal(params["points"])
        return lambda actual, grade, target: max(
            ZERO, HUNDRED - points * max(Decimal(actual), ZERO)
        )
    if method == SOURCES:
        return lambda actual, grade, target: Decimal(actual)
    if method == RATIO:
        cap = Decimal(params.get("cap", DEFAULT_CAP))
        return lambda actual, grade, target: (
            HUNDRED * min(max(Decimal(actual), ZERO) / Decimal(target), cap)
        )
    if method == INVERSE_RATIO:
        cap = Decimal(params.get("cap", DEFAULT_CAP))

        def inverse(actual, grade, target):
            actual = Decimal(actual)
            if actual <= 0:
                return HUNDRED * cap
            return HUNDRED * min(Decimal(target) / actual, cap)

        return inverse
    if method == BANDS:
        bands = [(Decimal(t), Decimal(s)) for t, s in params["bands"]]
        below = Decimal(params.get("below", "0"))

        def banded(actual, grade, target):
            achievement = Decimal(actual) / Decimal(target)
            result = below
            for threshold, band_score in bands:
                if achievement >= threshold:
                    result = band_score
                else:
                    break
            return result

        return banded
    raise ValueError(method)


def weighted_total(items: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Σ wᵢ sᵢ / Σ wᵢ over ``[(weight, score)]``, unrounded; ``None`` without weight."""
    total_weight = sum((w for w, _s in items), ZERO)
    if total_weight == 0:
        return None
    return sum((w * s for w, s in items), ZERO) / total_weight
