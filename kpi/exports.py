"""Workbooks the KPI pages hand out."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.xlsx import safe_row


def import_template_workbook(*, header: list[str], indicators) -> bytes:
    """The import template: the header on the first sheet (frozen), and a sheet listing the
    indicators whose codes the ``indicator`` column takes."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("actuals")
    sheet.append(safe_row(sheet, header))
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCD", (14, 16, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    codes = book.create_sheet(_("indicators"))
    codes.append(safe_row(codes, [_("code"), _("name"), _("unit"), _("scoring method")]))
    for indicator in indicators:
        codes.append(
            safe_row(
                codes,
                [
                    indicator.code,
                    indicator.display_name,
                    indicator.unit,
                    indicator.get_method_display(),
                ],
            )
        )
    codes.freeze_panes = "A2"
    codes.column_dimensions["B"].width = 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
