"""Domain errors with stable codes, mapped once to HTTP answers in ``core.api.errors``.

Services raise these; API views, pages, admin actions and commands let them propagate (or show
their message). Each carries a machine-readable ``code`` from :class:`ErrorCode` — one closed
list, so a client can rely on every code it may receive — and a translated ``message``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.http import Http404
from django.utils.translation import gettext


class ErrorCode(StrEnum):
    """Every code a domain error may carry; the API answers with the string value."""

    ALREADY_ENROLLED = "already_enrolled"
    ALREADY_EVALUATED = "already_evaluated"
    APPEAL_OPEN = "appeal_open"
    APPEAL_WINDOW_CLOSED = "appeal_window_closed"
    APPLICATION_BLOCKED = "application_blocked"
    ASSESSMENTS_OPEN = "assessments_open"
    ASSESSMENT_INCOMPLETE = "assessment_incomplete"
    BOTTOM_PCT_OUT_OF_RANGE = "bottom_pct_out_of_range"
    BULK_REFUSED = "bulk_refused"
    CAPACITY_BELOW_ENROLMENTS = "capacity_below_enrolments"
    CHAIR_NOT_MEMBER = "chair_not_member"
    CHECKLIST_INCOMPLETE = "checklist_incomplete"
    CITATION_TOO_LONG = "citation_too_long"
    CONDITIONS_NOT_MET = "conditions_not_met"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    DOMAIN_ERROR = "domain_error"
    DOUBLE_BOOKED = "double_booked"
    DRAFT_EXISTS = "draft_exists"
    DUPLICATE_RATER = "duplicate_rater"
    EARLY_COMMIT_REASON_REQUIRED = "early_commit_reason_required"
    ELIGIBILITY_OVERRIDE_FORBIDDEN = "eligibility_override_forbidden"
    ELIGIBILITY_REASON_REQUIRED = "eligibility_reason_required"
    EMPTY_REVIEW = "empty_review"
    EVIDENCE_REQUIRED = "evidence_required"
    EXCEEDS_BALANCE = "exceeds_balance"
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"
    FORMER_PANEL_MEMBER = "former_panel_member"
    FUTURE_DATE = "future_date"
    IMPORT_REJECTED = "import_rejected"
    INVALID = "invalid"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_COMPETENCY = "invalid_competency"
    INVALID_CREDENTIALS = "invalid_credentials"
    INVALID_DATES = "invalid_dates"
    INVALID_DEADLINE = "invalid_deadline"
    INVALID_FILE = "invalid_file"
    INVALID_LEVEL = "invalid_level"
    INVALID_LINES = "invalid_lines"
    INVALID_PHOTO = "invalid_photo"
    INVALID_RATER = "invalid_rater"
    INVALID_RATER_TYPE = "invalid_rater_type"
    INVALID_SCORE = "invalid_score"
    INVALID_SCORES = "invalid_scores"
    INVALID_SLOT = "invalid_slot"
    INVALID_STAFF = "invalid_staff"
    INVALID_TRANSITION = "invalid_transition"
    INVALID_WEIGHT = "invalid_weight"
    KIND_MISMATCH = "kind_mismatch"
    LETTER_FILE_CHANGED = "letter_file_changed"
    LEVEL_NOT_IN_TRACK = "level_not_in_track"
    LIVE_APPLICATION_EXISTS = "live_application_exists"
    LOCKED_OUT = "locked_out"
    MODEL_INCOMPLETE = "model_incomplete"
    NOT_COMMITTEE_MEMBER = "not_committee_member"
    NOT_ELIGIBLE = "not_eligible"
    NOT_ENROLLED = "not_enrolled"
    NOT_FOUND = "not_found"
    NOT_ON_HONOUR_ROLL = "not_on_honour_roll"
    NO_CONDITIONS = "no_conditions"
    NO_PROGRAMME = "no_programme"
    NO_SELF_ENROLMENT = "no_self_enrolment"
    NO_STAFF = "no_staff"
    OBJECTIONS_OPEN = "objections_open"
    PANEL_MISSING = "panel_missing"
    OVER_BUDGET = "over_budget"
    OVER_QUOTA = "over_quota"
    PANEL_TOO_SMALL = "panel_too_small"
    PASSWORD_CHANGE_REQUIRED = "password_change_required"  # noqa: S105 — an error code
    PERMISSION_DENIED = "permission_denied"
    PLACE_REQUIRED = "place_required"
    PROGRAMME_REQUIRED = "programme_required"
    PUBLICITY_NOT_OVER = "publicity_not_over"
    QUORUM_NOT_REACHED = "quorum_not_reached"
    REASON_REQUIRED = "reason_required"
    REQUEST_TOO_LARGE = "request_too_large"
    SESSION_FULL = "session_full"
    STATEMENT_REQUIRED = "statement_required"
    TWO_FACTOR_INVALID = "two_factor_invalid"
    TWO_FACTOR_NOT_ENROLLED = "two_factor_not_enrolled"
    TWO_FACTOR_REQUIRED = "two_factor_required"
    TWO_PERSON_RULE = "two_person_rule"
    UNKNOWN_EVENT = "unknown_event"
    UNKNOWN_JOB_KIND = "unknown_job_kind"
    VARIANT_MISMATCH = "variant_mismatch"


class DomainError(Exception):
    """Base class: a business rule refused the action. Maps to HTTP ``status``."""

    code: ErrorCode = ErrorCode.DOMAIN_ERROR
    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: ErrorCode | None = None,
        details: dict[str, Any] | None = None,
    ):
        super().__init__(message)
        self.message = str(message)
        if code:
            # ErrorCode(...) also refuses a free string that is not in the closed list.
            self.code = ErrorCode(code)
        self.details = details or {}

    def __str__(self) -> str:
        return self.message


class InvalidTransition(DomainError):
    """The object's current state does not allow the action (HTTP 409)."""

    code = ErrorCode.INVALID_TRANSITION
    status = 409


class NotEligible(DomainError):
    code = ErrorCode.NOT_ELIGIBLE
    status = 409


class ConflictOfInterest(DomainError):
    code = ErrorCode.CONFLICT_OF_INTEREST
    status = 409


class RoleRequired(DomainError):
    """The caller's role may not perform this action at all (HTTP 403)."""

    code = ErrorCode.PERMISSION_DENIED
    status = 403


class NotInScope(DomainError, Http404):
    """The object is outside the caller's scope, or does not exist: answered as 404 so ids do
    not leak. Also an ``Http404``, so a page that lets it propagate answers 404 too."""

    code = ErrorCode.NOT_FOUND
    status = 404

    def __init__(self, message: str | None = None, **kwargs: Any):
        super().__init__(message or gettext("Not found."), **kwargs)


class ImportRejected(DomainError):
    """A bulk import had bad rows; nothing was written. ``errors`` lists every bad row."""

    code = ErrorCode.IMPORT_REJECTED
    status = 400

    def __init__(self, errors: list[dict[str, Any]], message: str = "The file was rejected."):
        super().__init__(message, details={"errors": errors})
        self.errors = errors
