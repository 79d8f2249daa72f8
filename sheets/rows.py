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

from django.core.exceptions import ValidationError
from django.db import models

from workforce.models import Worker

CHUNK = 2000
Progress = Callable[[int, int], None]


class NamesColumns(Protocol):
    def header_for(self, model_field: str) -> str: ...


@dataclasses.dataclass
class RowError:
    row: int
    column: str
    message: str

    def line(self) -> str:
        # A fixed, untranslated shape that scripts parse (docs/design.md §5); the message is Chinese.
        return f"row {self.row}, column {self.column}: {self.message}"


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

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        errors = [RowError(**error) for error in data.get("errors", [])]
        return cls(**{**data, "errors": errors})


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
    """Raised inside row processing: the row gets this error and is not written."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


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
    """Turn a model ValidationError into a row error on the column of the failing field."""
    if hasattr(error, "error_dict"):
        name, messages = next(iter(error.message_dict.items()))
        return RowFailed(resource.header_for(name), " ".join(messages))
    return RowFailed("—", " ".join(error.messages))
