"""Set-based computation of period scores and annual scores and grades (DOMAIN.md, "KPI").

Both recomputations run a constant number of queries for a whole population — the rows are
fetched once and scored in Python ``Decimal`` (SQLite has no decimal arithmetic), then written
in bulk (on PostgreSQL: streamed by ``COPY`` while they are computed, straight into the table or
through a staging table and one upsert) — never a query per staff member.

Rules:

- Period score = Σ wᵢ sᵢ / Σ wᵢ over the items of the staff member's scheme (the scheme of the
  level they held at the period's end, for the period's type) that have an actual. Item scores
  are unrounded inside the sum; item scores and the total are stored rounded half-up to 2 places
  (and the total also unrounded, for the annual mean).
- Target = the staff member's own target for that period, else their own target for every
  period, else the scheme's default target.
- Annual score = mean of the staff member's unrounded period totals of the year (periods of the
  type of the year's :class:`~kpi.models.GradePolicy`, month by default), stored rounded.
- Annual grade from the rounded score: A ≥ a_min, B ≥ b_min, C ≥ c_min, D ≥ d_min, else E.
- Quotas (optional, per org unit of the staff member): the unit's population N is everyone with
  an annual score in the year in that unit. At most ⌊N × A% / 100⌋ get A and at most
  ⌊N × (A+B)% / 100⌋ get A or B. Candidates are taken in descending rounded score; people with
  the same rounded score are taken together or not at all, so a tie group that would overshoot
  the quota — and everyone below it — gets the next grade down (a quota is a ceiling, never
  exceeded, and equal scores always get equal grades). Someone capped out of A is a B candidate;
  someone capped out of B gets C. Quotas never raise a grade.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from core import clock
from core.numbers import round_score
from org.models import Appointment, Staff

from . import scoring
from .models import (
    Actual,
    AnnualScore,
    GradePolicy,
    Indicator,
    Period,
    PeriodScore,
    ProfileChoice,
    ProfileItem,
    QuotaAllocation,
    Scheme,
    SchemeItem,
    StaffTarget,
)

BATCH = 2000
RAW_PLACES = Decimal("1e-12")


def _raw(value: Decimal) -> Decimal:
    return value.quantize(RAW_PLACES)


def _level_at(appointments: list[tuple[dt.date, int]], on: dt.date, fallback: int | None):
    """The level of the latest appointment that started on or before ``on``."""
    level = None
    for start, level_id in appointments:  # sorted by start
        if start <= on:
            level = level_id
        else:
            break
    return level if level is not None else fallback


def resolve_schemes(staff_ids, periods) -> dict[tuple[int, int], int]:
    """``{(staff_id, period_id): scheme_id}``: the scheme that scores a staff member in a
    period — the one resolution every score and every multi-source rating uses.

    The company framework of the level they held at the period's end (their latest appointment
    started on or before it, else their current level), for the period's type; replaced by
    that framework's **unit variant** of their org unit or of its nearest ancestor unit that
    has one. Four queries for any number of staff (``staff_ids`` may be a subquery)."""
    periods = list(periods)
    types = {p.period_type for p in periods}
    frameworks = {
        (level_id, ptype): pk
        for pk, level_id, ptype in Scheme.objects.filter(
            period_type__in=types, parent__isnull=True
        ).values_list("pk", "level_id", "period_type")
    }
    variants: dict[int, dict[str, int]] = defaultdict(dict)
    for pk, parent_id, unit_path in Scheme.objects.filter(
        period_type__in=types, parent__isnull=False
    ).values_list("pk", "parent_id", "unit__path"):
        variants[parent_id][unit_path] = pk
    staff_rows = list(
        Staff.objects.filter(pk__in=staff_ids).values_list("id", "level_id", "unit__path")
    )
    history: dict[int, list] = defaultdict(list)
    for staff_id, start, level_id in (
        Appointment.objects.filter(staff_id__in=staff_ids)
        .order_by("staff_id", "start", "id")
        .values_list("staff_id", "start", "level_id")
    ):
        history[staff_id].append((start, level_id))
    result = {}
    for staff_id, level, unit_path in staff_rows:
        for period in periods:
            level_id = _level_at(history.get(staff_id, []), period.end, level)
            scheme_id = frameworks.get((level_id, period.period_type))
            if scheme_id is None:
                continue
            result[(staff_id, period.pk)] = _variant_for(
                variants.get(scheme_id), unit_path, scheme_id
            )
    return result


def _variant_for(variants: dict[str, int] | None, unit_path: str, framework_id: int) -> int:
    """The variant of the nearest unit on ``unit_path`` (the longest variant path it starts
    with), else the framework."""
    if not variants or not unit_path:
        return framework_id
    best = max((p for p in variants if unit_path.startswith(p)), key=len, default=None)
    return framework_id if best is None else variants[best]


def profile_weights(staff_ids, years, types) -> dict[tuple[int, int, str], dict[int, Decimal]]:
    """``{(staff_id, year, period_type): {indicator_id: weight}}`` of the approved assessment
    profiles (docs/kpi.md, "Assessment profiles"): in that year's periods of the framework's
    type they replace the scheme's weights — when the scheme scoring the period has exactly the
    profile's indicators. One query."""
    result: dict[tuple[int, int, str], dict[int, Decimal]] = defaultdict(dict)
    for staff_id, year, ptype, ind_id, weight in ProfileItem.objects.filter(
        profile__choices__status=ProfileChoice.Status.APPROVED,
        profile__choices__year__in=list(years),
        profile__choices__staff_id__in=staff_ids,
        profile__framework__period_type__in=list(types),
    ).values_list(
        "profile__choices__staff_id",
        "profile__choices__year",
        "profile__framework__period_type",
        "indicator_id",
        "weight",
    ):
        result[(staff_id, year, ptype)][ind_id] = weight
    return result


