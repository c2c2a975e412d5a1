"""The conditions reuse certification's rule objects (one implementation) and the grades rule
is table-driven."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from reappointment import conditions


def test_training_conditions_are_certifications_rule_objects():
    from certification.eligibility import RequiredCoursesRule, TrainingCreditsRule

    rules = conditions.training_rules()
    assert [type(r) for r in rules] == [TrainingCreditsRule, RequiredCoursesRule]


def _summary(credits, required, missing=()):
    return SimpleNamespace(
        credits_12m=Decimal(credits),
        required_credits=None if required is None else Decimal(required),
        missing_courses=list(missing),
    )


@pytest.mark.parametrize(
    ("credits", "required", "passed", "params"),
    [
        ("40", "40", True, {"credits": "40", "required": "40"}),
        ("36", "40", False, {"credits": "36", "required": "40", "short": "4"}),
        ("39.5", "40", False, {"credits": "39.5", "required": "40", "short": "0.5"}),
        ("0", None, True, {"credits": "0", "required": "0"}),
    ],
)
def test_credit_condition_boundaries(db, credits, required, passed, params):
    staff = SimpleNamespace(pk=1, level=None)
    evidence = conditions.evaluate_training(
        staff, None, dt.date(2026, 11, 16), _summary(credits, required)
    )
    rule = evidence[0]
    assert (rule.code, rule.passed, rule.params) == ("training_credits", passed, params)


@pytest.mark.parametrize(
    ("grades", "passed", "key"),
    [
        ({2024: "A", 2025: "C"}, True, "term_grades.pass"),
        ({2024: "B", 2025: "D"}, False, "term_grades.fail"),
        ({2024: "E"}, False, "term_grades.fail"),
        ({}, True, "term_grades.pass"),  # no grade yet: shown, not held against anyone
        (None, False, "nodata.kpi"),
    ],
)
def test_term_grades(grades, passed, key):
    ctx = conditions.GradesContext(
        start=dt.date(2024, 1, 10),
        end=dt.date(2027, 1, 10),
        on_date=dt.date(2026, 11, 16),
        grades=grades,
    )
    result = conditions.TermGradesRule().evaluate(ctx)
    assert (result.passed, result.key) == (passed, key)


def test_term_years_are_the_completed_years_within_the_term():
    assert conditions.term_years(
        dt.date(2024, 1, 10), dt.date(2027, 1, 10), dt.date(2026, 11, 16)
    ) == [2024, 2025]
    assert conditions.term_years(
        dt.date(2024, 1, 10), dt.date(2027, 1, 10), dt.date(2028, 3, 1)
    ) == [2024, 2025, 2026, 2027]
    assert (
        conditions.term_years(dt.date(2026, 3, 1), dt.date(2029, 3, 1), dt.date(2026, 11, 16)) == []
    )


def test_suggested_outcome_and_missing_kpi_data():
    E = conditions.Evidence
    referred = conditions.Evaluation(
        [E("training_credits", True, "credits.pass"), E("term_grades", False, "term_grades.fail")]
    )
    assert referred.suggested_outcome == "referred"
    conditional = conditions.Evaluation(
        [E("training_credits", False, "credits.fail"), E("term_grades", True, "term_grades.pass")]
    )
    assert conditional.suggested_outcome == "renewed_with_conditions"
    no_kpi = conditions.Evaluation(
        [E("training_credits", True, "credits.pass"), E("term_grades", False, "nodata.kpi")]
    )
    assert no_kpi.all_passed and no_kpi.suggested_outcome == "renewed"
