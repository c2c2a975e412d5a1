"""Writes of the KPI app, one module per use-case group: indicators, schemes, targets,
periods, actuals and grades (``scores``); the assessment cycle's stages (``cycle``); the
appraisal — target acknowledgement, self-appraisal, review and answer (``appraisal``)."""

from .appraisal import (
    appraisal_respond,
    appraisal_review_record,
    appraisal_self_save,
    appraisal_targets_acknowledge,
)
from .cycle import (
    participants,
    period_lock,
    period_stage_advance,
    period_stage_schedule,
    period_targets_publish,
    stage_rows_ensure,
)
from .profiles import profile_approve, profile_choose, profile_refuse, profile_save
from .quotas import allocation_publish, allocation_save, grades_calibrate, quota_grant
from .ratings import rater_assign, rating_client_enter, rating_submit
from .scores import (
    actual_correct,
    actual_enter,
    actual_parse,
    annual_scores_recompute,
    indicator_save,
    period_create,
    policy_save,
    require_office,
    scheme_save,
    target_set,
)

__all__ = [
    "actual_correct",
    "actual_enter",
    "actual_parse",
    "allocation_publish",
    "allocation_save",
    "annual_scores_recompute",
    "appraisal_respond",
    "appraisal_review_record",
    "appraisal_self_save",
    "appraisal_targets_acknowledge",
    "grades_calibrate",
    "indicator_save",
    "participants",
    "period_create",
    "period_lock",
    "period_stage_advance",
    "period_stage_schedule",
    "period_targets_publish",
    "policy_save",
    "profile_approve",
    "profile_choose",
    "profile_refuse",
    "profile_save",
    "quota_grant",
    "rater_assign",
    "rating_client_enter",
    "rating_submit",
    "require_office",
    "scheme_save",
    "stage_rows_ensure",
    "target_set",
]
