"""The workbooks of reporting rounds: a region's report as the 上报表样 it files — the figures
frozen at submission, signed and reviewed — and a round's completeness over a region's children.

Laid out as the dashboard's 上报表样 (dashboards/report.py) and with its helpers: A4 landscape,
fitted to the page width, the title rows on every printed page, page numbers in the footer,
numbers as numbers in the exact unit they were reported in (the unit in the header, never in a
cell). Only the indicators the user may read appear, as on the report's page.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Border, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from base.models import Region
from dashboards import report
from dashboards.catalogue import BY_KEY, GROUPS, Indicator
from dashboards.formatting import ONES
from dashboards.report import (
    BOLD,
    BOX,
    CENTRE,
    THIN,
    WRAP,
    number_format_for,
    person_name,
    unit_header,
)
from dashboards.selectors import Number
from reporting import selectors
from reporting.models import (
    OPEN_STATUSES,
    REPORTED_STATUSES,
    Action,
    Figure,
    Round,
    Status,
    Submission,
)

# Column widths of the indicators sheet, in characters: 序号, 类别, 指标, 单位, 填报数, 说明, 口径.
FIGURE_WIDTHS = (6, 12, 24, 8, 14, 28, report.DEFINITION_WIDTH)
LABEL_WIDTH, NOTE_WIDTH = FIGURE_WIDTHS[2], FIGURE_WIDTHS[5]
# The completeness sheet: 区划代码, 地区, 状态, 提交时间, 填报人, 单位负责人, 审核时间, 审核意见, 逾期天数.
COMPLETENESS_WIDTHS = (11, 16, 14, 17, 10, 11, 17, 40, 9)
COMMENT_WIDTH = COMPLETENESS_WIDTHS[7]
UNDERLINE = Border(bottom=THIN)


@dataclass(frozen=True)
class FigureLine:
    """One indicator as the report states it: frozen from submission, live while open."""

    indicator: Indicator
    label: str
    unit: str
    value: Number | None
    note: str
    definition: str


@dataclass(frozen=True)
class RegionLine:
    """One row of a table of regions: the leading cells (code, name, status …) and the values
    by indicator key; 本级 and 合计 stand out."""

    leading: Sequence[Any]
    values: Mapping[str, Number | None]
    emphasised: bool = False


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _date(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _moment(moment: datetime.datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i") if moment else ""


def _is_frozen(submission: Submission) -> bool:
    return submission.status not in OPEN_STATUSES


# --- a region's report ------------------------------------------------------------------------


def submission_workbook(*, submission: Submission, user: Any) -> bytes:
    """The 上报表样 of one report: its figures exactly as frozen at submission (while open, the
    live figures, headed as a draft), with its signatures and review lines; for a parent, a
    second sheet of each child's part, 本级 and 合计."""
    keys = selectors.readable_keys(submission, user)
    frozen = _is_frozen(submission)
    figures = {figure.key: figure for figure in submission.figures.all()}
    values: Mapping[str, Number | None]
    parts: Mapping[str, Mapping[str, Number | None]]
    if frozen:
        values = selectors.frozen_values(submission, figures)
        children = selectors.children_of(submission)
        parts = selectors.frozen_parts(figures)
    else:
        # Counted once: an open parent's values and its children's parts come together.
        composition = selectors.live(submission)
        values, children, parts = composition.values, composition.children, composition.parts
    lines = [_figure_line(key, figures.get(key), values.get(key), frozen) for key in keys]
    title = _("%(region)s %(round)s") % {
        "region": submission.region.name,
        "round": submission.round.name,
    }
    if not frozen:
        title = _("%(title)s (draft, not submitted)") % {"title": title}
    book = Workbook()
    _figures_sheet(book.active, title, submission, lines)
    if children:
        _parts_sheet(book.create_sheet(_("Sub-regions")), title, submission, children, parts, lines)
    return _save(book)


def _figure_line(key: str, figure: Figure | None, value: Number | None, frozen: bool) -> FigureLine:
    indicator = BY_KEY[key]
    if frozen and figure is not None:
        # The label, unit and 口径 as they read when the report was submitted.
        return FigureLine(
            indicator,
            figure.label or str(indicator.label),
            figure.unit or str(indicator.unit),
            value,
            figure.note,
            figure.definition,
        )
    return FigureLine(
        indicator,
        str(indicator.label),
        str(indicator.unit),
        value,
        figure.note if figure else "",
        str(indicator.definition),
    )


