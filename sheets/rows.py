"""What one import speaks in: its rows, their failures and its report.

The import engine (`sheets.importer`), the reference look-ups (`sheets.lookups`) and the sheet
types (`sheets.resources`) all use these; this module imports none of them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

from workforce.models import Worker

CHUNK = 2000
Progress = Callable[[int, int], None]


class NamesColumns(Protocol):
    def header_for(self, model_field: str) -> str: ...


# The column of an error about no one column: the file or the header row.
NO_COLUMN = "—"
# The column of a row's error that no column causes (a rule over the whole record).
WHOLE_ROW = gettext_lazy("whole row")


@dataclasses.dataclass
class RowError:
    """One refusal and its place: the Excel row, the sheet's own header text of the column (or
    columns, joined by 、) and the cell (cells) it names, e.g. 学时 and G2."""

    row: int
    column: str
    message: str
    cell: str = ""  # "G2"; several as "B5、C5"; empty for the file, the header row, a whole row

    def line(self) -> str:
        # A fixed, untranslated shape that scripts parse (docs/design.md §5); the message is Chinese.
        place = f", cell {self.cell}" if self.cell else ""
        return f"row {self.row}, column {self.column}{place}: {self.message}"

    def cells(self) -> list[str]:
        return [cell for cell in self.cell.split(CELL_SEPARATOR) if cell]


CELL_SEPARATOR = "、"


@dataclasses.dataclass
class Report:
    resource: str
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    preview: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    header_row: int | None = None
    # Excel columns (1-based) of each header, for the error workbook.
    header_columns: dict[str, int] = dataclasses.field(default_factory=dict)
    # Set when `errors` holds only the first messages (a stored report, see `kept`): how many
    # messages and rows with errors the check found in all.
    errors_total: int | None = None
    error_rows: int | None = None
    # Whether the run was asked to write the rows without errors and keep the rest.
    only_valid: bool = False
    # Rows that would be written (created or updated) were the others left out: what the
    # 只导入无误的行 choice offers after a check with errors.
    writable: int = 0
    # Declared header → the sheet's own header text; the headers no column matched; and the
    # unknown headers mapped to a column by the user's saved choice (sheet text → column name).
    sheet_headers: dict[str, str] = dataclasses.field(default_factory=dict)
    unknown_headers: list[str] = dataclasses.field(default_factory=list)
    mapped: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def error_count(self) -> int:
        """Rows with at least one error (a file-level error counts as one)."""
        if self.error_rows is not None:
            return self.error_rows
        return len({error.row for error in self.errors})

    @property
    def error_messages(self) -> int:
        """Error messages in all (several per row are possible)."""
        return self.errors_total if self.errors_total is not None else len(self.errors)

    def kept(self, limit: int) -> Report:
        """The report as stored: the first `limit` error messages and the counts of all, so that a
        sheet with 600,000 bad rows leaves neither a giant record nor a giant page."""
        if len(self.errors) <= limit:
            return self
        return dataclasses.replace(
            self,
            errors=self.errors[:limit],
            errors_total=self.error_messages,
            error_rows=self.error_count,
        )

    def summary(self) -> str:
        return (
            f"created={self.created} updated={self.updated} "
            f"skipped={self.skipped} errors={self.error_count}"
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        errors = [RowError(**error) for error in data.get("errors", [])]
        return cls(**{**data, "errors": errors})

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for error in data["errors"]:
            error["column"] = str(error["column"])  # WHOLE_ROW is translated when stored
        return data


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Hold off Python's cyclic garbage collector while a sheet is read and imported.

    Reading and checking 100 000 rows allocates millions of objects that live until the end,
    and the collector would trace them again and again (about a second per import) without
    finding garbage: they are freed by reference counting. It runs again as before afterwards;
    nested or concurrent pauses leave it to the one that found it running.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class RowFailed(Exception):
    """Raised inside row processing: the row gets this error and is not written.

    `column` is the column's header as the resource declares it (the run finds the sheet's own
    header text and the cell); `more` holds further (column, message) pairs of the same row.
    """

    def __init__(self, column: str, message: str, *, more: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.column = column
        self.message = message
        self.more = tuple(more)

    def failures(self) -> list[tuple[str, str]]:
        return [(self.column, self.message), *self.more]


@dataclasses.dataclass
class Row:
    number: int  # as Excel shows it
    data: dict[str, Any]  # field name → cleaned value
    raw: dict[str, Any]


def ident(value: Any) -> Any:
    """A hashable identity for a key part: saved records by pk, new workers by ID number."""
    if isinstance(value, models.Model):
        if value.pk is not None:
            return (value._meta.label, value.pk)
        if isinstance(value, Worker):
            return ("new-worker", value.id_number)
        return ("new", id(value))
    return value


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def validation_to_row_failure(error: ValidationError, resource: NamesColumns) -> RowFailed:
    """A model ValidationError as row errors, each on the column of the field it is about.

    Field errors go to their field's column. An error not bound to a field (clean() raising a
    plain message, a constraint) goes to the columns of the fields it names — a unique check's
    fields, or the `fields` its params list — and only when it names none, to the whole row.
    """
    failures: list[tuple[str, str]] = []
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                message = " ".join(item.messages)
                if name == NON_FIELD_ERRORS:
                    failures.append((_named_columns(item, resource), message))
                else:
                    failures.append((resource.header_for(name), message))
    else:
        for item in error.error_list:
            failures.append((_named_columns(item, resource), " ".join(item.messages)))
    merged: dict[str, list[str]] = {}
    for column, message in failures:
        merged.setdefault(column, []).append(message)
    pairs = [(column, " ".join(messages)) for column, messages in merged.items()]
    first, *rest = pairs or [(NO_COLUMN, " ".join(error.messages))]
    return RowFailed(first[0], first[1], more=rest)


def _named_columns(error: ValidationError, resource: NamesColumns) -> str:
    params = getattr(error, "params", None) or {}
    names = params.get("unique_check") or params.get("fields") or ()
    headers = [resource.header_for(name) for name in names]
    headers = [header for header in dict.fromkeys(headers) if header != NO_COLUMN]
    return CELL_SEPARATOR.join(headers) if headers else NO_COLUMN


@dataclasses.dataclass
class ErrorGroup:
    """One message repeated over rows, shown once: its column, rows and cells listed compactly."""

    column: str
    message: str
    rows: str  # "3–12、15"; "" for an error of the file
    cells: str  # "G3–G12、G15"
    count: int


def group_errors(errors: Iterable[RowError]) -> list[ErrorGroup]:
    """Errors with the same column and message as one group each, in order of first row."""
    groups: dict[tuple[str, str], list[RowError]] = {}
    for error in errors:
        groups.setdefault((error.column, error.message), []).append(error)
    result = []
    for (column, message), members in groups.items():
        rows = sorted({error.row for error in members if error.row})
        letters: dict[str, list[int]] = {}
        for error in members:
            for cell in error.cells():
                letter = cell.rstrip("0123456789")
                letters.setdefault(letter, []).append(int(cell[len(letter) :]))
        cells = CELL_SEPARATOR.join(
            compact(sorted(set(numbers)), prefix=letter) for letter, numbers in letters.items()
        )
        result.append(ErrorGroup(column, message, compact(rows), cells, len(members)))
    return result


def compact(numbers: Sequence[int], *, prefix: str = "") -> str:
    """Sorted numbers as runs: [3, 4, 5, 9] → "3–5、9" (with a prefix: "G3–G5、G9")."""
    runs: list[str] = []
    start = previous = None
    for number in [*numbers, None]:
        if number is not None and previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            runs.append(
                f"{prefix}{start}" if start == previous else f"{prefix}{start}–{prefix}{previous}"
            )
        start = previous = number
    return CELL_SEPARATOR.join(runs)
