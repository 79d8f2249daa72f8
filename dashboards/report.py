"""The 上报表样: the dashboard as the xlsx workbook officials print, sign and file.

Built from the computed dashboard (dashboards/dashboard.py) and plain rows, so the page, the JSON
and the workbook show the same numbers; this module only lays them out. Laid out for paper: A4
landscape, fitted to the page width, the title repeated on every page, page numbers in the footer,
numbers as numbers (the unit stands in the column header, never in a cell), and lines for the
signatures a filed report carries.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from base.models import Region
from dashboards.catalogue import GROUPS, Indicator
from dashboards.formatting import (
    Scale,
    column_scales,
    completion,
    places,
    scale_for,
    scaled,
    unit_label,
)
from sheets.workbooks import neutralise

# At most this many indicators side by side in one block of the sub-regions sheet: with the
# region, completion and rank columns a block fits an A4 landscape page at a readable size.
BLOCK_COLUMNS = 10
NUMBER_FORMATS = {"count": "#,##0", "money": "#,##0.00", "percent": "0.0"}
RATE_FORMAT = "0.0"
DEFINITION_WIDTH = 60  # characters: the 口径 column, wrapped
# The sub-regions sheet's blocks share a page while they fit: the height of a printed landscape
# page in the sheet's points at the scale that fits 14 columns to the page width (about 0.7;
# measured in LibreOffice's PDF).
PAGE_POINTS = 700
ROW_POINTS = 15
HEADER_POINTS = 48
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class SubRegionRow:
    """One line of the sub-regions sheet: a child region, the region's own records (本级) or the
    total (合计). `completion` is the average 完成率 over the child's targets, `rank` its place."""

    code: str
    name: str
    values: Mapping[str, Any]
    completion: Decimal | None = None
    rank: int | None = None
    emphasised: bool = False  # the 本级 and 合计 lines stand out


def person_name(user: Any) -> str:
    """A user's name as written on a Chinese form: family name then given name, no space; ""
    when the account has none (the line is then signed by hand, never filled with the login)."""
    return f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}".strip()


def sub_region_rows(data: dict[str, Any]) -> list[SubRegionRow]:
    """The children, 本级 and 合计 of the computed dashboard (dashboards/dashboard.for_user): the
    rows of the JSON's `children` — 本级 last among them — with the 完成率 and 排名 that
    dashboards/selectors.ranking gave them, and the region's own figures as the 合计. Nothing is
    recomputed here, so the page, the JSON and the workbook show the same rows."""
    rows = [
        SubRegionRow(
            code=child["code"],
            name=child["name"],
            values=child["indicators"],
            completion=child["completion"],
            rank=child["rank"],
            emphasised=bool(child.get("own_level")),
        )
        for child in data["children"]
    ]
    if rows:
        rows.append(
            SubRegionRow(
                code="",
                name=_("Total"),
                values=data["indicators"],
                completion=data["average_completion"],
                emphasised=True,
            )
        )
    return rows


def reported_text(report: dict[str, Any] | None) -> str | None:
    """What a figure taken from an approved report says of it (dashboard.py, `reported`)."""
    if report is None:
        return None
    return _("Taken from the approved report “%(round)s” (approved %(date)s)") % {
        "round": report["round"],
        "date": report["approved_on"].isoformat(),
    }


def reported_note(data: dict[str, Any]) -> str | None:
    """The note at the top of the page (and of the xlsx) when any figure shown was taken from
    an approved report rather than counted (dashboard.py, `reported`)."""
    reported = data["reported"]
    notes = []
    if reported["indicators"] or reported["children"]:
        notes.append(
            _(
                "Time-point figures of %(year)d marked “from the approved report” are those of "
                "the approved annual report, not counted from the records as they stand now; "
                "period figures and unmarked figures are counted from the records."
            )
            % {"year": data["year"]}
        )
    if reported["previous"]:
        notes.append(
            _(
                "Year on year: time-point figures of %(year)d are those of its approved annual "
                "report."
            )
            % {"year": data["previous"]["year"]}
        )
    return " ".join(notes) or None


def _children_note(data: dict[str, Any]) -> str | None:
    """The sub-regions sheet's note: the children whose time-point figures were taken from
    their approved reports, and which reports (the page marks each such cell instead)."""
    names = {child["code"]: child["name"] for child in data["children"]}
    taken = []
    for code, reports in data["reported"]["children"].items():
        rounds = "、".join(dict.fromkeys(f"《{report['round']}》" for report in reports.values()))
        taken.append(f"{names.get(code, code)}{rounds}")
    if not taken:
        return None
    return _("Time-point figures taken from approved annual reports: %(regions)s") % {
        "regions": "；".join(taken)
    }


