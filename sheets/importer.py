"""The import engine: a sheet in, every row checked, then all rows written or none.

django-import-export's own `import_data` saves row by row (a SELECT, a SAVEPOINT and an INSERT
or UPDATE per row: minutes for 100 000 rows). Resources here keep the library's declarative
fields and widgets, and this module replaces its row loop with a bulk path:

1. find the header row, clean every cell through the column widgets;
2. resolve references (regions, enterprises, workers, titles …) with a few bulk queries;
3. look up existing records by natural key in bulk, compare, validate, check the scope;
4. if any row failed: report and write nothing; otherwise write everything in one transaction
   (bulk inserts and updates, history rows in bulk too) and remember it for undo.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models
from django.utils.translation import gettext as _

from base import identity, scope
from sheets import normalise
from sheets.fields import Choice, SheetField, SheetWidget
from sheets.headers import HeaderError, find_header
from sheets.lookups import Context
from sheets.normalise import CellError
from sheets.resources import SheetResource
from sheets.rows import (
    Progress,
    Report,
    Row,
    RowError,
    RowFailed,
    ident,
)
from sheets.writer import write

PREVIEW_ROWS = 20


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    return str(value)


_MISSING = object()
# Cleaned values safe to hand to several rows: nothing a row's processing could mutate.
_SHAREABLE = (str, int, float, bool, Decimal, datetime.date, datetime.time, type(None))


class ColumnReader:
    """One matched column of the sheet: where its cells are and how they are cleaned.

    Most columns repeat a few values over many rows (regions, employers, choices, dates), and a
    widget's clean() is a function of the cell alone, so each column remembers what a text cell
    cleaned to. Only successes are remembered (every row reports its own error), only values no
    row can mutate (not lists), and at most MEMO_SIZE per column (ID numbers never repeat).
    """

    MEMO_SIZE = 20_000

    def __init__(self, index: int, name: str, field: SheetField, *, wan: bool) -> None:
        self.index = index
        self.name = name
        self.header = field.header
        self.required = field.required
        self.widget = field.widget
        self.wan = wan
        self.memo: dict[str, Any] | None = {} if isinstance(field.widget, SheetWidget) else None

    def clean(self, value: Any) -> Any:
        memo = self.memo
        if memo is None or type(value) is not str:
            return self.widget.clean(value, wan=self.wan)
        cleaned = memo.get(value, _MISSING)
        if cleaned is _MISSING:
            cleaned = self.widget.clean(value, wan=self.wan)
            if len(memo) < self.MEMO_SIZE and isinstance(cleaned, _SHAREABLE):
                memo[value] = cleaned
        return cleaned


# --- the run ---------------------------------------------------------------------------------


def run_import(
    resource: SheetResource,
    rows: list[list[Any]],
    *,
    user: Any,
    dry_run: bool,
    file_name: str = "",
    progress: Progress | None = None,
) -> tuple[Report, dict[str, Any]]:
    """Check every row and, unless `dry_run` or a row failed, write them all in one transaction.

    Returns the report and, for a real import, what was written (for undo).
    """
    report = Report(resource=resource.resource_name)
    columns = resource.columns()
    try:
        match = find_header(rows, columns)
    except HeaderError as error:
        report.errors.append(RowError(0, "—", error.message))
        return report, {}
    report.header_row = match.row_index + 1
    report.header_columns = {column.header: index + 1 for index, column in match.columns.items()}
    if match.unknown:
        report.warnings.append(
            _("Columns ignored: %(columns)s.") % {"columns": "、".join(match.unknown)}
        )
    if match.missing:
        for column in match.missing:
            report.errors.append(
                RowError(
                    match.row_index + 1,
                    column.header,
                    _("The required column “%(header)s” is missing.") % {"header": column.header},
                )
            )
        return report, {}

    fields = resource.sheet_fields()
    readers = [
        ColumnReader(index, column.name, fields[column.name], wan=column.name in match.wan)
        for index, column in match.columns.items()
    ]
    parsed: list[Row] = []
    for index in range(match.row_index + 1, len(rows)):
        cells = rows[index]
        width = len(cells)
        raw = {
            reader.name: (cells[reader.index] if reader.index < width else None)
            for reader in readers
        }
        if all(normalise.text(value) == "" for value in raw.values()):
            continue  # blank rows in the middle are skipped
        row = Row(number=index + 1, data={}, raw=raw)
        failed = False
        for reader in readers:
            try:
                cleaned = reader.clean(raw[reader.name])
            except CellError as error:
                report.errors.append(RowError(row.number, reader.header, error.message))
                failed = True
                continue
            if reader.required and cleaned in (None, "", []):
                report.errors.append(
                    RowError(row.number, reader.header, _("This column must be filled in."))
                )
                failed = True
            row.data[reader.name] = cleaned
        if not failed:
            parsed.append(row)
    report.rows_total = len(parsed) + report.error_count
    if not parsed and not report.errors:
        # A template sent back unfilled, or rows typed below thousands of blank ones that were
        # then deleted: importing nothing and calling it done would hide the mistake.
        report.errors.append(
            RowError(
                report.header_row,
                "—",
                _("There are no rows of data below the header row (row %(row)d).")
                % {"row": report.header_row},
            )
        )
        return report, {}

    context = Context(user)
    resource.prefetch(parsed, context)
    seen: dict[Any, int] = {}
    to_create: list[models.Model] = []
    to_update: list[tuple[models.Model, dict[str, Any]]] = []
    planned: list[tuple[Row, dict[str, Any], tuple[Any, ...]]] = []
    for position, row in enumerate(parsed, start=1):
        if progress and position % 1000 == 0:
            progress(position, len(parsed))
        try:
            values = resource.build(row, context)
            key = tuple(ident(values.get(part)) for part in resource.key_fields(values))
            if key in seen:
                raise RowFailed(
                    resource.key_header(),
                    _("Row %(first)d already has this record (%(key)s).")
                    % {"first": seen[key], "key": resource.describe_key(row)},
                )
            seen[key] = row.number
            planned.append((row, values, key))
        except RowFailed as failure:
            report.errors.append(RowError(row.number, failure.column, failure.message))

    existing = resource.find_existing([values for _row, values, _key in planned])
    scoped = scope.is_scoped(resource.model)
    new_instance = resource.model
    # Each row and stored record is let go once handled, so that the memory of 100 000 rows
    # is reused for the instances to write rather than added to (peak memory, not speed).
    del parsed, seen
    planned.reverse()
    while planned:
        row, values, key = planned.pop()
        stored = existing.pop(key, None)
        try:
            if stored is None:
                instance = new_instance(**values)
                resource.validate(instance, None, row, context)
                to_create.append(instance)
                _preview(report, row, "create", resource)
            else:
                if scoped and not scope.region_in_scope(user, stored.scope_code):
                    raise RowFailed(
                        resource.scope_header(),
                        str(identity.UNAVAILABLE_IN_REGION),
                    )
                old, changed = stored.compare(values)
                if not changed:
                    report.skipped += 1
                    continue
                instance = stored.instance()
                for name, value in values.items():
                    setattr(instance, name, value)
                resource.validate(instance, old, row, context)
                to_update.append((instance, changed))
                _preview(report, row, "update", resource)
        except RowFailed as failure:
            report.errors.append(RowError(row.number, failure.column, failure.message))
    report.errors.sort(key=lambda error: error.row)
    report.created, report.updated = len(to_create), len(to_update)
    new_workers = [worker for worker, _row in context.new_workers.values()]
    if new_workers:
        report.notes.append(
            _("%(count)d workers not yet on record will be added.") % {"count": len(new_workers)}
        )
    if context.new_enterprises:
        report.notes.append(
            _("%(count)d enterprises not yet on record will be added: %(names)s.")
            % {
                "count": len(context.new_enterprises),
                "names": "、".join(name for name, _code in list(context.new_enterprises)[:10]),
            }
        )
    for note in resource.notes(context):
        report.notes.append(note)
    if report.errors:
        # All or nothing: a sheet with any bad row writes nothing, and the counts say so.
        report.created = report.updated = report.skipped = 0
        return report, {}
    if dry_run:
        return report, {}
    try:
        changes = write(resource, context, to_create, to_update, user=user, file_name=file_name)
    except IntegrityError as error:
        report.errors.append(
            RowError(0, "—", _("The database refused the import: %(error)s") % {"error": error})
        )
        report.created = report.updated = 0
        return report, {}
    return report, changes


def _preview(report: Report, row: Row, action: str, resource: SheetResource) -> None:
    if len(report.preview) < PREVIEW_ROWS:
        fields = resource.sheet_fields()
        values = {}
        for name, value in row.data.items():
            field = fields[name]
            if isinstance(field.widget, Choice):
                value = field.widget.render(value)  # the Chinese label, not the stored code
            values[field.header] = field.masked(_display(value))
        report.preview.append({"row": row.number, "action": action, "values": values})