def _pairs(sheet: Worksheet, row: int, pairs: Sequence[tuple[int, str, Any]]) -> None:
    """Label and value side by side (a value written as text: a code keeps its digits)."""
    for column, label, value in pairs:
        report.write(sheet, row, column, label, font=BOLD)
        report.write(sheet, row, column + 1, value)


def _notice(sheet: Worksheet, row: int, text: str, columns: int) -> None:
    """A line of text across the table's width, wrapped."""
    report.write(sheet, row, 1, text, font=BOLD, alignment=WRAP)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    width = sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(1, columns + 1))
    sheet.row_dimensions[row].height = 16 * report.lines(text, width)


def _figures_sheet(
    sheet: Worksheet, title: str, submission: Submission, lines: Sequence[FigureLine]
) -> None:
    sheet.title = _("Indicators")
    columns = len(FIGURE_WIDTHS)
    for index, width in enumerate(FIGURE_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    report.title_row(sheet, title, columns)
    region = submission.region
    unit_name = _("%(region)s federation of trade unions") % {"region": region.name}
    status = selectors.status_label(submission, timezone.localdate())
    _pairs(sheet, 2, [(2, _("Reporting unit"), unit_name), (5, _("Region code"), region.code)])
    _pairs(
        sheet,
        3,
        [(2, _("Period"), selectors.period_label(submission.round)), (5, _("Status"), status)],
    )
    row = 3
    for text in _notices(submission):
        row += 1
        _notice(sheet, row, text, columns)
    header_row = row + 2
    header = [
        _("No."),
        _("Group"),
        _("Indicator"),
        _("Unit"),
        _("Reported value"),
        _("Explanation"),
        _("Definition"),
    ]
    for column, value in enumerate(header, start=1):
        report.write(sheet, header_row, column, value, font=BOLD, alignment=CENTRE, border=BOX)
    row = header_row
    for number, line in enumerate(lines, start=1):
        row += 1
        indicator = line.indicator
        cells = [
            number,
            str(GROUPS[indicator.group]),
            line.label,
            line.unit,
            line.value,
            line.note,
            line.definition,
        ]
        for column, item in enumerate(cells, start=1):
            report.write(sheet, row, column, item, border=BOX, alignment=WRAP)
        # The value exactly as reported, in the indicator's own unit: never rounded to 万.
        sheet.cell(row=row, column=5).number_format = number_format_for(indicator.kind, ONES)
        # Spreadsheet programs do not grow a row for wrapped text when printing: give it room.
        height = max(
            report.lines(line.definition, report.DEFINITION_WIDTH),
            report.lines(line.note, NOTE_WIDTH),
            report.lines(line.label, LABEL_WIDTH),
        )
        sheet.row_dimensions[row].height = 15 * height
    _signatures(sheet, row + 2, submission)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    report.page_setup(sheet, columns, f"1:{header_row}")


def _notices(submission: Submission) -> list[str]:
    """What a reader must know before the figures: a draft's figures are live and unsigned; a
    returned report says why; a parent submitted without some children says why."""
    notices = []
    if not _is_frozen(submission):
        notices.append(
            _(
                "Draft: the figures below are counted from the ledger now; they have not been "
                "submitted and are not the region's report."
            )
        )
        # From the log, not the review fields: a re-opened report keeps its approver and the
        # date it was approved there.
        back = (
            submission.events.filter(action__in=(Action.RETURNED, Action.REOPENED))
            .order_by("-at", "-id")
            .first()
        )
        if submission.status == Status.RETURNED and back is not None:
            notices.append(
                _("Returned by %(who)s on %(date)s: %(comment)s")
                % {"who": back.by_name, "date": _date(back.at), "comment": back.comment}
            )
    elif submission.missing_reason:
        notices.append(
            _("Submitted without every sub-region approved: %(reason)s")
            % {"reason": submission.missing_reason}
        )
    return notices


def _signatures(sheet: Worksheet, row: int, submission: Submission) -> None:
    """The submitter's lines on the left, the reviewer's on the right; a line not yet signed is
    left blank and underlined, to be filled by hand."""
    frozen = _is_frozen(submission)
    approved = submission.status == Status.APPROVED
    reviewer = person_name(submission.reviewed_by) if approved and submission.reviewed_by else ""
    left = [
        (_("Reported by"), submission.signer if frozen else ""),
        (_("Head of unit"), submission.head if frozen else ""),
        (_("Submitted on"), _date(submission.submitted_at) if frozen else ""),
    ]
    right = [
        (_("Reviewed by"), reviewer),
        (_("Reviewed on"), _date(submission.reviewed_at) if approved else ""),
        (_("Review comment"), submission.review_comment if approved else ""),
    ]
    for offset, ((left_label, left_value), (right_label, right_value)) in enumerate(
        zip(left, right, strict=True)
    ):
        line = row + offset
        report.write(sheet, line, 2, left_label, font=BOLD)
        report.write(sheet, line, 3, left_value, border=UNDERLINE)
        report.write(sheet, line, 5, right_label, font=BOLD)
        report.write(sheet, line, 6, right_value, border=UNDERLINE, alignment=WRAP)
        sheet.cell(row=line, column=7).border = UNDERLINE
        sheet.merge_cells(start_row=line, start_column=6, end_row=line, end_column=7)
        width = NOTE_WIDTH + report.DEFINITION_WIDTH
        sheet.row_dimensions[line].height = max(24, 15 * report.lines(right_value, width))


def _parts_sheet(
    sheet: Worksheet,
    title: str,
    submission: Submission,
    children: Sequence[Submission],
    parts: Mapping[str, Mapping[str, Number | None]],
    lines: Sequence[FigureLine],
) -> None:
    """Each child's part of the parent's figures, 本级 and 合计: a child's values as approved
    and counted; a child not counted is marked so, its cells empty."""
    today = timezone.localdate()
    rows: list[RegionLine] = []
    for child in children:
        child.round = submission.round  # the same round: its status asks no query per child
        counted = child.region_id in parts
        rows.append(
            RegionLine(
                [
                    child.region_id,
                    child.region.name,
                    selectors.status_label(child, today),
                    _("counted") if counted else _("not counted"),
                ],
                parts.get(child.region_id, {}),
            )
        )
    rows.append(
        RegionLine(
            [submission.region_id, _("Own level"), "", _("counted")],
            parts.get(selectors.OWN_PART, {}),
            emphasised=True,
        )
    )
    rows.append(
        RegionLine(
            ["", _("Total"), "", ""],
            {line.indicator.key: line.value for line in lines},
            emphasised=True,
        )
    )
    fixed = [_("Region code"), _("Region"), _("Status"), _("Counted in the total")]
    headers = {line.indicator.key: unit_header(line.label, line.unit) for line in lines}
    _region_table(sheet, title, fixed, [line.indicator for line in lines], headers, rows)


def _region_table(
    sheet: Worksheet,
    title: str,
    fixed: Sequence[str],
    indicators: Sequence[Indicator],
    headers: Mapping[str, str],
    rows: Sequence[RegionLine],
) -> None:
    """Regions down, indicators across: one block of columns per group (a group of many
    indicators in several), each under its own header and never split over two printed pages,
    as the dashboard's sub-regions sheet lays them out."""
    blocks = report.column_blocks(indicators, report.BLOCK_COLUMNS)
    width = len(fixed) + max((len(block) for block in blocks), default=0)
    report.title_row(sheet, title, width)
    row = 1
    used = 0
    block_points = report.ROW_POINTS * 2 + report.HEADER_POINTS + report.ROW_POINTS * len(rows)
    for number, block in enumerate(blocks):
        row += 1
        if number and used + block_points > report.PAGE_POINTS:
            sheet.row_breaks.append(Break(id=row - 1))
            used = 0
        used += block_points
        report.write(sheet, row, 1, str(GROUPS[block[0].group]), font=Font(bold=True, size=12))
        row += 1
        for column, value in enumerate([*fixed, *(headers[i.key] for i in block)], start=1):
            report.write(sheet, row, column, value, font=BOLD, alignment=CENTRE, border=BOX)
        sheet.row_dimensions[row].height = report.HEADER_POINTS
        for line in rows:
            row += 1
            font = BOLD if line.emphasised else Font()
            for column, item in enumerate(line.leading, start=1):
                report.write(sheet, row, column, item, font=font, border=BOX)
            for column, indicator in enumerate(block, start=len(fixed) + 1):
                report.write(
                    sheet, row, column, line.values.get(indicator.key), font=font, border=BOX
                )
                sheet.cell(row=row, column=column).number_format = number_format_for(
                    indicator.kind, ONES
                )
    # A block's column holds a different indicator from block to block: wide enough for the
    # widest kind it may hold, money to the fen (12,345,678.90) as reported, never in 万元.
    money = any(indicator.kind == "money" for indicator in indicators)
    for index in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 15 if money else 12
    sheet.column_dimensions["A"].width = 11
    sheet.column_dimensions["B"].width = 16  # 景宁畲族自治县 whole
    report.page_setup(sheet, width, "1:1")


# --- a round's completeness -------------------------------------------------------------------


def days_overdue(submission: Submission, today: datetime.date) -> int | None:
    """Days past the due date: a report submitted late by the days it was late; one not reported
    by the days since the due date; None when on time or not yet due."""
    due = submission.round.due_on
    if submission.status in REPORTED_STATUSES and submission.submitted_at is not None:
        late = (timezone.localtime(submission.submitted_at).date() - due).days
    else:
        late = (today - due).days
    return late if late > 0 else None


def completeness_workbook(*, round_: Round, parent: Region, user: Any) -> bytes:
    """报送情况: each child of `parent` in the round with its status, signatures, review and
    days overdue; and 数据: each reported child's submitted figures with their 合计."""
    today = timezone.localdate()
    children = list(selectors.children_in_scope(round_, parent, user).order_by("region_id"))
    title = _("%(round)s: %(region)s reporting completeness") % {
        "round": round_.name,
        "region": parent.name,
    }
    book = Workbook()
    _completeness_sheet(book.active, title, round_, children, today)
    keys = selectors.readable_in(round_, user)
    _data_sheet(book.create_sheet(_("Data")), title, round_, keys, children, today)
    return _save(book)


def _completeness_sheet(
    sheet: Worksheet,
    title: str,
    round_: Round,
    children: Sequence[Submission],
    today: datetime.date,
) -> None:
    sheet.title = _("Reporting completeness")
    columns = len(COMPLETENESS_WIDTHS)
    for index, width in enumerate(COMPLETENESS_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    report.title_row(sheet, title, columns)
    period = _("Period: %(period)s; due on %(due)s; as of %(today)s") % {
        "period": selectors.period_label(round_),
        "due": round_.due_on.isoformat(),
        "today": today.isoformat(),
    }
    _notice(sheet, 2, period, columns)
    tally = selectors.counts(children, today)
    _notice(
        sheet,
        3,
        _(
            "%(total)d regions: %(reported)d reported (%(approved)d approved), %(overdue)d "
            "overdue, %(pending)d not yet due; %(returned)d returned."
        )
        % tally,
        columns,
    )
    header_row = 5
    header = [
        _("Region code"),
        _("Region"),
        _("Status"),
        _("Submitted at"),
        _("Reported by"),
        _("Head of unit"),
        _("Reviewed at"),
        _("Review comment"),
        pgettext("reporting", "Days overdue"),
    ]
    for column, value in enumerate(header, start=1):
        report.write(sheet, header_row, column, value, font=BOLD, alignment=CENTRE, border=BOX)
    row = header_row
    for child in children:
        row += 1
        cells = [
            child.region_id,
            child.region.name,
            selectors.status_label(child, today),
            _moment(child.submitted_at),
            child.signer,
            child.head,
            _moment(child.reviewed_at),
            child.review_comment,
            days_overdue(child, today),
        ]
        for column, item in enumerate(cells, start=1):
            report.write(sheet, row, column, item, border=BOX, alignment=WRAP)
        sheet.row_dimensions[row].height = 15 * report.lines(child.review_comment, COMMENT_WIDTH)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    report.page_setup(sheet, columns, f"1:{header_row}")


def _data_sheet(
    sheet: Worksheet,
    title: str,
    round_: Round,
    keys: Sequence[str],
    children: Sequence[Submission],
    today: datetime.date,
) -> None:
    """Each child's figures as it submitted them (empty for a child that has not reported) and
    the 合计 of the reported ones: additive figures summed, shares recomputed from their summed
    parts, a figure that does not add up left empty."""
    values = selectors.values_of_children(children, REPORTED_STATUSES)
    rows = [
        RegionLine(
            [child.region_id, child.region.name, selectors.status_label(child, today)],
            values.get(child.region_id, {}),
        )
        for child in children
    ]
    if values:
        summed = selectors.total(values.values(), round_.indicators)
        # A share adds up through its parts; anything else that does not add up stays empty.
        total = {
            key: summed.get(key) if BY_KEY[key].additive or BY_KEY[key].ratio else None
            for key in keys
        }
        rows.append(RegionLine(["", _("Total of the reported regions"), ""], total, True))
    indicators = [BY_KEY[key] for key in keys]
    headers = {i.key: unit_header(str(i.label), str(i.unit)) for i in indicators}
    fixed = [_("Region code"), _("Region"), _("Status")]
    _region_table(sheet, title, fixed, indicators, headers, rows)
