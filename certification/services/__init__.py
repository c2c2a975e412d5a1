"""Writes of the certification app — one function per use case (see each module)."""

from ..conflicts import committee_candidates  # noqa: F401
from .applications import (  # noqa: F401
    application_create,
    application_update,
    material_add,
    qualification_check,
    qualify,
    qualify_many,
    reject,
    return_application,
    submit,
    validate_material,
    withdraw,
)
from .committee import (  # noqa: F401
    decide_tie,
    declare_conflict,
    panel_save,
    set_dimension_value,
    sheet_reopen,
    sheet_save,
    sheet_submit,
)
from .common import NotInScope  # noqa: F401
from .cycles import (  # noqa: F401
    CYCLE_TRANSITIONS,
    approve,
    close,
    cycle_create,
    cycle_transitions_for,
    cycle_update,
    may_approve,
    open_cycle,
    publish,
    start_qualification,
    start_review,
)
from .publicity import objection_file, objection_resolve  # noqa: F401
