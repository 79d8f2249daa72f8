"""A worker's growth record as a workbook: one A4 sheet with who, the numbers at the top and
every line in time order — dates as dates, years and hours as numbers, Chinese headers, widths
that fit the names (laid out with the dashboard report's helpers, dashboards/report.py)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dashboards import report
from dashboards.report import BOLD, BOX, CENTRE, WRAP
from growth.selectors import GrowthRecord

# Column widths of the record's table, in characters (a Chinese character is two):
# 日期, 年份, 类别, 事项, 详情, 学时.
WIDTHS = (12, 7, 22, 40, 48, 8)
DATE_FORMAT = "yyyy-mm-dd"


def headline_items(record: GrowthRecord) -> list[tuple[str, Any]]:
    """The numbers at the top of the page and the workbook, each with its label."""
    head = record.headline
    return [
        (pgettext("growth record", "Skill certificates"), head.certificates),
        (pgettext("growth record", "Highest skill level"), head.highest_skill_level or "—"),
        (pgettext("growth record", "Honours"), head.honours),
        (pgettext("growth record", "Highest honour level"), head.highest_honour or "—"),
        (pgettext("growth record", "Training sessions attended"), head.sessions_attended),
        (pgettext("growth record", "Training hours"), head.training_hours),
        (pgettext("growth record", "Competitions"), head.competitions),
        (pgettext("growth record", "Competition awards"), head.awards),
        (pgettext("growth record", "Apprentices taken"), head.apprentices),
        (pgettext("growth record", "Masters"), head.masters),
        (pgettext("growth record", "Studios led"), head.studios),
        (pgettext("growth record", "Education subsidies"), head.subsidies),
        (pgettext("growth record", "Subsidy amount (yuan)"), head.subsidy_amount),
        (pgettext("growth record", "Craftsman benefits taken"), head.benefits),
        (pgettext("growth record", "Transfers between counties"), head.transfers),
    ]


def person_items(record: GrowthRecord) -> list[tuple[str, str]]:
    person = record.person
    return [
        (pgettext("growth record", "Name"), person.name),
        (pgettext("growth record", "ID number"), person.id_number),
        (pgettext("growth record", "Gender"), person.gender),
        (pgettext("growth record", "Birth date"), person.birth_date),
        (pgettext("growth record", "Phone"), person.phone or "—"),
        (pgettext("growth record", "Region"), person.region),
        (pgettext("growth record", "Employer"), person.enterprise or "—"),
        (pgettext("growth record", "Occupation"), person.occupation or "—"),
        (pgettext("growth record", "Union member"), _("yes") if person.union_member else _("no")),
    ]


def growth_workbook(record: GrowthRecord) -> bytes:
    """The record as one A4 sheet: who, the headline numbers, then every line in time order
    (dates as dates, the year as a number, hours as numbers)."""
    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = _("Growth record")
    columns = len(WIDTHS)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    report.title_row(sheet, _("Growth record of %(name)s") % {"name": record.person.name}, columns)
    # Who, a blank row, the numbers, a blank row, the table.
    row = _pairs(sheet, 2, person_items(record))
    row = _pairs(sheet, row + 2, headline_items(record))
    row += 2
    headers = (
        pgettext("growth record", "Date"),
        pgettext("growth record", "Year"),
        pgettext("growth record", "Kind"),
        pgettext("growth record", "What"),
        pgettext("growth record", "Details"),
        pgettext("growth record", "Hours"),
    )
    header_row = row
    for column, header in enumerate(headers, start=1):
        report.write(sheet, row, column, header, font=BOLD, alignment=CENTRE, border=BOX)
    for entry in record.entries:
        row += 1
        values: tuple[Any, ...] = (
            entry.on,
            entry.year,
            entry.kind_label,
            entry.title,
            entry.detail,
            entry.hours,
        )
        for column, value in enumerate(values, start=1):
            report.write(sheet, row, column, value, border=BOX, alignment=WRAP)
        sheet.cell(row=row, column=1).number_format = DATE_FORMAT
        sheet.cell(row=row, column=6).number_format = "0.0"
        longest = max(
            report.lines(entry.title, WIDTHS[3]), report.lines(entry.detail, WIDTHS[4]), 1
        )
        sheet.row_dimensions[row].height = 16 * longest
    if not record.entries:
        row += 1
        report.write(sheet, row, 1, _("Nothing on the record yet."))
    row += 2
    report.write(sheet, row, 1, _left_out_note(record), font=Font(italic=True))
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[row].height = 32
    report.page_setup(sheet, columns, f"{header_row}:{header_row}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pairs(sheet: Worksheet, row: int, items: list[tuple[str, Any]]) -> int:
    """Label and value side by side, two pairs to a row: a label in A, its value across B:C,
    the next label in D, its value across E:F (the table's narrow columns would cut a birth
    date or a name); returns the last row written."""
    slots = ((1, 2, 3), (4, 5, 6))
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    for index, (label, value) in enumerate(items):
        if index and index % len(slots) == 0:
            row += 1
        label_column, first, last = slots[index % len(slots)]
        report.write(sheet, row, label_column, label, font=BOLD, alignment=left)
        report.write(sheet, row, first, value, alignment=left)
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    return row


def _left_out_note(record: GrowthRecord) -> str:
    note = _(
        "Hardship files and assistance records are not part of a growth record; records outside "
        "your region are not shown."
    )
    if record.left_out:
        note += " " + _("Not shown to your role: %(kinds)s.") % {
            "kinds": "、".join(record.left_out)
        }
    return note
