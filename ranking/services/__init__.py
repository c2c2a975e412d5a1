"""Writes of the annual ranking and re-certification (DOMAIN.md, "Annual ranking and dynamic
management"), one module per use case. Each function checks the role and the state, locks what
it changes, writes, and records an audit event in the same transaction.

- :mod:`.runs` — preview, recompute, commit (opens the bottom band's cases, carries open ones);
- :mod:`.recertification` — a case's opening by referral, panel, sheets (parts of the
  certification sheet) and committee score (the committee engine);
- :mod:`.decisions` — the office's proposal and its publicity, the leadership's approval, the
  deferred effect of a demotion or elimination;
- :mod:`.appeals` — objections during publicity, the staff member's appeal and its resolution;
- :mod:`.honour` — the honour roll's photos and write-ups.
"""

from .appeals import (
    published_cases,
    recertification_appeal_file,
    recertification_appeal_resolve,
    recertification_objection_file,
    recertification_objection_resolve,
)
from .common import require_office
from .decisions import (
    due_cases,
    outcome_for,
    recertification_case_approve,
    recertification_case_propose,
    recertification_letter_issue,
    recertification_outcomes_apply,
    recertification_results_publish,
)
from .honour import honour_citation_set, honour_photo_remove, honour_photo_set
from .recertification import (
    committee_score,
    conflicts_with,
    former_members,
    recertification_case_open,
    recertification_cases_withdraw_on_exit,
    recertification_panel_assign,
    recertification_sheet_reopen,
    recertification_sheet_score,
    sheet_definition_for,
    spread,
)
from .runs import (
    GROUNDS,
    RUN_PARAMETERS,
    run_commit,
    run_create,
    run_entries_ensure,
    run_update,
    year_not_closed,
)

__all__ = [
    "GROUNDS",
    "RUN_PARAMETERS",
    "committee_score",
    "conflicts_with",
    "due_cases",
    "former_members",
    "honour_citation_set",
    "honour_photo_remove",
    "honour_photo_set",
    "outcome_for",
    "published_cases",
    "recertification_appeal_file",
    "recertification_appeal_resolve",
    "recertification_case_approve",
    "recertification_case_open",
    "recertification_case_propose",
    "recertification_cases_withdraw_on_exit",
    "recertification_letter_issue",
    "recertification_objection_file",
    "recertification_objection_resolve",
    "recertification_outcomes_apply",
    "recertification_panel_assign",
    "recertification_results_publish",
    "recertification_sheet_reopen",
    "recertification_sheet_score",
    "require_office",
    "run_commit",
    "run_create",
    "run_entries_ensure",
    "run_update",
    "sheet_definition_for",
    "spread",
    "year_not_closed",
]
