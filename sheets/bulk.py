"""Bulk writes for imports: COPY on PostgreSQL, Django's bulk operations elsewhere.

Measured on 100 000 workers (see docs/benchmarks.md): `bulk_create` spends most of its time in
Django's SQL compiler and `bulk_update` builds a CASE per field per row. COPY streams plain
tuples, and an update becomes COPY into a temporary table plus one `UPDATE … FROM`. History rows
(django-simple-history) are written the same way, so an import stays audited.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from django.db import connection, connections, models
from django.utils import timezone

from base import following
from sheets.signals import bulk_written


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _row_reader(fields: Sequence[models.Field[Any, Any]]) -> Any:
    """A function giving an object's column values in `fields` order, JSON encoded as text."""
    getter = attrgetter(*[f.attname for f in fields])
    json_positions = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    single = len(fields) == 1

    def read(obj: models.Model) -> list[Any]:
        values: list[Any] = [getter(obj)] if single else list(getter(obj))
        for i in json_positions:
            if values[i] is not None:
                values[i] = json.dumps(values[i], ensure_ascii=False)
        return values

    return read


def copy_rows(table: str, columns: Sequence[str], rows: Any, *, using: str = "default") -> None:
    """Stream rows (sequences in `columns` order) into a PostgreSQL table with COPY."""
    target = connections[using]
    quote = target.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    # Django's wrapper has no copy(): psycopg's own cursor does, and its errors (a unique key taken
    # by a concurrent import, a dropped connection) are turned into Django's, which the import
    # reports as a refusal instead of crashing on.
    with target.cursor() as cursor, target.wrap_database_errors:
        raw: Any = cursor.cursor
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def _allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Take ids from the table's sequence up front, so that COPY rows carry their pk."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _stamp(objects: Sequence[models.Model], *, created: bool) -> None:
    now = timezone.now()
    names = {f.name for f in objects[0]._meta.concrete_fields}
    for obj in objects:
        if "updated_at" in names:
            obj.updated_at = now  # type: ignore[attr-defined]
        if created and "created_at" in names:
            obj.created_at = now  # type: ignore[attr-defined]


def insert(objects: Sequence[models.Model], *, user: Any, reason: str) -> None:
    """Insert new records (their pk is set afterwards) and their "+" history rows."""
    if not objects:
        return
    model = type(objects[0])
    following.fill(objects)  # a certificate's region is its worker's
    bulk_written.send(sender=model, objects=objects)
    _stamp(objects, created=True)
    if not _postgres():
        model._default_manager.bulk_create(objects, batch_size=1000)
        _history_orm(model, objects, update=False, user=user, reason=reason)
        return
    meta = model._meta
    if isinstance(meta.pk, models.AutoField | models.BigAutoField):
        for obj, pk in zip(objects, _allocate_ids(model, len(objects)), strict=True):
            obj.pk = pk
    fields = list(meta.concrete_fields)
    read = _row_reader(fields)
    copy_rows(meta.db_table, [f.column for f in fields], (read(obj) for obj in objects))
    if isinstance(meta.pk, models.AutoField | models.BigAutoField):
        # The rows just written are exactly the objects' values (every column came from them):
        # their "+" history rows are copied from the table by the database itself, instead of
        # being built and sent a second time (a third of the client's writing time).
        _history_from_table(model, [obj.pk for obj in objects], user=user, reason=reason)
    else:
        _history_copy(model, objects, history_type="+", user=user, reason=reason)