def number_format_for(kind: str, scale: Scale) -> str:
    """A cell's number format: the decimals the page writes at this scale (no 4.00 for a count,
    money in 元 or 万元 with two)."""
    decimals = places(kind, scale)
    return f"#,##0.{'0' * decimals}" if decimals and kind != "percent" else NUMBER_FORMATS[kind]


def workbook(
    *,
    region: Region,
    year: int,
    data: dict[str, Any],
    indicators: list[Indicator],
    reporter: str,
) -> bytes:
    """The workbook's bytes: the indicators sheet, and the sub-regions sheet when the region has
    children. `data` is the computed dashboard as the user may read it (dashboard.for_user)."""
    book = Workbook()
    title = _("%(region)s %(year)d industrial-worker reform statistics") % {
        "region": region.name,
        "year": year,
    }
    _indicators_sheet(book.active, title, region, year, data, indicators, reporter)
    rows = sub_region_rows(data)
    if rows:
        _sub_regions_sheet(
            book.create_sheet(_("Sub-regions")),
            title,
            indicators,
            rows,
            column_scales(data, indicators),
            _children_note(data),
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def unit_header(label: str, unit: str) -> str:
    """A column header with its unit on a line of its own: 在册职工 / （人）; a label that names
    its unit already (高技能人才占比(%)) keeps it."""
    if label.endswith((f"({unit})", f"（{unit}）")):
        return label
    return f"{label}\n（{unit}）"


def lines(text: str, width: float) -> int:
    """How many lines a wrapped cell of `width` characters takes (a Chinese character is two)."""
    size = sum(2 if ord(char) > 0x2E80 else 1 for char in text)
    return max(1, -(-size // int(width)))


def write(sheet: Worksheet, row: int, column: int, value: Any, **style: Any) -> None:
    """One cell. Strings are written as text (a region or person name typed as "=…" must not
    run as a formula); numbers as numbers."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    neutralise(cell)
    for name, item in style.items():
        setattr(cell, name, item)


def title_row(sheet: Worksheet, title: str, columns: int) -> None:
    write(sheet, 1, 1, title, font=Font(bold=True, size=14), alignment=CENTRE)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet.row_dimensions[1].height = 26


def page_setup(sheet: Worksheet, last_column: int, title_rows: str) -> None:
    """A4 landscape, as wide as the page and as many pages long as needed, the title rows on
    every page, the used range as the print area and 第 n 页 共 m 页 in the footer."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = title_rows
    sheet.print_area = f"A1:{get_column_letter(last_column)}{sheet.max_row}"
    sheet.oddFooter.center.text = _("Page &P of &N")
    sheet.evenFooter.center.text = _("Page &P of &N")


def _indicators_sheet(
    sheet: Worksheet,
    title: str,
    region: Region,
    year: int,
    data: dict[str, Any],
    indicators: list[Indicator],
    reporter: str,
) -> None:
    sheet.title = _("Indicators")
    columns = 8
    title_row(sheet, title, columns)
    unit_name = _("%(region)s federation of trade unions") % {"region": region.name}
    for column, value in enumerate(
        [_("Reporting unit"), unit_name, _("Region code"), region.code, _("Year"), year], start=1
    ):
        write(sheet, 2, column, value, font=BOLD if column % 2 else Font())
    today = timezone.localdate().isoformat()
    for column, value in enumerate([_("Reported by"), reporter, _("Reported on"), today], start=1):
        write(sheet, 3, column, value, font=BOLD if column % 2 else Font())
    note = reported_note(data)
    if note:
        # Row 4, between the heading lines and the table: which figures are not counted.
        write(sheet, 4, 1, note, alignment=WRAP)
        sheet.merge_cells(start_row=4, start_column=1, end_row=4, end_column=columns)
        sheet.row_dimensions[4].height = 15 * lines(note, 150)
    header_row = 5
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
    for column, value in enumerate(header, start=1):
        write(sheet, header_row, column, value, font=BOLD, alignment=CENTRE, border=BOX)
    row = header_row
    for number, indicator in enumerate(indicators, start=1):
        row += 1
        value = data["indicators"].get(indicator.key)
        target = data["targets"].get(indicator.key)
        definition = str(indicator.definition)
        taken = reported_text(data["reported"]["indicators"].get(indicator.key))
        if taken:
            definition = f"{definition}\n{taken}"
        # Value and target in one unit, the one the 单位 column names (万元 for both or neither).
        scale = scale_for([value, target], indicator.kind)
        shown = number_format_for(indicator.kind, scale)
        cells: list[tuple[Any, str | None]] = [
            (number, None),
            (str(GROUPS[indicator.group]), None),
            (str(indicator.label), None),
            (unit_label(indicator.kind, str(indicator.unit), scale), None),
            (scaled(value, indicator.kind, scale), shown),
            (scaled(target, indicator.kind, scale), shown),
            (completion(value, target), RATE_FORMAT),
            (definition, None),
        ]
        for column, (item, number_format) in enumerate(cells, start=1):
            write(sheet, row, column, item, border=BOX, alignment=WRAP)
            if number_format:
                sheet.cell(row=row, column=column).number_format = number_format
        # Spreadsheet programs do not grow a row for wrapped text when printing: give it room.
        sheet.row_dimensions[row].height = 15 * (
            lines(str(indicator.definition), DEFINITION_WIDTH) + (1 if taken else 0)
        )
    row += 2
    # A filed report is signed: the head of the reporting unit and the reviewer, by hand.
    signatures = [
        _("Head of unit (signature)"),
        "",
        _("Reviewed by (signature)"),
        "",
        _("Date signed"),
        _("____ (year) __ (month) __ (day)"),
    ]
    for column, value in enumerate(signatures, start=2):
        write(sheet, row, column, value, font=BOLD if column % 2 == 0 else Font())
        if not value:
            sheet.cell(row=row, column=column).border = Border(bottom=THIN)
    sheet.row_dimensions[row].height = 30
    for index, width in enumerate([6, 10, 24, 7, 13, 13, 11, DEFINITION_WIDTH], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    page_setup(sheet, columns, f"1:{header_row}")


def column_blocks(indicators: Sequence[Indicator], size: int) -> list[list[Indicator]]:
    """The indicators in blocks that fit a printed page side by side: by group, at most `size`
    to a block. The workbook's sub-regions sheet and the printed dashboard page both split
    their wide tables so."""
    blocks: list[list[Indicator]] = []
    for group in GROUPS:
        members = [i for i in indicators if i.group == group]
        blocks += [members[start : start + size] for start in range(0, len(members), size)]
    return blocks


def _sub_regions_sheet(
    sheet: Worksheet,
    title: str,
    indicators: Sequence[Indicator],
    rows: Sequence[SubRegionRow],
    scales: Mapping[str, Scale],
    note: str | None = None,
) -> None:
    """Every indicator of every child, 本级 and 合计: one block of columns per group (a group of
    many indicators in several blocks), each block under its own header and on its own page, so
    that no printed page is cut on the right. Each column at its one scale (formatting.py), as
    on the page."""
    fixed = [_("Region code"), _("Region"), _("Completion (%)"), _("Rank")]
    blocks = column_blocks(indicators, BLOCK_COLUMNS)
    width = len(fixed) + max((len(block) for block in blocks), default=0)
    title_row(sheet, title, width)
    row = 1
    used = 0  # points of the current printed page taken by the blocks on it
    block_points = ROW_POINTS * 2 + HEADER_POINTS + ROW_POINTS * len(rows)
    for number, block in enumerate(blocks):
        row += 1
        if number and used + block_points > PAGE_POINTS:
            # A block never straddles two pages: its rows stay under its header.
            sheet.row_breaks.append(Break(id=row - 1))
            used = 0
        used += block_points
        group = str(GROUPS[block[0].group])
        write(sheet, row, 1, group, font=Font(bold=True, size=12))
        row += 1
        headers = fixed + [
            unit_header(str(i.label), unit_label(i.kind, str(i.unit), scales[i.key])) for i in block
        ]
        for column, value in enumerate(headers, start=1):
            write(sheet, row, column, value, font=BOLD, alignment=CENTRE, border=BOX)
        sheet.row_dimensions[row].height = 48
        for line in rows:
            row += 1
            font = BOLD if line.emphasised else Font()
            leading: list[tuple[Any, str | None]] = [
                (line.code, None),
                (line.name, None),
                (line.completion, RATE_FORMAT),
                (line.rank, None),
            ]
            values: list[tuple[Any, str | None]] = [
                (
                    scaled(line.values.get(i.key), i.kind, scales[i.key]),
                    number_format_for(i.kind, scales[i.key]),
                )
                for i in block
            ]
            for column, (item, number_format) in enumerate(leading + values, start=1):
                write(sheet, row, column, item, font=font, border=BOX)
                if number_format:
                    sheet.cell(row=row, column=column).number_format = number_format
    if note:
        # Under the last block: which children's rows hold reported figures, not counted ones.
        row += 2
        write(sheet, row, 1, note)
    for index in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12 if index > 2 else 11
    sheet.column_dimensions["B"].width = 14
    page_setup(sheet, width, "1:1")
