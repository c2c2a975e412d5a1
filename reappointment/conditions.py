"""The conditions of re-appointment (续聘条件) and the outcome they suggest.

Training is a condition of re-appointment (DOMAIN.md "Training", 篇14) together with the
annual grades of the term. The training conditions are *the same rule objects* as the
promotion eligibility of certification (``certification.eligibility.TrainingCreditsRule`` and
``RequiredCoursesRule``): one implementation. Only the grades condition differs from
promotion (every grade of the term, not the last one), so it is a rule of this app with the
same shape (``code``, ``evaluate(ctx) -> RuleResult`` with ``passed`` and evidence).

Rules (documented in docs/reappointment.md):

- ``training_credits``: credits in the last 12 months of the evaluation date ≥ the minimum of
  the staff member's current level (training requirement); the evidence states the shortfall;
- ``required_courses``: every required course of the level passed on or before that date;
- ``term_grades``: every annual grade of the term's completed appraisal years (the years from
  the term's start year to the year before the evaluation date, and not after the term's end
  year) is ``C`` (合格) or better. A year without a grade is shown, not held against anyone.

Suggested outcome: a failed grade → ``referred`` (re-certification at the current level);
otherwise a failed training condition → ``renewed_with_conditions``; otherwise ``renewed``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from certification.eligibility import Context, Policy, RequiredCoursesRule, TrainingCreditsRule
from core.numbers import to_decimal

GRADES = "ABCDE"
MIN_TERM_GRADE = "C"
# How long a conditional renewal gives to make up the credits.
CONDITION_MONTHS = 6

OUTCOME_RENEWED = "renewed"
OUTCOME_CONDITIONS = "renewed_with_conditions"
OUTCOME_REFERRED = "referred"

TRAINING_CODES = ("training_credits", "required_courses")

MESSAGES = {
    "term_grades.pass": _("Annual grades during the term: %(grades)s (%(required)s or better)"),
    "term_grades.fail": _(
        "Annual grades during the term: %(grades)s; below %(required)s in %(failed)s"
    ),
    "term_grades.none": _("No completed appraisal year in the term yet"),
    "nodata.kpi": _("No data: KPI results are not available"),
    "nodata.training": _("No data: training records are not available"),
    "credits.pass": _("Training credits %(credits)s/%(required)s"),
    "credits.fail": _("Training credits %(credits)s/%(required)s, %(short)s short"),
    "courses.pass": _("All required courses done"),
    "courses.fail": _("Required courses missing: %(courses)s"),
}
# The same findings without the words of their label, for lists that print the label first
# ("Annual grades during the term: A, B (C or better)", not the label twice).
FINDINGS = {
    "term_grades.pass": _("%(grades)s (%(required)s or better)"),
    "term_grades.fail": _("%(grades)s; below %(required)s in %(failed)s"),
    "credits.pass": _("%(credits)s of %(required)s credits"),
    "credits.fail": _("%(credits)s of %(required)s credits, %(short)s short"),
}
LABELS = {
    "training_credits": _("Training credits in the last 12 months"),
    "required_courses": _("Required courses"),
    "term_grades": _("Annual grades during the term"),
}


def fmt(value) -> str:
    """A number as people write it: 36, 36.5 — never 36.00 or 3.6E+1."""
    return f"{to_decimal(value).normalize():f}"


@dataclass
class Evidence:
    """One rule's result in this app's terms (rendered in the reader's language)."""

    code: str
    passed: bool
    key: str
    params: dict = field(default_factory=dict)
    text: str = ""  # the rendered text of a foreign rule result (certification's messages)

    @property
    def detail(self) -> str:
        template = MESSAGES.get(self.key)
        if template is None:
            return self.text or self.key
        return str(template) % self.params if self.params else str(template)

    @property
    def label(self) -> str:
        return str(LABELS.get(self.code, self.code))

    @property
    def finding(self) -> str:
        """What was found, to print after :attr:`label` (the label's words not repeated)."""
        template = FINDINGS.get(self.key)
        if template is None or not self.params:
            return self.detail
        return str(template) % self.params

    def as_dict(self) -> dict:
        return {"code": self.code, "passed": self.passed, "key": self.key, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict) -> Evidence:
        return cls(data["code"], bool(data["passed"]), data["key"], data.get("params") or {})

    @classmethod
    def from_rule_result(cls, result) -> Evidence:
        return cls(
            result.code, bool(result.passed), result.key, dict(result.params), str(result.detail)
        )


class GradesContext:
    """What :class:`TermGradesRule` reads: the term and the grades by year (preloaded)."""

    def __init__(self, *, start: dt.date, end: dt.date, on_date: dt.date, grades: dict | None):
        self.start, self.end, self.on_date, self.grades = start, end, on_date, grades

    @cached_property
    def years(self) -> list[int]:
        return term_years(self.start, self.end, self.on_date)


def term_years(start: dt.date, end: dt.date, on_date: dt.date) -> list[int]:
    """The completed appraisal years of a term as of ``on_date``."""
    last = min(end.year, on_date.year - 1)
    return list(range(start.year, last + 1))


class TermGradesRule:
    """Every annual grade of the term is ``MIN_TERM_GRADE`` or better."""

    code = "term_grades"

    def evaluate(self, ctx: GradesContext) -> Evidence:
        if ctx.grades is None:
            return Evidence(self.code, False, "nodata.kpi")
        if not ctx.years:
            return Evidence(self.code, True, "term_grades.none")
        shown, failed = [], []
        for year in ctx.years:
            grade = ctx.grades.get(year) or ""
            shown.append(f"{year} {grade or '—'}")
            if grade in GRADES and GRADES.index(grade) > GRADES.index(MIN_TERM_GRADE):
                failed.append(str(year))
        params = {"grades": ", ".join(shown), "required": MIN_TERM_GRADE}
        if failed:
            return Evidence(
                self.code, False, "term_grades.fail", {**params, "failed": ", ".join(failed)}
            )
        return Evidence(self.code, True, "term_grades.pass", params)


@dataclass
class Evaluation:
    """All conditions for one expiring term."""

    evidence: list[Evidence]
    shortfall: Decimal | None = None
    missing_courses: list[str] = field(default_factory=list)
    credits: Decimal | None = None
    required_credits: Decimal | None = None

    def get(self, code: str) -> Evidence | None:
        return next((e for e in self.evidence if e.code == code), None)

    @property
    def all_passed(self) -> bool:
        """Every condition met. Missing KPI data (the KPI app not installed) is shown but does
        not block: only a grade actually below the minimum does."""
        return all(e.passed or e.key == "nodata.kpi" for e in self.evidence)

    @property
    def training_failed(self) -> bool:
        return any(not e.passed for e in self.evidence if e.code in TRAINING_CODES)

    @property
    def grades_failed(self) -> bool:
        grades = self.get("term_grades")
        return grades is not None and not grades.passed and grades.key != "nodata.kpi"

    @property
    def suggested_outcome(self) -> str:
        if self.grades_failed:
            return OUTCOME_REFERRED
        if not self.all_passed:
            return OUTCOME_CONDITIONS
        return OUTCOME_RENEWED

    def snapshot(self) -> list[dict]:
        return [e.as_dict() for e in self.evidence]

    @classmethod
    def from_snapshot(cls, data: list[dict] | None) -> Evaluation:
        return cls([Evidence.from_dict(d) for d in data or []])


# --- the shared training rules of certification --------------------------------------------------


def training_rules() -> list:
    """Certification's rule objects: credits of the last 12 months, required courses."""
    return [TrainingCreditsRule(), RequiredCoursesRule()]


def evaluate_training(staff, level, on_date: dt.date, summary) -> list[Evidence]:
    """Certification's training rules (credits of the last 12 months, required courses) on a
    summary preloaded in bulk (``training.selectors.training_summaries``)."""
    # The default policy takes the minimum from the level's training requirement (the
    # re-appointment condition), not from a promotion policy.
    ctx = Context(staff, level, on_date, Policy())
    ctx.__dict__["training"] = summary  # preloaded in bulk: no query per person
    return [Evidence.from_rule_result(rule.evaluate(ctx)) for rule in training_rules()]


def evaluate(
    *, staff, level, start: dt.date, end: dt.date, on_date: dt.date, summary, grades: dict | None
) -> Evaluation:
    """Every condition for one term, from preloaded data (see ``selectors.readiness``)."""
    evidence = evaluate_training(staff, level, on_date, summary)
    evidence.append(
        TermGradesRule().evaluate(
            GradesContext(start=start, end=end, on_date=on_date, grades=grades)
        )
    )
    evaluation = Evaluation(evidence)
    if summary is not None:
        evaluation.credits = to_decimal(summary.credits_12m or 0)
        if summary.required_credits is not None:
            evaluation.required_credits = to_decimal(summary.required_credits)
            evaluation.shortfall = max(evaluation.required_credits - evaluation.credits, Decimal(0))
        evaluation.missing_courses = [str(c) for c in (summary.missing_courses or [])]
    return evaluation
