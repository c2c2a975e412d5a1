"""Writes for training (DOMAIN.md, "Training"), one module per use-case group. One function
per use case: each checks role and state, locks what it changes, writes, and records an audit
event in the same transaction.

Callers import from here (``from training import services``); the names below are the public
surface.
"""

from .activities import activity_record
from .catalogue import (
    COURSE_FIELDS,
    SESSION_FIELDS,
    course_save,
    enrolment_withdraw,
    session_cancel,
    session_complete,
    session_enrol,
    session_results_record,
    session_save,
)
from .common import require_office
from .evaluations import evaluation_closes, evaluation_submit
from .goals import goal_add, goal_remove, may_set_goals
from .packages import package_choose, package_grant, package_use, package_used
from .plans import plan_approve, plan_line_add, plan_line_remove, plan_save, plan_total
from .records import (
    CERTIFICATE_KINDS,
    certificate_file_check,
    certificate_max_bytes,
    certificate_reject,
    certificate_submit,
    certificate_verify,
)
from .requirements import requirement_save

__all__ = [
    "CERTIFICATE_KINDS",
    "COURSE_FIELDS",
    "SESSION_FIELDS",
    "activity_record",
    "certificate_file_check",
    "certificate_max_bytes",
    "certificate_reject",
    "certificate_submit",
    "certificate_verify",
    "course_save",
    "enrolment_withdraw",
    "evaluation_closes",
    "evaluation_submit",
    "goal_add",
    "goal_remove",
    "may_set_goals",
    "package_choose",
    "package_grant",
    "package_use",
    "package_used",
    "plan_approve",
    "plan_line_add",
    "plan_line_remove",
    "plan_save",
    "plan_total",
    "require_office",
    "requirement_save",
    "session_cancel",
    "session_complete",
    "session_enrol",
    "session_results_record",
    "session_save",
]
