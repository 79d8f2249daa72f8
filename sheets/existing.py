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
from django.utils.translation import gettext as _

from base import scope
from sheets.normalise import Masked
from sheets.rows import CHUNK, Row, RowFailed, chunks, ident

__all__ = ["Layout", "Stored", "complete", "find_existing", "layout_of", "restore_masked"]

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
    # Columns no row sets (timestamps, derived fields) are not compared: they are left out of
    # the query for every matched record and fetched only for the records a row changes
    # (`complete`). psycopg loads timestamps through Django's time-zone loader in Python, which
    # was a third of re-reading 100,000 unchanged workers.
    used: set[str] = set().union(*planned)
    deferred = tuple(
        f.attname
        for f in meta.concrete_fields
        if not f.primary_key and f.name not in used and f.attname not in used
    )
    attnames = [f.attname for f in meta.concrete_fields if f.attname not in deferred]
    layout = layout_of(model, attnames)
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
                    deferred,
                )
    return found


def complete(records: Sequence[Stored]) -> None:
    """Fetch the columns `find_existing` left out, for these records, a query per chunk."""
    waiting = [record for record in records if record.deferred]
    by_shape: dict[tuple[type[models.Model], tuple[str, ...]], list[Stored]] = {}
    for record in waiting:
        by_shape.setdefault((record.model, record.deferred), []).append(record)
    for (model, deferred), group in by_shape.items():
        pk = model._meta.pk
        by_pk = {record.pk(): record for record in group}
        for chunk in _lookup_chunks(list(by_pk)):
            rows = model._default_manager.filter(_in(model, pk, chunk)).values_list(
                pk.attname, *deferred
            )
            for values in rows:
                by_pk[values[0]].fill(values[1:])


class Stored:
    """A record as the database holds it, before the import touches it."""

    __slots__ = ("attnames", "deferred", "layout", "model", "record", "scope_code")

    def __init__(
        self,
        model: type[models.Model],
        attnames: list[str],
        record: tuple[Any, ...],
        scope_code: Any,
        layout: Layout | None = None,
        deferred: tuple[str, ...] = (),
    ) -> None:
        self.model, self.attnames, self.record, self.scope_code = (
            model,
            attnames,
            record,
            scope_code,
        )
        self.layout = layout if layout is not None else layout_of(model, attnames)
        self.deferred = deferred  # columns not fetched yet (`complete`)

    def pk(self) -> Any:
        return self.record[self.attnames.index(self.model._meta.pk.attname)]

    def fill(self, values: Sequence[Any]) -> None:
        """Add the deferred columns' values (in `deferred` order)."""
        self.attnames = [*self.attnames, *self.deferred]
        self.record = (*self.record, *values)
        self.deferred = ()

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
        """The stored values of the fields in `values` (none when nothing differs: the caller
        needs them only for a record it changes), and those among them that differ."""
        changed: dict[str, Any] = {}
        layout, record = self.layout, self.record
        # `current` inlined, and the stored values of all fields gathered only when one differs:
        # this runs for every cell of every matched row, and most rows of a re-import are the
        # same.
        for name, value in values.items():
            place = layout.get(name)
            if place is None:
                stored = self.current(name)  # not a column: fails as it always has
            else:
                stored = record[place[0]]
                if place[1] and stored is not None:
                    stored = (place[1], stored)
            if stored != (ident(value) if isinstance(value, models.Model) else value):
                changed[name] = stored
        if not changed:
            return {}, changed
        return {name: self.current(name) for name in values}, changed

    def instance(self) -> models.Model:
        """The record as a model instance (Model.from_db: loaded, not new), every column of it
        (deferred ones fetched now when `complete` has not fetched them)."""
        if self.deferred:
            complete([self])
        # from_db wants the columns in the model's order.
        order = [f.attname for f in self.model._meta.concrete_fields]
        position = {name: index for index, name in enumerate(self.attnames)}
        values = [self.record[position[name]] for name in order]
        return self.model.from_db("default", order, values)


def layout_of(model: type[models.Model], attnames: Sequence[str] | None = None) -> Layout:
    """Positions of the fields in a stored record holding `attnames` (default: every column)."""
    layout: Layout = {}
    fields: Sequence[models.Field[Any, Any]] = model._meta.concrete_fields
    if attnames is not None:
        by_attname = {f.attname: f for f in fields}
        fields = [by_attname[name] for name in attnames]
    for position, field in enumerate(fields):
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


# --- a clerk's own export, back in ----------------------------------------------------------


