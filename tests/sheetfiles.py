"""Build spreadsheet files the way union staff build them, for the import tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import xlwt

# Copies of the team's sample sheets (typical sheets as staff send them), so that the tests need
# nothing outside the repository.
SAMPLES = Path(__file__).resolve().parent / "samples"


def xlsx(
    rows: list[list[Any]],
    *,
    title: str | None = None,
    note: str | None = None,
    text_columns: tuple[int, ...] = (),
) -> bytes:
    """A workbook with an optional merged title row and note row above the header."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    width = max(len(row) for row in rows)
    if title:
        sheet.append([title])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
    if note:
        sheet.append([note])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    for column in text_columns:
        for cells in sheet.iter_rows(min_col=column, max_col=column):
            for cell in cells:
                cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls(rows: list[list[Any]]) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], *, encoding: str = "utf-8-sig") -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def import_sheet(
    resource_name: str,
    data: bytes,
    *,
    user: Any = None,
    file_name: str = "sheet.xlsx",
    dry_run: bool = False,
) -> Any:
    """Import a file as the admin and the command line do (`sheet_import`); the report.
    Without `user`, as the command line without --user (every right)."""
    from sheets.services import SystemActor, sheet_import

    report, _changes = sheet_import(
        resource_name=resource_name,
        data=data,
        file_name=file_name,
        user=user if user is not None else SystemActor(),
        dry_run=dry_run,
    )
    return report


def import_rows(resource_name: str, rows: list[list[Any]], **kwargs: Any) -> Any:
    """`import_sheet` of an xlsx holding `rows` (the first is the header)."""
    return import_sheet(resource_name, xlsx(rows), **kwargs)