@dataclass(frozen=True)
class _Item:
    """A scheme item prepared once for the bulk loop: its scorer, what it needs, and the
    constant parts of its JSON."""

    indicator_id: int
    weight: Decimal
    default_target: Decimal | None
    needs_target: bool
    rating: bool
    score: Callable[[Any, str, Any], Decimal]
    head: str  # '{"indicator":7,"actual":"'
    tail: str  # '","target":"100.0000","weight":"40.00","score":"' (default target)
    weight_json: str  # '"weight":"40.00","score":"'


def _items(rows, indicators, scorers) -> list[_Item]:
    result = []
    for ind_id, weight, target in rows:
        method = indicators[ind_id][0]
        weight_json = f'"weight":"{weight:f}","score":"'
        result.append(
            _Item(
                ind_id,
                weight,
                target,
                method in scoring.NEEDS_TARGET,
                method == scoring.RATING,
                scorers[ind_id],
                f'{{"indicator":{ind_id},"actual":"',
                f'",{_target_json(target)},{weight_json}',
                weight_json,
            )
        )
    return result


def _target_json(target: Decimal | None) -> str:
    return '"target":null' if target is None else f'"target":"{target:f}"'


def recompute_periods(period_ids) -> int:
    """Recompute every period score of the given periods. Returns the number of scores.

    The periods' rows are locked (``FOR NO KEY UPDATE``, in id order) for the transaction, so
    two recomputations of one period run one after the other; when the periods have no score
    yet, the scores can then be written with a plain ``COPY`` (no conflict to resolve), else
    they go through the upsert."""
    period_ids = list(period_ids)
    if not period_ids:
        return 0
    with transaction.atomic():
        return _recompute_periods(period_ids)


@dataclass
class _Context:
    """What scoring a period's actuals needs, read once for the whole recomputation."""

    periods: dict[int, Period]
    indicators: dict[int, tuple]
    scorers: dict[int, Callable]
    scheme_items: dict[int, list[_Item]]
    resolved: dict[tuple[int, int], int]
    profiles: dict[tuple[int, int, str], dict[int, Decimal]]
    targets: dict[tuple, Decimal]
    own_targets: set[int]
    # The items of a scheme with an approved profile's weights, prepared once per pair.
    profiled: dict[tuple[int, tuple], list[_Item]]


