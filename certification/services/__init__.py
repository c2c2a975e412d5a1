"""Writes of the certification app — one function per use case (see each module)."""

from ..conflicts import committee_candidates  # noqa: F401
from .applications import (  # noqa: F401
    application_create,
    application_qualify,
    application_reject,
    application_return,
    application_submit,
    application_update,
    application_withdraw,
    applications_qualify,
    material_add,
    material_check,
    qualification_check,
)
from .approval import (  # noqa: F401
    Blocker,
    application_leadership_decide,
    approval_blocker,
    publisher_id,
)
from .committee import (  # noqa: F401
    conflict_declare,
    dimension_value_set,
    panel_save,
    sheet_reopen,
    sheet_save,
    sheet_submit,
    tie_decide,
)
from .common import NotInScope  # noqa: F401
from .cycles import (  # noqa: F401
    CYCLE_TRANSITIONS,
    cycle_approve,
    cycle_close,
    cycle_create,
    cycle_open,
    cycle_publish,
    cycle_qualification_start,
    cycle_review_start,
    cycle_transitions_for,
    cycle_update,
    may_approve,
)
from .defences import defence_cancel, defence_schedule  # noqa: F401
from .publicity import objection_file, objection_resolve  # noqa: F401
