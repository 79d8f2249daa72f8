"""The base of every resource (one per sheet type in docs/import-formats.md) and their registry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from import_export.resources import Resource

from base import identity, scope
from base.models import Region
from base.validators import money_validators, year_validators
from sheets.fields import SheetField
from sheets.headers import Column
from sheets.lookups import Context
from sheets.rows import CHUNK, Row, RowFailed, chunks, ident, validation_to_row_failure

REGISTRY: dict[str, type[SheetResource]] = {}
# Rules the column widgets (sheets.normalise) already apply to every cell they clean.
WIDGET_CHECKED: list[Any] = [
    identity.validate_id_number,
    identity.validate_phone,
    identity.validate_credit_code,
    *money_validators,
    *year_validators,
]


class SheetResource(Resource):
    """A sheet type: its columns (declared `SheetField`s, in sheet order), the model rows become,
    and the natural key that makes re-imports idempotent."""

    model: ClassVar[type[models.Model]]
    resource_name: ClassVar[str]  # the name in docs/import-formats.md, e.g. "workers"
    sheet_title: ClassVar[str | Promise]  # 职工名册
    key: ClassVar[tuple[str, ...]]  # model attributes forming the natural key
    # Fields (names) that hold a region, whose subtree must contain the row.
    scope_columns: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "resource_name" in cls.__dict__:
            REGISTRY[cls.resource_name] = cls

    # --- columns -----------------------------------------------------------------------------
    @classmethod
    def sheet_fields(cls) -> dict[str, SheetField]:
        cached = cls.__dict__.get("_sheet_fields")
        if cached is None:
            # Bound to this resource's model: each column keeps its model field's limits.
            cached = {
                n: f.bind(cls.model) for n, f in cls.fields.items() if isinstance(f, SheetField)
            }
            cls._sheet_fields = cached
        return cached

    @classmethod
    def personal_data(cls) -> frozenset[str]:
        """The personal-data fields (PERSONAL_DATA_FIELDS keys) this sheet's columns carry, on its
        own model or on the people it refers to: what an export or error workbook takes out."""
        return frozenset(f.personal for f in cls.sheet_fields().values() if f.personal)

    @classmethod
    def columns(cls) -> list[Column]:
        return [field.sheet_column(name) for name, field in cls.sheet_fields().items()]

    @classmethod
    def header_for(cls, model_field: str) -> str:
        """The sheet column behind a model field (for messages)."""
        for field in cls.sheet_fields().values():
            if field.attribute.split("__")[0] == model_field:
                return field.header
        return "—"

    @classmethod
    def key_header(cls) -> str:
        return cls.header_for(cls.key[0])

    def describe_key(self, row: Row) -> str:
        fields = self.sheet_fields()
        parts = []
        for name, value in row.data.items():
            if fields[name].attribute.split("__")[0] in self.key and value not in (None, ""):
                parts.append(fields[name].masked(str(value)))
        return " / ".join(parts)

    # --- import hooks ------------------------------------------------------------------------
    def prefetch(self, rows: list[Row], context: Context) -> None:
        """Bulk-load what rows refer to (workers by ID number, enterprises by code or name)."""
        fields = self.sheet_fields()
        ids = [row.data.get(n) for row in rows for n in fields if fields[n].personal == "id_number"]
        context.prefetch_workers(i for i in ids if i)
        enterprise_columns = [
            n for n, f in fields.items() if "enterprise" in f.attribute.split("__")
        ]
        values = {row.data[n] for row in rows for n in enterprise_columns if row.data.get(n)}
        if values:
            context.prefetch_enterprises(values)

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        """The model attributes a row sets. Subclasses resolve their references here."""
        return {
            field.attribute: row.data.get(name)
            for name, field in self.sheet_fields().items()
            if "__" not in field.attribute and name in row.data
        }

    def key_fields(self, values: dict[str, Any]) -> tuple[str, ...]:
        return self.key

    def find_existing(self, planned: list[dict[str, Any]]) -> dict[tuple[Any, ...], Stored]:
        """Existing records by natural key, a few queries for the whole file.

        Rows come back as plain values (with the region code their scope is judged by); a model
        instance is only built for a row that changes, so re-importing an unchanged sheet of
        100 000 rows builds none.
        """
        found: dict[tuple[Any, ...], Stored] = {}
        by_key_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for values in planned:
            by_key_shape.setdefault(self.key_fields(values), []).append(values)
        meta = self.model._meta
        attnames = [f.attname for f in meta.concrete_fields]
        layout = _layout(self.model)
        scoped = scope.is_scoped(self.model)
        for key, rows in by_key_shape.items():
            first = key[0]
            wanted = {ident(values.get(first)) for values in rows}
            lookup_values = [_db_value(v) for v in wanted if v is not None and not _is_new(v)]
            if not lookup_values:
                continue
            queryset = self.existing_queryset(key)
            if scoped:
                queryset = queryset.annotate(_scope_code=F(scope.scope_path(self.model)))
            columns = [*attnames, "_scope_code"] if scoped else attnames
            key_positions = [attnames.index(_attname(self.model, part)) for part in key]
            key_labels = [_related_label(self.model, part) for part in key]
            first_field = meta.get_field(first)
            for chunk in _lookupchunks(sorted(lookup_values, key=str)):
                filtered = queryset.filter(_in(self.model, first_field, chunk))
                for record in filtered.values_list(*columns):
                    stored_key = tuple(
                        (label, record[i]) if label and record[i] is not None else ident(record[i])
                        for i, label in zip(key_positions, key_labels, strict=True)
                    )
                    found[stored_key] = Stored(
                        self.model,
                        attnames,
                        record[: len(attnames)],
                        record[-1] if scoped else None,
                        layout,
                    )
        return found

    def existing_queryset(self, key: tuple[str, ...]) -> models.QuerySet[Any]:
        return self.model._default_manager.all()

    def validate(
        self, instance: Any, old: dict[str, Any] | None, row: Row, context: Context
    ) -> None:
        """Model rules (field validators, clean()) and the scope, for one row."""
        try:
            for field, blank, checks in self._field_checks():
                value = getattr(instance, field.attname)
                if value is None or value == "":
                    if not blank:
                        raise ValidationError({field.name: field.error_messages["blank"]})
                    continue
                for limit, validator in checks:
                    # A length limit is compared here and its validator only called to raise.
                    if limit is None or len(value) > limit:
                        validator(value)
            instance.clean()
        except ValidationError as error:
            raise validation_to_row_failure(error, self) from None
        if not scope.is_scoped(type(instance)):
            return  # reference tables (honour titles, programmes) belong to no region
        if not scope.region_in_scope(context.user, scope.region_code_of(instance)):
            raise RowFailed(self.scope_header(), _("This region is outside your scope."))

    @classmethod
    def _field_checks(cls) -> list[tuple[Any, bool, list[tuple[int | None, Any]]]]:
        """Per model field: whether it may be blank and the validators still to run on a row,
        each with its length limit when it is a plain MaxLengthValidator.

        Model.clean_fields() would repeat, per cell, what the column widgets already checked
        (check digits, choices, years, money ≥ 0) and query every foreign key: at 100 000 rows
        that is seconds. References are resolved in bulk, so only the rest runs here.
        """
        cached = cls.__dict__.get("_checks")
        if cached is None:
            cached = []
            for field in cls.model._meta.concrete_fields:
                if field.is_relation or (field.primary_key and field.auto_created):
                    continue
                if not field.editable:
                    continue
                checks = [
                    (_length_limit(validator), validator)
                    for validator in field.validators
                    if validator not in WIDGET_CHECKED
                ]
                cached.append((field, field.blank, checks))
            cls._checks = cached
        return cached

    def scope_header(self) -> str:
        for name in self.scope_columns:
            return self.sheet_fields()[name].header
        return self.header_for("region")

    def notes(self, context: Context) -> Iterable[str]:
        return []

    def after_write(self, created: list[Any], updated: list[Any]) -> None:
        """Runs in the import's transaction once its rows are written."""

    # --- helpers for subclasses --------------------------------------------------------------
    def region_of(self, row: Row, context: Context, name: str = "region") -> Region | None:
        value = row.data.get(name)
        if not value:
            return None
        return context.region(value, self.sheet_fields()[name].header)

    def worker_of(
        self,
        row: Row,
        context: Context,
        *,
        id_field: str = "id_number",
        name_field: str = "name",
        region_field: str | None = "region",
        enterprise_field: str | None = "enterprise",
    ) -> Any:
        fields = self.sheet_fields()
        region = self.region_of(row, context, region_field) if region_field else None
        enterprise = None
        if enterprise_field and row.data.get(enterprise_field):
            enterprise = context.enterprise(
                row.data[enterprise_field], region=region, column=fields[enterprise_field].header
            )
        return context.worker(
            id_number=row.data[id_field],
            name=row.data.get(name_field) or "",
            row=row.number,
            region=region,
            enterprise=enterprise,
            id_column=fields[id_field].header,
            name_column=fields[name_field].header,
            region_column=fields[region_field].header if region_field else "—",
        )

    def export_rows(
        self, queryset: models.QuerySet[Any], *, reveal: set[str]
    ) -> Iterable[list[Any]]:
        fields = list(self.sheet_fields().values())
        for obj in queryset.iterator(chunk_size=2000):
            yield [field.export_value(obj, reveal=reveal) for field in fields]

    @classmethod
    def export_related(cls) -> list[str]:
        """select_related paths export needs (from the dotted column attributes)."""
        paths = set()
        for field in cls.sheet_fields().values():
            parts = field.attribute.split("__")
            for depth in range(1, len(parts)):
                path = "__".join(parts[:depth])
                if _is_relation(cls.model, path):
                    paths.add(path)
            if _is_relation(cls.model, field.attribute):
                paths.add(field.attribute)
        return sorted(paths)