def _context(period_ids: list[int]) -> _Context:
    periods = {
        p.pk: p
        for p in Period.objects.select_for_update(no_key=True)
        .filter(pk__in=period_ids)
        .order_by("pk")
    }
    in_periods = Actual.objects.filter(period_id__in=period_ids)
    staff_subquery = in_periods.values("staff_id")

    indicators = {
        pk: (method, params)
        for pk, method, params in Indicator.objects.values_list("id", "method", "params")
    }
    scorers = {pk: scoring.scorer(method, params) for pk, (method, params) in indicators.items()}
    types = {p.period_type for p in periods.values()}
    scheme_rows: dict[int, list] = defaultdict(list)
    for item_scheme, ind_id, weight, target in (
        SchemeItem.objects.filter(scheme__period_type__in=types)
        .order_by("scheme_id", "id")
        .values_list("scheme_id", "indicator_id", "weight", "target")
    ):
        scheme_rows[item_scheme].append((ind_id, weight, target))
    scheme_items = {pk: _items(rows, indicators, scorers) for pk, rows in scheme_rows.items()}
    resolved = resolve_schemes(staff_subquery, periods.values())
    _lock_references(period_ids, set(resolved.values()))
    profiles = profile_weights(staff_subquery, {p.year for p in periods.values()}, types)

    targets: dict[tuple, Decimal] = {}
    for staff_id, ind_id, period_id, target in StaffTarget.objects.filter(
        Q(period_id__in=period_ids) | Q(period__isnull=True), staff_id__in=staff_subquery
    ).values_list("staff_id", "indicator_id", "period_id", "target"):
        targets[(staff_id, ind_id, period_id)] = target
    return _Context(
        periods,
        indicators,
        scorers,
        scheme_items,
        resolved,
        profiles,
        targets,
        {key[0] for key in targets},
        {},
    )


def _recompute_periods(period_ids: list[int]) -> int:
    ctx = _context(period_ids)
    now = clock.now()
    # On PostgreSQL the scores go to the server by a COPY that stays open while the actuals
    # are scored, so it takes them on its own core as they come: straight into the table when
    # the periods have no score yet (they are locked: nobody else writes their scores), else
    # into a staging table for one upsert at the end. Scores left without actuals are deleted.
    existing = {
        (staff_id, period_id): pk
        for pk, staff_id, period_id in PeriodScore.objects.filter(
            period_id__in=period_ids
        ).values_list("id", "staff_id", "period_id")
    }
    kept: set[tuple[int, int]] = set()
    table, columns, key = PeriodScore._meta.db_table, PERIOD_SCORE_COLUMNS, PERIOD_SCORE_KEY
    actuals = _fetch_actuals(period_ids)
    with _writing(table, columns, key, now, new_only=not existing) as write:
        for row in _scored(actuals, ctx):
            kept.add((row[0], row[1]))
            write(row)
    stale = [pk for staff_period, pk in existing.items() if staff_period not in kept]
    for i in range(0, len(stale), BATCH):
        PeriodScore.objects.filter(pk__in=stale[i : i + BATCH]).delete()
    return len(kept)


