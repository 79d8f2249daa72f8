"""Where generated rows go: straight into the database in batches, or into a digest (tests).

Rows are plain tuples in a table's column order, so a million workers never become a million
model instances on PostgreSQL: they are streamed with COPY. Other databases get bulk_create.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.management.color import no_style
from django.db import connections, models
from django.utils import timezone

from sheets.bulk import copy_rows
from sheets.signals import bulk_written


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    # Attribute names (`region_id`), the primary key first.
    columns: tuple[str, ...]
    json_columns: frozenset[str] = frozenset()

    @property
    def timestamped(self) -> bool:
        return any(f.name == "created_at" for f in self.model._meta.concrete_fields)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


class Sink(Protocol):
    def add(self, table: Table, row: tuple[Any, ...]) -> None: ...

    def flush(self) -> None: ...


@dataclass
class DigestSink:
    """Keeps a checksum and row counts instead of writing: proves the generator repeats itself."""

    digest: Any = field(default_factory=hashlib.sha256)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, table: Table, row: tuple[Any, ...]) -> None:
        self.digest.update(table.label.encode())
        self.digest.update(repr(row).encode())
        self.counts[table.label] = self.counts.get(table.label, 0) + 1

    def flush(self) -> None:
        pass

    def hexdigest(self) -> str:
        return str(self.digest.hexdigest())


class DatabaseSink:
    """Buffers rows and writes every table's buffer, in the given (dependency) order, whenever
    `batch_size` rows are waiting, so parents always reach the database before their children and
    memory stays bounded whatever the number of rows."""

    def __init__(
        self, tables: Sequence[Table], *, using: str = "default", batch_size: int = 20_000
    ) -> None:
        self.tables = tuple(tables)
        self.connection = connections[using]
        self.using = using
        self.batch_size = batch_size
        self.buffers: dict[Table, list[tuple[Any, ...]]] = {table: [] for table in self.tables}
        self.pending = 0
        self.counts: dict[Table, int] = dict.fromkeys(self.tables, 0)
        self.copy = self.connection.vendor == "postgresql"
        self.now = timezone.now()

    def add(self, table: Table, row: tuple[Any, ...]) -> None:
        self.buffers[table].append(row)
        self.pending += 1
        if self.pending >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        for table in self.tables:
            rows = self.buffers[table]
            if not rows:
                continue
            if self.copy:
                self._copy(table, rows)
            else:
                self._bulk_create(table, rows)
            self.counts[table] += len(rows)
            self.buffers[table] = []
        self.pending = 0

    def _copy(self, table: Table, rows: list[tuple[Any, ...]]) -> None:
        columns = list(table.columns)
        json_positions = [i for i, name in enumerate(columns) if name in table.json_columns]
        stamps: tuple[Any, ...] = ()
        if table.timestamped:
            columns += ["created_at", "updated_at"]
            stamps = (self.now, self.now)

        def prepared() -> Any:
            for row in rows:
                if json_positions:
                    values = list(row)
                    for i in json_positions:
                        values[i] = json.dumps(values[i], ensure_ascii=False)
                    row = tuple(values)
                yield row + stamps

        copy_rows(table.model._meta.db_table, columns, prepared(), using=self.using)
        bulk_written.send(sender=table.model)

    def _bulk_create(self, table: Table, rows: list[tuple[Any, ...]]) -> None:
        model = table.model
        objects = [model(**dict(zip(table.columns, row, strict=True))) for row in rows]
        model._default_manager.using(self.using).bulk_create(objects, batch_size=2000)
        bulk_written.send(sender=model)

    def finish(self) -> None:
        """Write what is left and move each id sequence past the ids given explicitly."""
        self.flush()
        statements = self.connection.ops.sequence_reset_sql(
            no_style(), [table.model for table in self.tables]
        )
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
