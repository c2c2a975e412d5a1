"""The eligibility engine of the qualification review (DOMAIN.md, "Certification", step 2).

Each rule is a small object with a ``code`` that evaluates one condition for a staff member,
a target level and a reference date, and answers ``passed`` with human-readable evidence
(``RuleResult.detail``, rendered in the active language: "培训学分 36/40，差 4 分").
A result keeps its message key and parameters, so a stored snapshot renders again in the
reader's language. Thresholds come from the target level's :class:`EligibilityPolicy`
(defaults when it has none); figures come from the other apps through ``sources``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from core.numbers import to_decimal
from org.models import Level, Staff
from org.services import add_years

from . import sources
from .models import DisciplinaryRecord, EligibilityPolicy

GRADES = ("A", "B", "C", "D", "E")

MESSAGES = {
    "level.pass": _("Current level %(current)s is directly below %(target)s"),
    "level.fail": _("Current level %(current)s is not directly below %(target)s"),
    "level.none": _("No current level"),
    "years.pass": _(
        "%(years)s whole years at current level since %(since)s (as of %(on)s), "
        "%(required)s required"
    ),
    "years.fail": _(
        "%(years)s whole years at current level since %(since)s (as of %(on)s), "
        "%(required)s required, %(short)s short"
    ),
    "years.none": _("Date at current level unknown"),
    "grade.pass": _("Annual grade %(year)s: %(grade)s (%(required)s or better required)"),
    "grade.fail": _("Annual grade %(year)s: %(grade)s, below %(required)s"),
    "grade.none": _("No annual grade for %(year)s"),
    "credits.pass": _("Training credits %(credits)s/%(required)s"),
    "credits.fail": _("Training credits %(credits)s/%(required)s, %(short)s short"),
    "courses.pass": _("All required courses done"),
    "courses.fail": _("Required courses missing: %(courses)s"),
    "competency.pass": _("Competency index %(index)s (%(required)s required)"),
    "competency.fail": _("Competency index %(index)s, below %(required)s"),
    "competency.none": _("No competency index yet"),
    "discipline.pass": _("No disciplinary record since %(since)s"),
    "discipline.fail": _("Disciplinary record on %(date)s: %(kind)s"),
    "recert.pass": _("Not under re-certification"),
    "recert.fail": _("Under re-certification at %(level)s since %(date)s"),
    "nodata.kpi": _("No data: KPI results are not available"),
    "nodata.training": _("No data: training records are not available"),
    "nodata.competency": _("No data: competency assessments are not available"),
}

RULE_LABELS = {
    "level_below": _("Current level directly below the target"),
    "years_at_level": _("Years at current level"),
    "annual_grade": _("Last annual grade"),
    "training_credits": _("Training credits in the last 12 months"),
    "required_courses": _("Required courses"),
    "competency_index": _("Competency index"),
    "no_discipline": _("No disciplinary record"),
    "not_recertification": _("Not under re-certification"),
}

REQUIRED_TEXT = {
    "required_courses": _("All required courses"),
    "no_discipline": _("None in the period"),
    "not_recertification": _("No open case"),
}


def fmt(value) -> str:
    """A number as people write it: 36, 36.5, never 36.00 or 3.6E+1."""
    d = to_decimal(value).normalize()
    return f"{d:f}"


def minus_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def whole_years(since: dt.date, on: dt.date) -> int:
    """Whole years from ``since`` to ``on``: the anniversary itself completes a year."""
    years = on.year - since.year
    if add_years(since, years) > on:
        years -= 1
    return max(years, 0)


@dataclass
class RuleResult:
    code: str
    passed: bool
    key: str
    params: dict = field(default_factory=dict)

    @property
    def detail(self) -> str:
        return str(MESSAGES[self.key]) % self.params if self.params else str(MESSAGES[self.key])

    @property
    def label(self) -> str:
        return str(RULE_LABELS.get(self.code, self.code))

    @property
    def required(self) -> str:
        """What the rule asks for, in the reader's language ("40", "B or better")."""
        p = self.params
        if self.key.startswith("nodata."):
            return "—"
        if self.code == "level_below":
            return str(_("Directly below %(target)s")) % p if "target" in p else "—"
        if self.code == "years_at_level" and "required" in p:
            return str(_("%(required)s years")) % p
        if self.code == "annual_grade" and "required" in p:
            return str(_("%(required)s or better")) % p
        if self.code == "training_credits" and "required" in p and "target" in p:
            return str(_("Promotion to %(target)s requires %(required)s credits")) % p
        if self.code in ("training_credits", "competency_index") and "required" in p:
            return str(p["required"])
        return str(REQUIRED_TEXT.get(self.code, "—"))

    @property
    def actual(self) -> str:
        """What the staff member has, in the reader's language ("36", "A", "2 years")."""
        p = self.params
        if self.key.startswith("nodata.") or self.key.endswith(".none"):
            return str(MESSAGES[self.key]) % p if p else str(MESSAGES[self.key])
        if self.code == "level_below":
            return str(p.get("current", "—"))
        if self.code == "years_at_level":
            return str(_("%(years)s years (since %(since)s)")) % p
        if self.code == "annual_grade":
            return str(_("%(grade)s (%(year)s)")) % p
        if self.code == "training_credits":
            if "short" in p:
                return str(_("%(credits)s (%(short)s short)")) % p
            return str(p["credits"])
        if self.code == "competency_index":
            return str(p["index"])
        return self.detail

    def as_dict(self) -> dict:
        return {"code": self.code, "passed": self.passed, "key": self.key, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict) -> RuleResult:
        return cls(data["code"], data["passed"], data["key"], data.get("params") or {})


