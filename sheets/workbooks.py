"""Workbooks the application writes: exports, import templates and error reports."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.datavalidation import DataValidation

from sheets.fields import Boolean, Date, IdNumber, Integer, Money, Number, Phone, RegionName, Year
from sheets.reader import read_sheet
from sheets.resources import SheetResource
from sheets.rows import Report

# What Excel, WPS and LibreOffice may run as a formula when a text cell begins with it (tab and
# carriage return too: some import dialogs strip them and then see the "=").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
RED = PatternFill(start_color="FFFF9999", end_color="FFFF9999", fill_type="solid")
UNLOCKED = Protection(locked=False)
ERROR_COLUMN = "错误原因"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, file_name: str) -> HttpResponse:
    """A workbook as a download, its name quoted for any browser (Chinese included)."""
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, file_name) or ""
    return response


def _safe_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    """A cell that can never run as a formula: text starting with = + - @ is stored as text
    with Excel's quote prefix (what typing a leading ' does), its value unchanged."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def neutralise(cell: Any) -> None:
    """Make a cell of an ordinary (not write-only) worksheet text, never a formula: openpyxl
    turns any string starting with "=" into a formula when it is assigned."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def append_safe(sheet: Any, row: Iterable[Any]) -> None:
    """`sheet.append(row)` for rows holding values people typed: none becomes a formula."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        neutralise(cell)


def export_workbook(
    resource: type[SheetResource], rows: Iterable[list[Any]], *, title: str
) -> bytes:
    """The import headers, then one row per record (so export → import changes nothing)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    fields = list(resource.sheet_fields().values())
    locked = [field.export_only for field in fields]
    for index, field in enumerate(fields, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = max(10, len(field.header) * 2 + 2)
        if not field.export_only:
            dimension.protection = UNLOCKED  # rows typed below the export stay editable
    header = []
    for field in fields:
        cell = WriteOnlyCell(sheet, value=field.header)
        cell.font = HEADER_FONT
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = [_safe_cell(sheet, value) for value in row]
        for cell, lock in zip(cells, locked, strict=False):
            if not lock:
                cell.protection = UNLOCKED
        sheet.append(cells)
    # 记录编号 is how the rows find their records again (and masked numbers are restored from
    # them): the sheet is protected with only that column locked, and without a password —
    # a guard against typing over it by mistake, not a lock; sorting, filtering, adding and
    # deleting rows stay allowed.
    protection = sheet.protection
    protection.sheet = True
    for allowed in ("sort", "autoFilter", "insertRows", "deleteRows", "formatCells",
                    "formatColumns", "formatRows"):  # fmt: skip
        setattr(protection, allowed, False)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXAMPLES: dict[type, Any] = {
    Date: "2024-05-08",
    Year: 2024,
    Integer: 10,
    Money: 1000,
    Boolean: "是",
    IdNumber: "330381199001011230",
    Phone: "13857712345",
}


def template_workbook(resource: type[SheetResource], *, region_names: list[str]) -> bytes:
    """Header row (required columns marked *), one example row, dropdowns for choice columns
    and regions, ID and phone columns formatted as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(resource.sheet_title)[:31]
    lists = workbook.create_sheet("选项")
    lists.sheet_state = "hidden"
    fields = [field for field in resource.sheet_fields().values() if not field.export_only]
    for index, field in enumerate(fields, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(
            row=1, column=index, value=field.header + ("*" if field.required else "")
        )
        header.font = HEADER_FONT
        header.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[letter].width = max(12, len(field.header) * 2 + 4)
        widget = field.widget
        options = widget.choices()
        if isinstance(widget, RegionName):
            options = region_names
        example = _example(widget, options, field.header)
        sheet.cell(row=2, column=index, value=example)
        if widget.text_format:
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
        if options:
            for row, option in enumerate(options, start=1):
                lists.cell(row=row, column=index, value=option)
            validation = DataValidation(
                type="list",
                formula1=f"'选项'!${letter}$1:${letter}${len(options)}",
                allow_blank=not field.required,
                showErrorMessage=not isinstance(widget, RegionName),
            )
            validation.add(f"{letter}2:{letter}1001")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _example(widget: Any, options: list[str], header: str) -> Any:
    if options:
        return options[0]
    if isinstance(widget, Number) and not isinstance(widget, Money):
        # Inside the field's range (a longitude, not 8): the middle of it, when it has one.
        low, high = widget.limits.min_value, widget.limits.max_value
        if low is not None and high is not None:
            middle = (Decimal(low) + Decimal(high)) / 2
            return middle.quantize(Decimal(1).scaleb(-(widget.limits.decimal_places or 0)))
        return 8
    for kind, value in EXAMPLES.items():
        if isinstance(widget, kind):
            return value
    return _("(example) %(header)s") % {"header": header}


def _original_sheet(data: bytes, file_name: str) -> tuple[Any, Any]:
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        workbook = load_workbook(io.BytesIO(data))
        sheet = next(
            (ws for ws in workbook.worksheets if ws.sheet_state == "visible"), workbook.active
        )
        return workbook, sheet
    workbook = Workbook()
    sheet = workbook.active
    for row in read_sheet(data, file_name).rows:
        append_safe(sheet, row)  # a CSV's "=..." cell must not come back as a formula
    return workbook, sheet


# The upload is copied, with its bad cells marked, up to this many rows; a longer one (a
# million-row upload) gets the list of its errors instead: openpyxl holds a copied sheet in
# memory, about a kilobyte a cell.
ERROR_COPY_MAX_ROWS = 10_000
# At most this many errors are listed in an error workbook; a note says how many there were.
ERROR_LIST_MAX = 10_000


@dataclasses.dataclass(frozen=True)
class ErrorWorkbook:
    data: bytes
    is_copy: bool  # the user's upload with marks (every number as typed), or the list of errors


def error_workbook_for(data: bytes, file_name: str, report: Report) -> ErrorWorkbook:
    """The error workbook of a check, built once when the check runs: the upload itself with its
    bad cells marked when it was read and is small enough, else the (capped) list of errors."""
    readable = all(error.row > 0 for error in report.errors)  # no file-level refusal
    if readable and report.rows_total <= ERROR_COPY_MAX_ROWS and _copy_bounded(data, file_name):
        return ErrorWorkbook(error_workbook(data, file_name, report), is_copy=True)
    return ErrorWorkbook(error_list_workbook(report), is_copy=False)


# An xlsx is copied only when its worksheets' XML is at most this large unpacked: few rows of
# data may hide a million formatted empty rows, which openpyxl would all load.
ERROR_COPY_MAX_XML = 16 * 1024 * 1024


def _copy_bounded(data: bytes, file_name: str) -> bool:
    if not file_name.lower().endswith((".xlsx", ".xlsm")):
        return True  # CSV and xls are copied from the rows read, at most ERROR_COPY_MAX_ROWS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(
                info.file_size
                for info in archive.infolist()
                if info.filename.startswith("xl/worksheets/")
            )
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return unpacked <= ERROR_COPY_MAX_XML