def restore_masked(
    model: type[models.Model],
    fields: dict[str, Any],
    record_key: str,
    rows: list[Row],
    user: Any,
) -> list[tuple[Row, RowFailed]]:
    """Match rows to the records their 记录编号 names and put back what an export masked.

    An export shows ID and phone numbers masked to a role without the permission to see them
    (330381********1234). Such a cell means "what the record holds": when the row's 记录编号
    names a record the user may change, and the record's number masks to the cell, the cell
    becomes the stored number, so the row neither changes nor is refused for it. A cell holding
    a full number is a value like any other (a changed ID number is checked as one, and may not
    be another record's). A masked cell that cannot be matched is refused saying why.

    A 记录编号 naming no record in scope is dropped (the row is matched by its natural key, as
    any sheet's), so it never names a record to another region; the rows it leaves are refused
    only for their masked cells. Returns the refused rows with their failure.
    """
    personal = {
        name: field
        for name, field in fields.items()
        if field.personal and name != record_key and field.attribute != "pk"
    }
    keys = {row.data[record_key] for row in rows if row.data.get(record_key) is not None}
    stored: dict[Any, dict[str, Any]] = {}
    if keys:
        attributes = [field.attribute for field in personal.values()]
        queryset = model._default_manager.all()
        if scope.is_scoped(model):
            queryset = scope.filter_for_user(queryset, user)
        for chunk in chunks(sorted(keys), CHUNK):
            for pk, *values in queryset.filter(pk__in=chunk).values_list("pk", *attributes):
                stored[pk] = dict(zip(personal, values, strict=True))
    refused: list[tuple[Row, RowFailed]] = []
    changed_ids: dict[str, list[tuple[Row, Any]]] = {}
    for row in rows:
        key = row.data.get(record_key)
        record = stored.get(key) if key is not None else None
        if key is not None and record is None:
            row.data[record_key] = None  # no record of the user's: matched by its natural key
        try:
            for name, field in personal.items():
                value = row.data.get(name)
                if isinstance(value, Masked):
                    row.data[name] = _restored(name, field, value, key, record)
                elif (
                    value
                    and record is not None
                    and value != record[name]
                    and "__" not in field.attribute  # the record's own number, changed
                ):
                    changed_ids.setdefault(name, []).append((row, key))
        except RowFailed as failure:
            refused.append((row, failure))
    refused += _taken(model, personal, changed_ids)
    return refused


def _restored(name: str, field: Any, value: Masked, key: Any, record: dict[str, Any] | None) -> Any:
    if key is None:
        raise RowFailed(
            field.header,
            _(
                "“%(value)s” is masked (the export hid part of it for your role), and this row "
                "has no 记录编号 to find the record it belongs to: keep the 记录编号 column of the "
                "export, or write the number in full."
            )
            % {"value": value},
        )
    if record is None:
        raise RowFailed(
            field.header,
            _(
                "“%(value)s” is masked, and 记录编号 %(key)s names no record you can change (it "
                "was deleted, or is outside your scope): write the number in full."
            )
            % {"value": value, "key": key},
        )
    full = record[name]
    if not full or field.masked(full) != value:
        raise RowFailed(
            field.header,
            _(
                "“%(value)s” is masked and does not match the record 记录编号 %(key)s: write "
                "the number in full."
            )
            % {"value": value, "key": key},
        )
    return full


def _taken(
    model: type[models.Model],
    personal: dict[str, Any],
    changed: dict[str, list[tuple[Row, Any]]],
) -> list[tuple[Row, RowFailed]]:
    """Rows changing a record's own unique number (a worker's ID number) to one another record
    holds: refused here, as the form refuses it, not by the database at the end."""
    refused: list[tuple[Row, RowFailed]] = []
    for name, rows in changed.items():
        attribute = personal[name].attribute
        if not getattr(model._meta.get_field(attribute), "unique", False):
            continue
        wanted = {row.data[name] for row, _key in rows}
        holders: dict[str, models.Model] = {}
        for chunk in chunks(sorted(wanted), CHUNK):
            for other in model._default_manager.filter(**{f"{attribute}__in": chunk}):
                holders[getattr(other, attribute)] = other
        for row, key in rows:
            holder = holders.get(row.data[name])
            if holder is not None and holder.pk != key:
                refused.append(
                    (
                        row,
                        RowFailed(
                            personal[name].header,
                            _("“%(value)s” is already another record's (%(record)s).")
                            % {"value": personal[name].masked(row.data[name]), "record": holder},
                        ),
                    )
                )
    return refused
