"""Models of the KPI app: indicators, schemes, periods, actuals and scores (``scores``) and
the assessment cycle with its appraisals (``cycle``)."""

from .cycle import PLANNED_STAGE_CHOICES, Appraisal, PeriodStage, Stage, StageState
from .profiles import AssessmentProfile, ProfileChoice, ProfileItem
from .quotas import QuotaAdjustment, QuotaAllocation, QuotaGrant, UnitQuota
from .ratings import (
    ANONYMOUS_TYPES,
    DEFAULT_RATER_WEIGHTS,
    MIN_SHOWN,
    QualitativeRating,
    RaterAssignment,
    RaterType,
)
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
    "ANONYMOUS_TYPES",
    "DEFAULT_RATER_WEIGHTS",
    "MIN_SHOWN",
    "PERIOD_CODE",
    "PLANNED_STAGE_CHOICES",
    "Actual",
    "AnnualScore",
    "Appraisal",
    "AssessmentProfile",
    "Correction",
    "GradePolicy",
    "ImportBatch",
    "Indicator",
    "Period",
    "PeriodScore",
    "PeriodStage",
    "PeriodType",
    "ProfileChoice",
    "ProfileItem",
    "QualitativeRating",
    "QuotaAdjustment",
    "QuotaAllocation",
    "QuotaGrant",
    "RaterAssignment",
    "RaterType",
    "Scheme",
    "SchemeItem",
    "StaffTarget",
    "Stage",
    "StageState",
    "UnitQuota",
    "parse_period_code",
]
