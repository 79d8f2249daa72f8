"""The import run: a sheet in, every row checked, then all rows written or none (or, asked for,
the rows without errors).

django-import-export's own `import_data` saves row by row (a SELECT, a SAVEPOINT and an INSERT
or UPDATE per row: minutes for 100 000 rows). Resources here keep the library's declarative
fields and widgets, and this module replaces its row loop with a bulk path:

1. find the header row, clean every cell through the column widgets;
2. resolve references (regions, enterprises, workers, titles …) with a few bulk queries;
3. look up existing records by natural key in bulk, compare, validate, check the scope;
4. if any row failed: report and write nothing (or, with `only_valid`, write the rows that did
   not fail); write in one transaction (sheets.writer: bulk inserts and updates, history rows
   in bulk too) and remember it for undo.

Every error carries its place: the sheet's own header text and the Excel cell (`Places`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models
from django.utils.translation import gettext as _

from base import identity, scope
from sheets import normalise
from sheets.existing import Stored, complete, restore_masked
from sheets.fields import Choice, SheetField, SheetWidget
from sheets.headers import HeaderError, HeaderMatch, column_letter, find_header
from sheets.lookups import Context
from sheets.normalise import CellError
from sheets.resources import RECORD_KEY, SheetResource
from sheets.rows import (
    CELL_SEPARATOR,
    NO_COLUMN,
    WHOLE_ROW,
    Progress,
    Report,
    Row,
    RowError,
    RowFailed,
    ident,
)
from sheets.writer import unsaved_references, write
from workforce.models import Enterprise, Worker

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
    only_valid: bool = False,
    mapping: dict[str, str] | None = None,
) -> tuple[Report, dict[str, Any]]:
    """Check every row and, unless `dry_run`, write them in one transaction.

    All or nothing by default: one bad row and nothing is written. With `only_valid`, the rows
    without errors are written (with the new records they refer to, and no record a refused
    row would have created) and the others stay in the report. `mapping` maps headers the
    sheet type does not know to its columns (a user's saved choice). Returns the report and,
    for a real import, what was written (for undo).
    """
    report = Report(resource=resource.resource_name, only_valid=only_valid)
    columns = resource.columns()
    try:
        match = find_header(rows, columns, mapping=mapping)
    except HeaderError as error:
        report.errors.append(RowError(0, NO_COLUMN, error.message))
        return report, {}
    report.header_row = match.row_index + 1
    report.header_columns = {column.header: index + 1 for index, column in match.columns.items()}
    places = Places(match, rows[match.row_index])
    report.sheet_headers = places.sheet_headers()
    report.unknown_headers = list(match.unknown)
    report.mapped = dict(match.mapped)
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
    # The loop below runs for every cell: attribute look-ups hoisted, the column's memo asked
    # inline (ColumnReader.clean does the same, a call per cell more).
    columns_read = [(reader, reader.name, reader.index, reader.memo) for reader in readers]
    blank = normalise.text
    for index in range(match.row_index + 1, len(rows)):
        cells = rows[index]
        width = len(cells)
        raw = {
            name: (cells[position] if position < width else None)
            for _reader, name, position, _memo in columns_read
        }
        if all(blank(value) == "" for value in raw.values()):
            continue  # blank rows in the middle are skipped
        row = Row(number=index + 1, data={}, raw=raw)
        data = row.data
        failed = False
        for reader, name, _position, memo in columns_read:
            value = raw[name]
            try:
                if memo is not None and type(value) is str:
                    cleaned = memo.get(value, _MISSING)
                    if cleaned is _MISSING:
                        cleaned = reader.clean(value)
                else:
                    cleaned = reader.clean(value)
            except CellError as error:
                report.errors.append(places.error(row.number, reader.header, error.message))
                failed = True
                continue
            if reader.required and cleaned in (None, "", []):
                report.errors.append(
                    places.error(row.number, reader.header, _("This column must be filled in."))
                )
                failed = True
            data[name] = cleaned
        if not failed:
            parsed.append(row)
    if RECORD_KEY in fields:
        # A clerk's own export: rows matched by 记录编号, masked numbers restored from them.
        unmatched = restore_masked(resource.model, fields, RECORD_KEY, parsed, user)
        for row, failure in unmatched:
            report.errors.extend(places.errors(row.number, failure))
        dropped = {id(row) for row, _failure in unmatched}
        parsed = [row for row in parsed if id(row) not in dropped]
    report.rows_total = len(parsed) + report.error_count
    if not parsed and not report.errors:
        # A template sent back unfilled, or rows typed below thousands of blank ones that were
        # then deleted: importing nothing and calling it done would hide the mistake.
        report.errors.append(
            RowError(
                report.header_row,
                NO_COLUMN,
                _("There are no rows of data below the header row (row %(row)d).")
                % {"row": report.header_row},
            )
        )
        return report, {}

    context = Context(user)
    resource.prefetch(parsed, context)
    seen: dict[Any, Row] = {}
    refused: set[int] = set()  # rows refused after they were planned (the first of a duplicate)
    to_create: list[models.Model] = []
    to_update: list[tuple[models.Model, dict[str, Any]]] = []
    planned: list[tuple[Row, dict[str, Any], tuple[Any, ...]]] = []
    key_headers = resource.key_headers()
    model_pk = resource.model._meta.pk.name
    for position, row in enumerate(parsed, start=1):
        if progress and position % 1000 == 0:
            progress(position, len(parsed))
        try:
            values = resource.build(row, context)
            if row.data.get(RECORD_KEY) is not None:
                values[model_pk] = row.data[RECORD_KEY]  # the record it names, in scope
            key = tuple(ident(values.get(part)) for part in resource.match_fields(values))
            first = seen.get(key)
            if first is not None:
                described = resource.describe_key(row)
                if first.number not in refused:
                    # Both rows are refused and both rows' key cells marked: which one is
                    # meant is the user's call, not the order of the rows.
                    refused.add(first.number)
                    report.errors.append(
                        places.error(
                            first.number,
                            key_headers,
                            _("Row %(other)d holds the same record (%(key)s); keep one of them.")
                            % {"other": row.number, "key": described},
                        )
                    )
                raise RowFailed(
                    CELL_SEPARATOR.join(key_headers),
                    _("Row %(first)d already has this record (%(key)s).")
                    % {"first": first.number, "key": described},
                )
            seen[key] = row
            planned.append((row, values, key))
        except RowFailed as failure:
            report.errors.extend(places.errors(row.number, failure))

    existing = resource.find_existing([values for _row, values, _key in planned])
    scoped = scope.is_scoped(resource.model)
    model = resource.model
    changed_by_row: dict[int, dict[str, Any]] = {}
    # Each row and stored record is let go once handled, so that the memory of 100 000 rows
    # is reused for the instances to write rather than added to (peak memory, not speed).
    del parsed, seen
    planned.reverse()
    # First what each row comes to (new, unchanged, changed, out of scope), then the records to
    # write, built in the rows' order: the changed records' columns left out of the comparison
    # are fetched in between, a query for all of them (sheets.existing.complete).
    decided: list[tuple[Row, dict[str, Any], Stored | None, dict[str, Any]]] = []
    while planned:
        row, values, key = planned.pop()
        stored = existing.pop(key, None)
        if row.number in refused:
            continue
        if stored is None:
            decided.append((row, values, None, {}))
            continue
        if scoped and not scope.region_in_scope(user, stored.scope_code):
            outside = RowFailed(resource.scope_header(), str(identity.UNAVAILABLE_IN_REGION))
            report.errors.extend(places.errors(row.number, outside))
            continue
        old, changed = stored.compare(values)
        if not changed:
            report.skipped += 1
            continue
        decided.append((row, values, stored, old))
        changed_by_row[row.number] = changed
    complete([stored for _row, _values, stored, _old in decided if stored is not None])
    decided.reverse()
    while decided:
        row, values, stored, old = decided.pop()
        try:
            if stored is None:
                instance = model(**values)
                resource.validate(instance, None, row, context)
                to_create.append(instance)
                _preview(report, row, "create", resource, places)
            else:
                instance = stored.instance()
                for name, value in values.items():
                    setattr(instance, name, value)
                resource.validate(instance, old, row, context)
                to_update.append((instance, changed_by_row.pop(row.number)))
                _preview(report, row, "update", resource, places)
        except RowFailed as failure:
            report.errors.extend(places.errors(row.number, failure))
    report.errors.sort(key=lambda error: error.row)
    report.created, report.updated = len(to_create), len(to_update)
    references: list[list[models.Model]] = [
        list(context.new_enterprises.values()),
        [worker for worker, _row in context.new_workers.values()],
        *context.created_other.values(),
    ]
    if report.errors and only_valid:
        # Only what a written row refers to is written with it: a refused row's new worker,
        # enterprise or provider is not, and is not announced. (Without errors every new
        # record is some written row's: each was made by a row's build.)
        references = referenced(
            [*to_create, *(instance for instance, _changed in to_update)], references
        )
    new_workers = [obj for group in references for obj in group if isinstance(obj, Worker)]
    new_enterprises = [obj for group in references for obj in group if isinstance(obj, Enterprise)]
    if new_workers:
        report.notes.append(
            _("%(count)d workers not yet on record will be added.") % {"count": len(new_workers)}
        )
    if new_enterprises:
        report.notes.append(
            _("%(count)d enterprises not yet on record will be added: %(names)s.")
            % {
                "count": len(new_enterprises),
                "names": "、".join(enterprise.name for enterprise in new_enterprises[:10]),
            }
        )
    for note in resource.notes(context):
        report.notes.append(note)
    report.writable = report.created + report.updated
    if report.errors and not only_valid:
        # All or nothing: a sheet with any bad row writes nothing, and the counts say so.
        report.created = report.updated = report.skipped = 0
        return report, {}
    if dry_run:
        return report, {}
    try:
        changes = write(
            resource,
            references,
            to_create,
            to_update,
            context=context,
            user=user,
            file_name=file_name,
        )
    except IntegrityError as error:
        report.errors.append(
            RowError(
                0, NO_COLUMN, _("The database refused the import: %(error)s") % {"error": error}
            )
        )
        report.created = report.updated = report.writable = 0
        return report, {}
    return report, changes


class Places:
    """Where a column's errors are: the sheet's own header text and the Excel cell.

    Resources name a column by its declared header (学时); the sheet may call it 课时 and have it
    in column G, so an error in row 2 is shown as 课时, G2.
    """

    def __init__(self, match: HeaderMatch, header_cells: Sequence[Any]) -> None:
        self.by_header: dict[str, tuple[str, str]] = {}
        for index, column in match.columns.items():
            written = normalise.text(header_cells[index]) if index < len(header_cells) else ""
            self.by_header[column.header] = (written or column.header, column_letter(index))

    def sheet_headers(self) -> dict[str, str]:
        """Declared header → the sheet's own text, for the matched columns."""
        return {header: place[0] for header, place in self.by_header.items()}

    def error(self, row: int, column: str | Sequence[str], message: str) -> RowError:
        declared = [column] if isinstance(column, str) else list(column)
        declared = [part for name in declared for part in name.split(CELL_SEPARATOR) if part]
        if not declared or declared == [NO_COLUMN]:
            return RowError(row, str(WHOLE_ROW), message)
        headers, cells = [], []
        for header in declared:
            written, letter = self.by_header.get(header, (header, ""))
            headers.append(written)
            if letter:
                cells.append(f"{letter}{row}")
        return RowError(row, CELL_SEPARATOR.join(headers), message, cell=CELL_SEPARATOR.join(cells))

    def errors(self, row: int, failure: RowFailed) -> list[RowError]:
        return [self.error(row, column, message) for column, message in failure.failures()]


def referenced(
    rows: list[models.Model], candidates: list[list[models.Model]]
) -> list[list[models.Model]]:
    """The new records among `candidates` (groups, in the order they must be written) that the
    rows refer to, directly or through one another (a new worker's new employer)."""
    reached: set[int] = set()
    stack = list(rows)
    while stack:
        for related in unsaved_references(stack.pop()):
            if id(related) not in reached:
                reached.add(id(related))
                stack.append(related)
    return [[obj for obj in group if id(obj) in reached] for group in candidates]


def _preview(
    report: Report, row: Row, action: str, resource: SheetResource, places: Places
) -> None:
    """The first rows to be written, by the sheet's own headers (masked, choices as labels)."""
    if len(report.preview) < PREVIEW_ROWS:
        fields = resource.sheet_fields()
        headers = places.sheet_headers()
        values = {}
        for name, value in row.data.items():
            field = fields[name]
            if isinstance(field.widget, Choice):
                value = field.widget.render(value)  # the Chinese label, not the stored code
            values[headers.get(field.header, field.header)] = field.masked(_display(value))
        report.preview.append({"row": row.number, "action": action, "values": values})
