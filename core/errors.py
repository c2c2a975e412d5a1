"""Domain errors with stable codes, mapped once to HTTP answers in ``core.api.errors``.

Services raise these; API views, pages, admin actions and commands let them propagate (or show
their message). Each carries a machine-readable ``code`` and a translated ``message``.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a business rule refused the action. Maps to HTTP ``status``."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, details: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.details = details or {}

    def __str__(self) -> str:
        return self.message


class InvalidTransition(DomainError):
    """The object's current state does not allow the action (HTTP 409)."""

    code = "invalid_transition"
    status = 409


class NotEligible(DomainError):
    code = "not_eligible"
    status = 409


class ConflictOfInterest(DomainError):
    code = "conflict_of_interest"
    status = 409


class RoleRequired(DomainError):
    """The caller's role may not perform this action at all (HTTP 403)."""

    code = "permission_denied"
    status = 403


class ImportRejected(DomainError):
    """A bulk import had bad rows; nothing was written. ``errors`` lists every bad row."""

    code = "import_rejected"
    status = 400

    def __init__(self, errors: list[dict], message: str = "The file was rejected."):
        super().__init__(message, details={"errors": errors})
        self.errors = errors