def update(
    objects: Sequence[models.Model], names: Sequence[str], *, user: Any, reason: str
) -> None:
    """Write the named fields of existing records and their "~" history rows."""
    if not objects:
        return
    model = type(objects[0])
    names = following.names_to_update(model, names)
    if "region" in names:
        following.fill(objects)
    bulk_written.send(sender=model, objects=objects)
    _stamp(objects, created=False)
    meta = model._meta
    # A column derived from a written one (a worker's search keys from the phone) goes with it:
    # the objects carry the derived values (the resource's validate), the table must too.
    derived: dict[str, tuple[str, ...]] = getattr(model, "derived_fields", {})
    names = list(dict.fromkeys([*names, *(d for n in names for d in derived.get(n, ()))]))
    fields = [meta.get_field(name) for name in names]
    if "updated_at" in {f.name for f in meta.concrete_fields} and "updated_at" not in names:
        fields.append(meta.get_field("updated_at"))
    if not _postgres():
        model._default_manager.bulk_update(objects, [f.name for f in fields], batch_size=500)
        _history_orm(model, objects, update=True, user=user, reason=reason)
        following.after_update(model, objects, names)
        return
    quote = connection.ops.quote_name
    table, pk = meta.db_table, str(meta.pk.column)
    columns = [pk, *[str(getattr(f, "column", f.name)) for f in fields]]
    temporary = f"import_{table}"
    create = (
        f"CREATE TEMPORARY TABLE {quote(temporary)} ON COMMIT DROP AS SELECT "  # noqa: S608
        f"{', '.join(quote(c) for c in columns)} FROM {quote(table)} WITH NO DATA"
    )
    with connection.cursor() as cursor:
        cursor.execute(create)  # identifiers from the model, quoted: no user input
    read = _row_reader(fields)  # type: ignore[arg-type]
    copy_rows(
        temporary,
        columns,
        ([obj.pk, *read(obj)] for obj in objects),
    )
    assignments = ", ".join(f"{quote(c)} = source.{quote(c)}" for c in columns[1:])
    update_sql = (
        f"UPDATE {quote(table)} AS target SET {assignments} FROM {quote(temporary)} AS source "  # noqa: S608
        f"WHERE target.{quote(pk)} = source.{quote(pk)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(update_sql)
        cursor.execute(f"DROP TABLE {quote(temporary)}")
    _history_copy(model, objects, history_type="~", user=user, reason=reason)
    following.after_update(model, objects, names)  # a worker moved: its certificates follow


def _history_copy(
    model: type[models.Model],
    objects: Sequence[models.Model],
    *,
    history_type: str,
    user: Any,
    reason: str,
) -> None:
    manager = getattr(model, "history", None)
    if manager is None:
        return
    history = manager.model
    tracked = list(history.tracked_fields)
    now = timezone.now()
    user_id = user.pk if isinstance(user, models.Model) else None
    columns = [f.attname for f in tracked]  # historical columns are named after attnames
    read = _row_reader(tracked)
    copy_rows(
        history._meta.db_table,
        [*columns, "history_date", "history_change_reason", "history_type", "history_user_id"],
        ([*read(obj), now, reason, history_type, user_id] for obj in objects),
    )


def _history_from_table(
    model: type[models.Model], pks: Sequence[Any], *, user: Any, reason: str
) -> None:
    """ "+" history rows of records just inserted, copied from their rows in the model's table,
    in the order of their ids (the order the objects were given in: ids were taken in it)."""
    manager = getattr(model, "history", None)
    if manager is None:
        return
    history = manager.model
    meta = model._meta
    quote = connection.ops.quote_name
    tracked = list(history.tracked_fields)
    columns = [f.attname for f in tracked]  # historical columns are named after attnames
    concrete = {f.name: f for f in meta.concrete_fields}
    sources = [concrete[f.name].column for f in tracked]
    targets = [*columns, "history_date", "history_change_reason", "history_type", "history_user_id"]
    pk = quote(meta.pk.column)
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(c) for c in targets)}) "  # noqa: S608
        f"SELECT {', '.join(quote(str(c)) for c in sources)}, %s, %s, %s, %s "
        f"FROM {quote(meta.db_table)} WHERE {pk} = ANY(%s) ORDER BY {pk}"
    )
    user_id = user.pk if isinstance(user, models.Model) else None
    with connection.cursor() as cursor:
        # Identifiers from the models, quoted; the values are parameters.
        cursor.execute(sql, [timezone.now(), reason, "+", user_id, list(pks)])


def _history_orm(
    model: type[models.Model],
    objects: Sequence[models.Model],
    *,
    update: bool,
    user: Any,
    reason: str,
) -> None:
    manager = getattr(model, "history", None)
    if manager is not None:
        manager.bulk_history_create(
            objects,
            batch_size=1000,
            update=update,
            default_user=user if isinstance(user, models.Model) else None,
            default_change_reason=reason,
        )