def error_list_workbook(report: Report) -> bytes:
    """The errors alone (row, column, reason), at most ERROR_LIST_MAX of them, streamed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Errors")[:31])
    for letter, width in (("A", 10), ("B", 20), ("C", 12), ("D", 80)):
        sheet.column_dimensions[letter].width = width
    shown = report.errors[:ERROR_LIST_MAX]
    if report.error_messages > len(shown):
        note = _(
            "The check found %(total)d errors in %(rows)d rows; this workbook lists the first "
            "%(shown)d. Correct them and check the sheet again."
        ) % {"total": report.error_messages, "rows": report.error_count, "shown": len(shown)}
        sheet.append([_safe_cell(sheet, note)])
    header = []
    for title in (_("Row"), _("Column"), _("Cell"), ERROR_COLUMN):
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = HEADER_FONT
        header.append(cell)
    sheet.append(header)
    for error in shown:
        sheet.append(
            [
                error.row or "—",
                _safe_cell(sheet, error.column),
                error.cell,
                _safe_cell(sheet, error.message),  # messages quote the user's cells
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_workbook(data: bytes, file_name: str, report: Report) -> bytes:
    """The user's own workbook with each bad cell filled red and a 错误原因 column, so that they
    fix it in Excel and upload it again."""
    by_row: dict[int, list[str]] = {}
    cells: set[tuple[int, int]] = set()
    for error in report.errors:
        by_row.setdefault(error.row, []).append(
            error.message if error.column in ("—", "") else f"{error.column}：{error.message}"
        )
        for coordinate in error.cells():
            letter, number = coordinate_from_string(coordinate)
            cells.add((number, column_index_from_string(letter)))
        if not error.cell:
            # A report stored before errors carried their cell: by the column's header.
            column = report.header_columns.get(error.column)
            if column and error.row:
                cells.add((error.row, column))
    try:
        workbook, sheet = _original_sheet(data, file_name)
    except Exception:  # any file the reader refused: the error list alone, then
        workbook = Workbook()
        sheet = workbook.active
    header_row = report.header_row or 1
    last = max(sheet.max_column, max(report.header_columns.values(), default=0)) + 1
    sheet.cell(row=header_row, column=last, value=ERROR_COLUMN).font = HEADER_FONT
    sheet.column_dimensions[get_column_letter(last)].width = 60
    for number, messages in by_row.items():
        target = number if number > 0 else header_row
        message = sheet.cell(row=target, column=last, value="；".join(messages))
        message.fill = RED
        neutralise(message)  # messages quote the user's cells
    for number, column in cells:
        sheet.cell(row=number, column=column).fill = RED
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
