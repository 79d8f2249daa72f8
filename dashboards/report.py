"""The 上报表样: the dashboard as the xlsx workbook officials sign and file.

Built from the computed dashboard (dashboards/dashboard.py) and plain rows, so the page, the JSON
and the workbook show the same numbers; this module only lays them out.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from base.models import Region
from dashboards.catalogue import GROUPS, Indicator
from dashboards.formatting import completion
from sheets.workbooks import append_safe


def workbook(
    *,
    region: Region,
    year: int,
    data: dict[str, Any],
    indicators: list[Indicator],
    reporter: str,
) -> bytes:
    """The workbook's bytes: the indicators sheet, and the sub-regions sheet when there are any."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicators")
    title = _("%(region)s %(year)d industrial-worker reform statistics") % {
        "region": region.name,
        "year": year,
    }
    append_safe(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    # Region and person names are typed by people: written so that none can run as a formula.
    append_safe(sheet, [_("Reporting unit"), _("%(region)s federation of trade unions") % {"region": region.name},
                        _("Region code"), region.code, _("Year"), year])  # fmt: skip
    append_safe(
        sheet, [_("Reported by"), reporter, _("Reported on"), timezone.localdate().isoformat()]
    )
    sheet.append([])
    header = [
        _("No."),
        _("Group"),
        _("Indicator"),
        _("Unit"),
        _("Value"),
        _("Target"),
        _("Completion (%)"),
        _("Definition"),
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for number, indicator in enumerate(indicators, start=1):
        value = data["indicators"].get(indicator.key)
        target = data["targets"].get(indicator.key)
        rate = completion(value, target)
        sheet.append([
            number, str(GROUPS[indicator.group]), str(indicator.label), str(indicator.unit),
            value, target, rate, str(indicator.definition),
        ])  # fmt: skip
    for index, width in enumerate([6, 12, 26, 8, 16, 14, 12, 70], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if data["children"]:
        children = book.create_sheet(_("Sub-regions"))
        children.append([_("Region code"), _("Region"), *[str(i.label) for i in indicators]])
        for child in data["children"]:
            append_safe(
                children,
                [
                    child["code"],
                    child["name"],
                    *[child["indicators"].get(i.key) for i in indicators],
                ],
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