@dataclass
class Policy:
    min_years_at_level: int = 2
    min_grade: str = "B"
    min_credits_12m: Decimal | None = None
    require_courses: bool = True
    min_competency_index: Decimal = Decimal("60")
    discipline_months: int = 12

    @classmethod
    def for_level(cls, level: Level) -> Policy:
        """The thresholds of ``level``: read with it where it was fetched with its policy
        (:func:`next_level`), else one query."""
        row: EligibilityPolicy | None
        if Level.eligibility_policy.is_cached(level):
            row = getattr(level, "eligibility_policy", None)
        else:
            row = EligibilityPolicy.objects.filter(level=level).first()
        if row is None:
            return cls()
        return cls(
            row.min_years_at_level,
            row.min_grade,
            row.min_credits_12m,
            row.require_courses,
            row.min_competency_index,
            row.discipline_months,
        )


class Context:
    """What the rules read for one staff member; each source is fetched once, on demand."""

    def __init__(self, staff: Staff, target: Level, on_date: dt.date, policy: Policy):
        self.staff, self.target, self.on_date, self.policy = staff, target, on_date, policy

    @property
    def grade_year(self) -> int:
        """The last completed appraisal year before the reference date."""
        return self.on_date.year - 1

    @cached_property
    def annual(self):
        scores = sources.annual_scores([self.staff.pk], self.grade_year)
        return None if scores is None else (scores.get(self.staff.pk) or False)

    @cached_property
    def training(self):
        return sources.training_summary(self.staff, self.on_date, level=self.target)

    @cached_property
    def competency(self):
        indexes = sources.competency_indexes([self.staff.pk], on_date=self.on_date)
        return None if indexes is None else indexes.get(self.staff.pk, False)

    @property
    def discipline_since(self) -> dt.date:
        return minus_months(self.on_date, self.policy.discipline_months)

    @cached_property
    def discipline(self):
        """The latest disciplinary record in the policy's window, or ``None``."""
        return (
            DisciplinaryRecord.objects.filter(
                staff=self.staff, date__gt=self.discipline_since, date__lte=self.on_date
            )
            .order_by("-date")
            .first()
        )

    @cached_property
    def recertification(self):
        return sources.open_recertification(self.staff.pk)


class Rule:
    code = ""

    def evaluate(self, ctx: Context) -> RuleResult:  # pragma: no cover - interface
        raise NotImplementedError

    def result(self, passed: bool, key: str, **params) -> RuleResult:
        return RuleResult(self.code, passed, key, params)


