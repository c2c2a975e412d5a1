"""XLSX export of a run's entries (openpyxl, write-only: constant memory for any size)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from core.xlsx import Column, figure_row, safe_row, write_table

from .models import RankingEntry, RankingRun
from .selectors import cohort_labels


def run_xlsx(run: RankingRun, entries) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=f"{run.track.code} {run.year}")
    sheet.append(
        safe_row(
            sheet,
            [
                _("Employee number"),
                pgettext("person", "Name"),
                _("Cohort"),
                _("Level"),
                _("Org unit"),
                _("KPI annual score"),
                _("Competency index"),
                _("Composite score"),
                _("Rank"),
                _("Cohort size"),
                _("Band size"),
                _("Bottom band"),
                _("Top band"),
                _("Excluded"),
                _("Reason"),
            ],
        )
    )
    units = [None] * 5 + ["score", "score", "score", "count", "count", "count"]
    labels = cohort_labels(run=run, keys=[c["key"] for c in run.summary.get("cohorts", [])])
    reasons = dict(RankingEntry.Reason.choices)
    yes, no = _("yes"), _("no")
    rows = entries.order_by("excluded", "cohort_key", "rank", "staff__employee_no")
    for e in rows.iterator(chunk_size=2000):
        sheet.append(
            figure_row(
                sheet,
                [
                    e.staff.employee_no,
                    e.staff.name,
                    labels.get(e.cohort_key, ""),
                    e.level.code if e.level else "",
                    e.unit.display_path,
                    e.kpi_score,
                    e.competency_index,
                    e.score,
                    e.rank,
                    e.cohort_size,
                    e.band_size,
                    yes if e.in_bottom_band else no,
                    yes if e.in_top_band else no,
                    yes if e.excluded else no,
                    str(reasons.get(e.reason, "")),
                ],
                units,
            )
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def heat_map_xlsx(heat):
    """The competency heat map as one sheet: a row per unit (its path and staff), then for each
    competency the mean actual proficiency, the mean requirement and the gap."""
    columns = [
        Column(pgettext("org unit", "Unit"), 36),
        Column(_("Unit code"), 12),
        Column(_("Staff"), 8, "count"),
    ]
    for comp in heat.competencies:
        columns += [
            Column(f"{comp.code} · {_('mean proficiency')}", 14, "score"),
            Column(f"{comp.code} · {_('requirement')}", 14, "score"),
            Column(f"{comp.code} · {_('gap')}", 10, "score"),
        ]
    rows = []
    for row in heat.rows:
        line: list = [row.unit, row.code, row.staff]
        for cell in row.cells:
            line += [cell.actual, cell.required, cell.gap]
        rows.append(line)
    return write_table(title=_("Competency heat map"), columns=columns, rows=rows)