def _scored(actuals: Iterator[tuple], ctx: _Context) -> Iterator[tuple]:
    """``(staff_id, period_id, scheme_id, total, total_raw, items as JSON text)`` of each
    staff member's period among ``actuals`` (in (period, staff) order) that has a score. No
    query: the caller may be writing on the connection meanwhile."""
    for (staff_id, period_id), group in groupby(actuals, key=_staff_period):
        scheme_id = ctx.resolved.get((staff_id, period_id))
        if scheme_id is None:
            continue
        items = ctx.scheme_items[scheme_id]
        if ctx.profiles:
            period = ctx.periods[period_id]
            chosen = ctx.profiles.get((staff_id, period.year, period.period_type))
            if chosen is not None and set(chosen) == {item.indicator_id for item in items}:
                key = (scheme_id, tuple(sorted(chosen.items())))
                if key not in ctx.profiled:
                    ctx.profiled[key] = _items(
                        [(i.indicator_id, chosen[i.indicator_id], i.default_target) for i in items],
                        ctx.indicators,
                        ctx.scorers,
                    )
                items = ctx.profiled[key]
        by_indicator = {row[1]: row for row in group}
        has_targets = staff_id in ctx.own_targets
        targets = ctx.targets
        weighted, shown = [], []
        for item in items:
            row = by_indicator.get(item.indicator_id)
            if row is None:
                continue
            value, grade = row[3], row[4]
            target = item.default_target
            tail = item.tail
            if has_targets:
                own = targets.get(
                    (staff_id, item.indicator_id, period_id),
                    targets.get((staff_id, item.indicator_id, None)),
                )
                if own is not None:
                    target = own
                    tail = f'",{_target_json(target)},{item.weight_json}'
            if item.needs_target and (target is None or target <= 0):
                continue
            if item.rating:
                if not grade:
                    continue
            elif value is None:
                continue
            item_score = item.score(value, grade, target)
            weighted.append((item.weight, item_score))
            # The JSON of {"indicator", "actual", "target", "weight", "score"}, written out
            # (every value is an id, a grade letter or a plain decimal: nothing to escape) —
            # json.dumps of 40,000 small lists costs more than the scoring.
            shown.append(
                f'{item.head}{grade or format(value, "f")}{tail}{round_score(item_score):f}"}}'
            )
        total = scoring.weighted_total(weighted)
        if total is None:
            continue
        yield (
            staff_id,
            period_id,
            scheme_id,
            round_score(total),
            _raw(total),
            "[" + ",".join(shown) + "]",
        )


def _lock_references(period_ids: list[int], scheme_ids: set[int]) -> None:
    """PostgreSQL: ``FOR KEY SHARE`` on the staff and the schemes the scores will refer to,
    for the transaction — the lock a foreign-key check takes, taken once per row referred to
    instead of once per score (``PeriodScore`` has no database constraint on them; the
    periods are locked already). Two queries. SQLite runs one writing transaction at a time."""
    if connection.vendor != "postgresql":
        return
    staff, actual = Staff._meta.db_table, Actual._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {staff} WHERE id IN "  # noqa: S608
            f"(SELECT staff_id FROM {actual} WHERE period_id = ANY(%s)) FOR KEY SHARE) s",
            [period_ids],
        )
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {Scheme._meta.db_table} "  # noqa: S608
            "WHERE id = ANY(%s) FOR KEY SHARE) s",
            [sorted(scheme_ids)],
        )


def _staff_period(row: tuple) -> tuple[int, int]:
    return row[0], row[2]


def _fetch_actuals(period_ids: list[int]) -> Iterator[tuple]:
    """``(staff_id, indicator_id, period_id, value, grade)`` of the periods' actuals, in
    (period, staff) order so that each staff member's period comes as one run: one query.
    On PostgreSQL the query has run, and its rows have arrived, when this returns (the
    connection is free for the ``COPY`` of the scores); they are then converted in large
    chunks straight from the driver (which returns the numeric column as ``Decimal``
    already) — the model layer's per-row work is most of the fetch time at 10⁵–10⁶ rows.
    Elsewhere through the ORM, whose converters turn SQLite's stored numbers into exact
    ``Decimal``."""
    query = (
        Actual.objects.filter(period_id__in=period_ids)
        .order_by("period_id", "staff_id")
        .values_list("staff_id", "indicator_id", "period_id", "value", "grade")
    )
    if connection.vendor != "postgresql":
        return query.iterator(chunk_size=BATCH * 5)
    sql, params = query.query.get_compiler(connection=connection).as_sql()
    cursor = connection.cursor()
    cursor.execute(sql, params)
    return _drained(cursor)


def _drained(cursor) -> Iterator[tuple]:
    with cursor:
        while chunk := cursor.fetchmany(BATCH * 25):
            yield from chunk


