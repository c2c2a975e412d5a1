"""Models of the KPI app: indicators, schemes, periods, actuals and scores (``scores``) and
the assessment cycle with its appraisals (``cycle``)."""

from .cycle import STEPS, Appraisal, PeriodStage, Stage, StageState
from .scores import (
    PERIOD_CODE,
    Actual,
    AnnualScore,
    Correction,
    GradePolicy,
    ImportBatch,
    Indicator,
    Period,
    PeriodScore,
    PeriodType,
    Scheme,
    SchemeItem,
    StaffTarget,
    parse_period_code,
)

__all__ = [
    "PERIOD_CODE",
    "STEPS",
    "Actual",
    "AnnualScore",
    "Appraisal",
    "Correction",
    "GradePolicy",
    "ImportBatch",
    "Indicator",
    "Period",
    "PeriodScore",
    "PeriodStage",
    "PeriodType",
    "Scheme",
    "SchemeItem",
    "StaffTarget",
    "Stage",
    "StageState",
    "parse_period_code",
]
