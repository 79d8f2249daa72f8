"""Records already in the database that a sheet's rows match, by natural key, in bulk.

Rows come back as plain values (with the region code their scope is judged by); a model instance
is only built for a row that changes, so re-importing an unchanged sheet of 100 000 rows builds
none. The import run asks this module through `SheetResource.find_existing`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

from base import scope
from sheets.rows import CHUNK, chunks, ident

__all__ = ["Layout", "Stored", "find_existing", "layout_of"]

# Per field name and attname: its position in a stored record and, for a foreign key, the related
# model's label (stored values compare as `ident` gives them).
Layout = dict[str, tuple[int, str | None]]
_SCOPE_CODE = "_scope_code"


def find_existing(
    model: type[models.Model],
    planned: list[dict[str, Any]],
    *,
    key_fields: Callable[[dict[str, Any]], tuple[str, ...]],
    queryset_for: Callable[[tuple[str, ...]], models.QuerySet[Any]],
) -> dict[tuple[Any, ...], Stored]:
    """The stored records the planned rows' keys name, by key as `ident` gives it.

    `key_fields(values)` is a row's key (its shape may differ per row: a certificate by number,
    or by worker, kind and date); `queryset_for(key)` the records such a key is looked for in.
    A few queries for the whole file: one per key shape and chunk of key values.
    """
    found: dict[tuple[Any, ...], Stored] = {}
    by_key_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in planned:
        by_key_shape.setdefault(key_fields(values), []).append(values)
    meta = model._meta
    attnames = [f.attname for f in meta.concrete_fields]
    layout = layout_of(model)
    scoped = scope.is_scoped(model)
    for key, rows in by_key_shape.items():
        first = key[0]
        wanted = {ident(values.get(first)) for values in rows}
        lookup_values = [_db_value(v) for v in wanted if v is not None and not _is_new(v)]
        if not lookup_values:
            continue
        queryset = queryset_for(key)
        if scoped:
            queryset = queryset.annotate(**{_SCOPE_CODE: F(scope.scope_path(model))})
        columns = [*attnames, _SCOPE_CODE] if scoped else attnames
        key_positions = [attnames.index(_attname(model, part)) for part in key]
        key_labels = [_related_label(model, part) for part in key]
        first_field = meta.get_field(first)
        for chunk in _lookup_chunks(sorted(lookup_values, key=str)):
            filtered = queryset.filter(_in(model, first_field, chunk))
            for record in filtered.values_list(*columns):
                stored_key = tuple(
                    (label, record[i]) if label and record[i] is not None else ident(record[i])
                    for i, label in zip(key_positions, key_labels, strict=True)
                )
                found[stored_key] = Stored(
                    model,
                    attnames,
                    record[: len(attnames)],
                    record[-1] if scoped else None,
                    layout,
                )
    return found


class Stored:
    """A record as the database holds it, before the import touches it."""

    __slots__ = ("attnames", "layout", "model", "record", "scope_code")

    def __init__(
        self,
        model: type[models.Model],
        attnames: list[str],
        record: tuple[Any, ...],
        scope_code: Any,
        layout: Layout | None = None,
    ) -> None:
        self.model, self.attnames, self.record, self.scope_code = (
            model,
            attnames,
            record,
            scope_code,
        )
        self.layout = layout if layout is not None else layout_of(model)

    def current(self, name: str) -> Any:
        """A field's stored value as `ident` gives it (related records as (label, pk))."""
        if name not in self.layout:  # not a column: fail as a lookup of it always has
            self.attnames.index(getattr(self.model._meta.get_field(name), "attname", name))
        position, label = self.layout[name]
        value = self.record[position]
        if label:
            return None if value is None else (label, value)
        return value  # a plain column value: `ident` gives it unchanged

    def compare(self, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The stored values of the fields in `values`, and those among them that differ."""
        old: dict[str, Any] = {}
        changed: dict[str, Any] = {}
        for name, value in values.items():
            stored = old[name] = self.current(name)
            if stored != (ident(value) if isinstance(value, models.Model) else value):
                changed[name] = stored
        return old, changed

    def instance(self) -> models.Model:
        """The record as a model instance (Model.from_db: loaded, not new)."""
        return self.model.from_db("default", self.attnames, self.record)


def layout_of(model: type[models.Model]) -> Layout:
    layout: Layout = {}
    for position, field in enumerate(model._meta.concrete_fields):
        # By attname too ("region_id"), as Options.get_field finds a foreign key by either.
        layout[field.name] = layout[field.attname] = (position, _related_label(model, field.name))
    return layout


def _attname(model: type[models.Model], name: str) -> str:
    return getattr(model._meta.get_field(name), "attname", name)


def _is_new(value: Any) -> bool:
    return isinstance(value, tuple) and bool(value) and value[0] in ("new", "new-worker")


def _db_value(value: Any) -> Any:
    return value[1] if isinstance(value, tuple) else value


def _related_label(model: type[models.Model], name: str) -> str | None:
    field = model._meta.get_field(name)
    if field.is_relation and field.many_to_one and field.related_model is not None:
        return field.related_model._meta.label  # type: ignore[union-attr]
    return None


def _lookup_chunks(values: list[Any]) -> Iterable[Sequence[Any]]:
    # PostgreSQL takes a chunk as one array parameter (see _in), so chunks can be large: each
    # IN (%s, …) placeholder costs the driver time to bind; one array does not.
    return chunks(values, 20_000 if connection.vendor == "postgresql" else CHUNK)


def _in(model: type[models.Model], field: Any, values: Sequence[Any]) -> Any:
    """`field IN values` as a filter; on PostgreSQL `= ANY(array)`, one parameter for all."""
    attname = getattr(field, "attname", field.name)
    if connection.vendor != "postgresql":
        return Q(**{f"{attname}__in": values})
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(field.column)}"
    # Identifiers from the model, quoted; the values are a parameter.
    return RawSQL(f"{column} = ANY(%s)", (list(values),), output_field=models.BooleanField())  # noqa: S611
