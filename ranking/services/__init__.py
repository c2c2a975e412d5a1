"""Writes of the annual ranking and re-certification (DOMAIN.md, "Annual ranking and dynamic
management"), one module per use case. Each function checks the role and the state, locks what
it changes, writes, and records an audit event in the same transaction.

- :mod:`.runs` — preview, recompute, commit (opens the bottom band's cases);
- :mod:`.recertification` — a case's opening by referral, panel, sheets and committee score
  (the committee engine);
- :mod:`.decisions` — the outcome of a case, the demotion notice;
- :mod:`.honour` — the honour roll's photos.
"""

from .common import require_office
from .decisions import demotion_notice_issue, outcome_for, recertification_case_decide
from .honour import honour_photo_remove, honour_photo_set
from .recertification import (
    committee_score,
    conflicts_with,
    recertification_case_open,
    recertification_panel_assign,
    recertification_sheet_reopen,
    recertification_sheet_score,
    spread,
)
from .runs import RUN_PARAMETERS, run_commit, run_create, run_entries_ensure, run_update

__all__ = [
    "RUN_PARAMETERS",
    "committee_score",
    "conflicts_with",
    "demotion_notice_issue",
    "honour_photo_remove",
    "honour_photo_set",
    "outcome_for",
    "recertification_case_decide",
    "recertification_case_open",
    "recertification_panel_assign",
    "recertification_sheet_reopen",
    "recertification_sheet_score",
    "require_office",
    "run_commit",
    "run_create",
    "run_entries_ensure",
    "run_update",
    "spread",
]