class LevelBelowRule(Rule):
    code = "level_below"

    def evaluate(self, ctx):
        level = ctx.staff.level
        if level is None:
            return self.result(False, "level.none")
        passed = level.track_id == ctx.target.track_id and level.order + 1 == ctx.target.order
        return self.result(
            passed,
            "level.pass" if passed else "level.fail",
            current=str(level),
            target=str(ctx.target),
        )


class YearsAtLevelRule(Rule):
    code = "years_at_level"

    def evaluate(self, ctx):
        since = ctx.staff.level_since
        if since is None:
            return self.result(False, "years.none")
        years = whole_years(since, ctx.on_date)
        required = ctx.policy.min_years_at_level
        params = {
            "years": years,
            "since": since.isoformat(),
            "on": ctx.on_date.isoformat(),
            "required": required,
        }
        if years >= required:
            return self.result(True, "years.pass", **params)
        return self.result(False, "years.fail", short=required - years, **params)


class AnnualGradeRule(Rule):
    code = "annual_grade"

    def evaluate(self, ctx):
        if ctx.annual is None:
            return self.result(False, "nodata.kpi")
        grade = (getattr(ctx.annual, "grade", "") or "") if ctx.annual else ""
        if grade not in GRADES:
            return self.result(False, "grade.none", year=ctx.grade_year)
        required = ctx.policy.min_grade
        passed = GRADES.index(grade) <= GRADES.index(required)
        return self.result(
            passed,
            "grade.pass" if passed else "grade.fail",
            year=ctx.grade_year,
            grade=grade,
            required=required,
        )


class TrainingCreditsRule(Rule):
    """Credits in the last 12 months against the target level's minimum. ``for_promotion``
    names the target level in the result ("Promotion to L3 requires 40 credits"); re-appointment
    measures against the current level and leaves it out."""

    code = "training_credits"

    def __init__(self, *, for_promotion: bool = False):
        self.for_promotion = for_promotion

    def evaluate(self, ctx):
        summary = ctx.training
        if summary is None:
            return self.result(False, "nodata.training")
        credits = to_decimal(summary.credits_12m or 0)
        required = ctx.policy.min_credits_12m
        if required is None:
            required = to_decimal(summary.required_credits or 0)
        params = {"credits": fmt(credits), "required": fmt(required)}
        if self.for_promotion:
            params["target"] = ctx.target.code
        if credits >= required:
            return self.result(True, "credits.pass", **params)
        return self.result(False, "credits.fail", short=fmt(required - credits), **params)


class RequiredCoursesRule(Rule):
    code = "required_courses"

    def evaluate(self, ctx):
        summary = ctx.training
        if summary is None:
            return self.result(False, "nodata.training")
        missing = [str(c) for c in (summary.missing_courses or [])]
        if not missing or not ctx.policy.require_courses:
            return self.result(True, "courses.pass")
        return self.result(False, "courses.fail", courses="、".join(missing))


class CompetencyIndexRule(Rule):
    code = "competency_index"

    def evaluate(self, ctx):
        index = ctx.competency
        if index is None:
            return self.result(False, "nodata.competency")
        if index is False:
            return self.result(False, "competency.none")
        index = to_decimal(index)
        required = ctx.policy.min_competency_index
        passed = index >= required
        return self.result(
            passed,
            "competency.pass" if passed else "competency.fail",
            index=fmt(index),
            required=fmt(required),
        )


class NoDisciplineRule(Rule):
    code = "no_discipline"

    def evaluate(self, ctx):
        since = ctx.discipline_since
        record = ctx.discipline
        if record is None:
            return self.result(True, "discipline.pass", since=since.isoformat())
        return self.result(False, "discipline.fail", date=record.date.isoformat(), kind=record.kind)


class NotUnderRecertificationRule(Rule):
    code = "not_recertification"

    def evaluate(self, ctx):
        case = ctx.recertification
        if case is None:
            return self.result(True, "recert.pass")
        return self.result(
            False,
            "recert.fail",
            level=case["level"],
            date=case["date"],
        )


