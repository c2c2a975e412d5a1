"""Pages: the account manager's apply flow, the committee member's queue and scoring sheet,
and the office's cycle board. Every write calls the same service as the API; a refused
action shows its reason as a message."""

from .applications import application_detail, material_download
from .committee import committee_queue, sheet_page
from .cycles import cycle_board_export, cycle_detail, cycle_letters, cycle_list
from .defences import cycle_defences, defence_ics_download
from .office import cycle_create, cycle_panels, workdays

__all__ = [
    "application_detail",
    "committee_queue",
    "cycle_board_export",
    "cycle_create",
    "cycle_defences",
    "cycle_detail",
    "cycle_letters",
    "cycle_list",
    "cycle_panels",
    "defence_ics_download",
    "material_download",
    "sheet_page",
    "workdays",
]