PERIOD_SCORE_COLUMNS = ("staff_id", "period_id", "scheme_id", "total", "total_raw", "items")
PERIOD_SCORE_KEY = ("staff_id", "period_id")
ANNUAL_SCORE_COLUMNS = (
    "staff_id",
    "year",
    "score",
    "score_raw",
    "periods",
    "grade",
    "threshold_grade",
    "unit_id",
    "unit_rank",
)


@contextmanager
def _writing(
    table: str, columns: tuple[str, ...], key: tuple[str, ...], now, *, new_only: bool = False
) -> Iterator[Callable[[tuple], None]]:
    """A writer of rows (values of ``columns``; ``computed_at`` = ``now`` is added) to
    ``table``, inserted or updated on ``key`` — never through the ORM, whose ``bulk_create``
    spends most of its time compiling each value, which matters at 10⁴–10⁵ rows.

    On PostgreSQL each row goes at once into one ``COPY``, which the server processes while
    the caller computes the next rows; the connection runs nothing else until the block
    ends. With ``new_only`` (rows known not to exist yet) the ``COPY`` goes straight into the
    table — no staging table, no conflict to look for —; otherwise into a temporary table of
    the target's column types (so ``COPY`` parses each value once, the JSON included, and
    nothing is cast), then one ``INSERT … SELECT … ON CONFLICT (key) DO UPDATE``. Elsewhere
    the rows are collected and written by that upsert with ``executemany`` in batches."""
    names = (*columns, "computed_at")
    listed = ", ".join(names)
    updates = ", ".join(f"{c} = excluded.{c}" for c in names if c not in key)
    conflict = f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    if connection.vendor != "postgresql":
        rows: list[tuple] = []
        yield rows.append
        stamp = connection.ops.adapt_datetimefield_value(now)
        marks = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {table} ({listed}) VALUES ({marks}) {conflict}"  # noqa: S608
        with connection.cursor() as cursor:
            for i in range(0, len(rows), BATCH * 5):
                cursor.executemany(sql, [(*row, stamp) for row in rows[i : i + BATCH * 5]])
        return
    with connection.cursor() as cursor:
        target = table
        if not new_only:
            target = f"{table}_stage"
            cursor.execute(f"DROP TABLE IF EXISTS {target}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {target} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {listed} FROM {table} WITH NO DATA"
            )
        with cursor.cursor.copy(f"COPY {target} ({listed}) FROM STDIN") as copy:
            yield lambda row: copy.write_row((*row, now))
        if not new_only:
            cursor.execute(
                f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {target} {conflict}"  # noqa: S608
            )
            cursor.execute(f"DROP TABLE {target}")


def _upsert(table: str, columns: tuple[str, ...], key: tuple[str, ...], rows, now) -> None:
    """Write ``rows`` through :func:`_writing`."""
    if not rows:
        return
    with _writing(table, columns, key, now) as write:
        for row in rows:
            write(row)


@dataclass(frozen=True)
class Thresholds:
    a_min: Decimal = Decimal(90)
    b_min: Decimal = Decimal(80)
    c_min: Decimal = Decimal(70)
    d_min: Decimal = Decimal(60)
    quota_a_pct: Decimal | None = None
    quota_ab_pct: Decimal | None = None
    period_type: str = "month"

    @classmethod
    def for_year(cls, year: int) -> Thresholds:
        policy = GradePolicy.objects.filter(year=year).first()
        if policy is None:
            return cls()
        return cls(
            policy.a_min,
            policy.b_min,
            policy.c_min,
            policy.d_min,
            policy.quota_a_pct,
            policy.quota_ab_pct,
            policy.period_type,
        )

    def grade_of(self, score: Decimal) -> str:
        if score >= self.a_min:
            return "A"
        if score >= self.b_min:
            return "B"
        if score >= self.c_min:
            return "C"
        if score >= self.d_min:
            return "D"
        return "E"


def _cap(n: int, pct: Decimal | None) -> int | None:
    if pct is None:
        return None
    return int(Decimal(n) * pct / 100)  # floor: a quota is a ceiling