def _length_limit(validator: Any) -> int | None:
    if type(validator) is MaxLengthValidator and type(validator.limit_value) is int:
        return validator.limit_value
    return None


def _is_relation(model: type[models.Model], path: str) -> bool:
    current: Any = model
    for part in path.split("__"):
        try:
            field = current._meta.get_field(part)
        except Exception:
            return False
        if not (field.is_relation and field.many_to_one):
            return False
        current = field.related_model
    return True


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


def _layout(model: type[models.Model]) -> dict[str, tuple[int, str | None]]:
    """Per field name and attname: its position in a stored record and, for a foreign key, the
    related model's label (stored values compare as `ident` gives them)."""
    layout: dict[str, tuple[int, str | None]] = {}
    for position, field in enumerate(model._meta.concrete_fields):
        # By attname too ("region_id"), as Options.get_field finds a foreign key by either.
        layout[field.name] = layout[field.attname] = (position, _related_label(model, field.name))
    return layout


def _lookupchunks(values: list[Any]) -> Iterable[Sequence[Any]]:
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


class Stored:
    """A record as the database holds it, before the import touches it."""

    __slots__ = ("attnames", "layout", "model", "record", "scope_code")

    def __init__(
        self,
        model: type[models.Model],
        attnames: list[str],
        record: tuple[Any, ...],
        scope_code: Any,
        layout: dict[str, tuple[int, str | None]] | None = None,
    ) -> None:
        self.model, self.attnames, self.record, self.scope_code = (
            model,
            attnames,
            record,
            scope_code,
        )
        self.layout = layout if layout is not None else _layout(model)

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
        return self.model.from_db("default", self.attnames, self.record)


def resource_for(name: str) -> type[SheetResource]:
    """The resource class of a name in docs/import-formats.md (KeyError when unknown)."""
    _load_all()
    return REGISTRY[name]


def all_resources() -> dict[str, type[SheetResource]]:
    _load_all()
    return dict(REGISTRY)


def _load_all() -> None:
    from importlib import import_module

    for app in ("workforce", "programs", "training", "welfare"):
        import_module(f"{app}.resources")