RULES: list[Rule] = [
    LevelBelowRule(),
    YearsAtLevelRule(),
    AnnualGradeRule(),
    TrainingCreditsRule(for_promotion=True),
    RequiredCoursesRule(),
    CompetencyIndexRule(),
    NoDisciplineRule(),
    NotUnderRecertificationRule(),
]


@dataclass
class Evaluation:
    rules: list[RuleResult]

    @property
    def eligible(self) -> bool:
        return all(r.passed for r in self.rules)

    def snapshot(self) -> list[dict]:
        return [r.as_dict() for r in self.rules]

    @classmethod
    def from_snapshot(cls, data: list[dict]) -> Evaluation:
        return cls([RuleResult.from_dict(d) for d in data or []])


def next_level(staff: Staff) -> Level | None:
    """The level directly above the staff member's current one on their track, with its
    eligibility policy (``Policy.for_level`` reads it without a query of its own)."""
    if staff.level is None:
        return None
    return (
        Level.objects.filter(track_id=staff.track_id, order=staff.level.order + 1)
        .select_related("eligibility_policy")
        .first()
    )


def evaluate(staff: Staff, target: Level, on_date: dt.date) -> Evaluation:
    """Every rule for ``staff`` applying to ``target`` as of ``on_date``."""
    ctx = Context(staff, target, on_date, Policy.for_level(target))
    return Evaluation([rule.evaluate(ctx) for rule in RULES])


def evaluate_many(*, staff_list: list[Staff], on_date: dt.date) -> dict[int, Evaluation]:
    """Every rule for each staff member applying to the level directly above theirs, as of
    ``on_date``, for many staff at once: ``{staff_id: Evaluation}`` (staff at the top of their
    ladder, or without a level, are absent). The same rules and figures as :func:`evaluate`,
    fetched set-based — a constant number of queries whatever the number of staff (levels,
    policies, annual grades, training, competency indexes, discipline, re-certification).
    ``staff_list`` should carry ``level`` (``select_related("level")``)."""
    levels = {(lv.track_id, lv.order): lv for lv in Level.objects.all()}
    targets = {}
    for staff in staff_list:
        if staff.level is None:
            continue
        target = levels.get((staff.level.track_id, staff.level.order + 1))
        if target is not None:
            targets[staff.pk] = target
    if not targets:
        return {}
    chosen = [s for s in staff_list if s.pk in targets]
    ids = [s.pk for s in chosen]
    rows = {
        row.level_id: row for row in EligibilityPolicy.objects.filter(level__in=targets.values())
    }
    policies = {}
    for level in {t.pk: t for t in targets.values()}.values():
        row = rows.get(level.pk)
        policies[level.pk] = (
            Policy()
            if row is None
            else Policy(
                row.min_years_at_level,
                row.min_grade,
                row.min_credits_12m,
                row.require_courses,
                row.min_competency_index,
                row.discipline_months,
            )
        )
    annual = sources.annual_scores(ids, on_date.year - 1)
    indexes = sources.competency_indexes(ids, on_date=on_date)
    training = sources.training_summaries(chosen, on_date, levels=targets)
    earliest = min(minus_months(on_date, p.discipline_months) for p in policies.values())
    records: dict[int, list] = {}
    for record in DisciplinaryRecord.objects.filter(
        staff_id__in=ids, date__gt=earliest, date__lte=on_date
    ).order_by("-date", "-id"):
        records.setdefault(record.staff_id, []).append(record)
    recerts = sources.open_recertifications(ids)
    out = {}
    for staff in chosen:
        target = targets[staff.pk]
        ctx = Context(staff, target, on_date, policies[target.pk])
        since = ctx.discipline_since
        prefilled = {
            "annual": None if annual is None else (annual.get(staff.pk) or False),
            "training": training.get(staff.pk),
            "competency": None if indexes is None else indexes.get(staff.pk, False),
            "discipline": next((r for r in records.get(staff.pk, []) if r.date > since), None),
            "recertification": recerts.get(staff.pk),
        }
        ctx.__dict__.update(prefilled)
        out[staff.pk] = Evaluation([rule.evaluate(ctx) for rule in RULES])
    return out