def quota_ceilings(n: int, rules: Thresholds) -> tuple[int | None, int | None]:
    """The most A grades and the most A-or-B grades a quota unit of ``n`` scored staff may give
    (None: no quota): ⌊n × A% / 100⌋ (never above the A+B ceiling) and ⌊n × (A+B)% / 100⌋."""
    cap_a = _cap(n, rules.quota_a_pct)
    cap_ab = _cap(n, rules.quota_ab_pct)
    if cap_ab is not None:
        cap_a = cap_ab if cap_a is None else min(cap_a, cap_ab)
    return cap_a, cap_ab


def _take_groups(candidates: list[tuple[Decimal, int]], room: int) -> tuple[set[int], set[int]]:
    """Split candidates (sorted by score desc) into (taken, left) by whole tie groups."""
    taken: set[int] = set()
    i = 0
    while i < len(candidates):
        j = i
        while j < len(candidates) and candidates[j][0] == candidates[i][0]:
            j += 1
        if len(taken) + (j - i) > room:
            break
        taken.update(pk for _s, pk in candidates[i:j])
        i = j
    left = {pk for _s, pk in candidates[i:]}
    return taken, left


GRADE_ORDER = "ABCDE"


def _worse(a: str, b: str) -> str:
    return a if GRADE_ORDER.index(a) > GRADE_ORDER.index(b) else b


def grade_unit(
    scores: dict[int, Decimal],
    rules: Thresholds,
    *,
    ceilings: tuple[int | None, int | None] | None = None,
    fixed: dict[int, str] | None = None,
    exempt: set[int] | None = None,
) -> dict[int, tuple[str, str, int]]:
    """``{staff_id: (grade, threshold_grade, rank)}`` for one quota unit.

    ``scores`` are the rounded annual scores; rank is 1, 2, 2, 4 by descending score.
    ``ceilings`` (most A, most A-or-B) replace the policy's percentages when the year's quota
    allocation is published; ``fixed`` are HR's calibrated grades (never above the threshold
    grade), which take their places first; ``exempt`` are people granted a reserve place: they
    keep their threshold grade outside the unit's ceilings.
    """
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    ranks: dict[int, int] = {}
    for position, (pk, value) in enumerate(ordered, start=1):
        if position > 1 and value == scores[ordered[position - 2][0]]:
            ranks[pk] = ranks[ordered[position - 2][0]]
        else:
            ranks[pk] = position
    by_threshold = {pk: rules.grade_of(value) for pk, value in scores.items()}
    grades = dict(by_threshold)
    exempt = {pk for pk in exempt or () if pk in scores}
    fixed = {pk: g for pk, g in (fixed or {}).items() if pk in scores and pk not in exempt}
    for pk, grade in fixed.items():
        grades[pk] = _worse(grade, by_threshold[pk])
    counted = [pk for pk in scores if pk not in exempt]
    free = [pk for pk, _v in ordered if pk not in exempt and pk not in fixed]
    cap_a, cap_ab = quota_ceilings(len(scores), rules) if ceilings is None else ceilings
    if cap_a is not None:
        fixed_a = sum(1 for pk in fixed if grades[pk] == "A")
        candidates = [(scores[pk], pk) for pk in free if grades[pk] == "A"]
        _taken, left = _take_groups(candidates, max(cap_a - fixed_a, 0))
        for pk in left:
            grades[pk] = "B"
    if cap_ab is not None:
        n_a = sum(1 for pk in counted if grades[pk] == "A")
        fixed_b = sum(1 for pk in fixed if grades[pk] == "B")
        candidates = [(scores[pk], pk) for pk in free if grades[pk] == "B"]
        _taken, left = _take_groups(candidates, max(cap_ab - n_a - fixed_b, 0))
        for pk in left:
            grades[pk] = "C"
    return {pk: (grades[pk], by_threshold[pk], ranks[pk]) for pk in scores}


@dataclass
class Allocated:
    """A published quota allocation of a year, read in four queries: the unit ceilings, the
    people granted a reserve place and HR's calibrated grades."""

    ceilings: dict[int, tuple[int, int]]
    exempt: set[int]
    fixed: dict[int, str]

    @classmethod
    def for_year(cls, year: int) -> Allocated | None:
        allocation = QuotaAllocation.objects.filter(
            year=year, status=QuotaAllocation.Status.PUBLISHED
        ).first()
        if allocation is None:
            return None
        extra: dict[tuple[int, str], int] = defaultdict(int)
        exempt: set[int] = set()
        for unit_id, staff_id, grade in allocation.grants.values_list(
            "unit_id", "staff_id", "grade"
        ):
            if staff_id is not None:
                exempt.add(staff_id)
            else:
                extra[(unit_id, grade)] += 1
        ceilings = {}
        for unit_id, places_a, places_b in allocation.units.values_list(
            "unit_id", "places_a", "places_b"
        ):
            cap_a = places_a + extra[(unit_id, "A")]
            ceilings[unit_id] = (cap_a, cap_a + places_b + extra[(unit_id, "B")])
        fixed = dict(
            allocation.adjustments.order_by("adjusted_at", "pk").values_list("staff_id", "grade")
        )
        return cls(ceilings, exempt, fixed)

    def grade(self, unit_id: int, scores: dict[int, Decimal], rules: Thresholds):
        return grade_unit(
            scores,
            rules,
            ceilings=self.ceilings.get(unit_id),
            fixed=self.fixed,
            exempt=self.exempt,
        )


def recompute_years(years) -> int:
    """Recompute annual scores and grades of the given years for everyone scored in them."""
    count = 0
    for year in sorted(set(years)):
        rules = Thresholds.for_year(year)
        sums: dict[int, list] = {}
        for staff_id, raw in (
            PeriodScore.objects.filter(period__year=year, period__period_type=rules.period_type)
            .values_list("staff_id", "total_raw")
            .iterator(chunk_size=BATCH * 5)
        ):
            entry = sums.setdefault(staff_id, [Decimal(0), 0])
            entry[0] += raw
            entry[1] += 1
        units = dict(
            Staff.objects.filter(
                kpi_scores__period__year=year, kpi_scores__period__period_type=rules.period_type
            )
            .distinct()
            .values_list("id", "unit_id")
        )
        by_unit: dict[int, dict[int, Decimal]] = defaultdict(dict)
        raw_means: dict[int, Decimal] = {}
        for staff_id, (total, n) in sums.items():
            raw_means[staff_id] = total / n
            by_unit[units[staff_id]][staff_id] = round_score(raw_means[staff_id])
        now = clock.now()
        rows = []
        allocated = Allocated.for_year(year)
        for unit_id, scores in by_unit.items():
            graded = (
                grade_unit(scores, rules)
                if allocated is None
                else allocated.grade(unit_id, scores, rules)
            )
            for staff_id, (grade, threshold_grade, rank) in graded.items():
                rows.append(
                    (
                        staff_id,
                        year,
                        scores[staff_id],
                        _raw(raw_means[staff_id]),
                        sums[staff_id][1],
                        grade,
                        threshold_grade,
                        unit_id,
                        rank,
                    )
                )
        stale = [
            pk
            for pk, staff_id in AnnualScore.objects.filter(year=year).values_list("id", "staff_id")
            if staff_id not in sums
        ]
        for i in range(0, len(stale), BATCH):
            AnnualScore.objects.filter(pk__in=stale[i : i + BATCH]).delete()
        _upsert(AnnualScore._meta.db_table, ANNUAL_SCORE_COLUMNS, ("staff_id", "year"), rows, now)
        count += len(rows)
    return count


def recompute(period_ids, *, timings: dict[str, float] | None = None) -> tuple[int, int]:
    """Period scores of ``period_ids``, then the annual scores of their years; ``timings``
    (when given) receives the seconds of each ("period scores", "annual scores")."""
    period_ids = list(period_ids)
    mark = time.perf_counter()
    n_periods = recompute_periods(period_ids)
    years = set(Period.objects.filter(pk__in=period_ids).values_list("year", flat=True))
    middle = time.perf_counter()
    n_years = recompute_years(years)
    if timings is not None:
        timings["period scores"] = middle - mark
        timings["annual scores"] = time.perf_counter() - middle
    return n_periods, n_years
