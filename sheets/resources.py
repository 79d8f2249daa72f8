"""The base of every resource (one per sheet type in docs/import-formats.md) and their registry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from import_export.resources import Resource

from base import scope
from base.models import Region
from sheets import existing
from sheets.existing import Stored
from sheets.fields import (
    Boolean,
    Choice,
    CreditCode,
    Date,
    IdNumber,
    Phone,
    SheetField,
    Year,
    record_key_field,
)
from sheets.headers import Column
from sheets.lookups import Context
from sheets.rows import Row, RowFailed, validation_to_row_failure

REGISTRY: dict[str, type[SheetResource]] = {}
RECORD_KEY = "record_key"  # the name of the 记录编号 column among a resource's sheet fields
# Widgets that apply a model field's whole rule to every cell they clean (the check digits of an
# ID number or credit code, a phone's form, the choices, a real date or year), so the field they
# fill is not cleaned again per row (SheetResource.model_checked_fields).
WIDGET_CHECKED = (IdNumber, Phone, CreditCode, Choice, Boolean, Date, Year)
# What an import (or a resource's after_write) wrote, for undo: created pks and updated records'
# old values, by model label.
WriteChanges = dict[str, dict[str, Any]]


class SheetResource(Resource):
    """A sheet type, declared: class attributes say what it is, hooks what is special to it.

    Declared: `model` (what a row becomes), `resource_name` (its name in
    docs/import-formats.md), `sheet_title` (职工名册), `key` (the model attributes forming the
    natural key that makes re-imports idempotent), `scope_columns` (columns holding a region
    that must be in the importer's scope) and the columns themselves, as `SheetField` class
    attributes in sheet order.

    Hooks (all optional; the import run in `sheets.importer` calls them in this order):
    `prefetch(rows, context)` bulk-loads what the rows refer to; `build(row, context)` gives the
    model attributes one row sets, resolving references through the context (raise `RowFailed`
    to refuse the row); `key_fields(values)` is the row's key when it varies by row;
    `existing_queryset(key)` the records such a key is looked for in; `validate(instance, old,
    row, context)` checks one record before it is written (call super() for the model's rules
    and the scope); `notes(context)` adds lines to the report; `after_write(created, updated)`
    runs in the import's transaction once the rows are written. For export: `export_rows`.
    """

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
            if isinstance(cls.model._meta.pk, models.AutoField | models.BigAutoField):
                # Last, so that a sheet's own columns keep their places (a code-keyed table,
                # regions, is matched by its code).
                cached[RECORD_KEY] = record_key_field().bind(cls.model)
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

    @classmethod
    def key_headers(cls) -> list[str]:
        """The columns that hold the natural key (a person's name and ID number, a code …)."""
        return [
            field.header
            for field in cls.sheet_fields().values()
            if field.attribute.split("__")[0] in cls.key
        ]

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
            if "__" not in field.attribute and name in row.data and name != RECORD_KEY
        }

    def key_fields(self, values: dict[str, Any]) -> tuple[str, ...]:
        return self.key

    def match_fields(self, values: dict[str, Any]) -> tuple[str, ...]:
        """What a row is matched to its record by: the record key an export wrote (checked to
        name a record in scope, sheets.existing.restore_masked), else the natural key."""
        pk = self.model._meta.pk.name
        return (pk,) if values.get(pk) is not None else self.key_fields(values)

    def find_existing(self, planned: list[dict[str, Any]]) -> dict[tuple[Any, ...], Stored]:
        """Existing records by natural key, a few queries for the whole file (sheets.existing)."""
        return existing.find_existing(
            self.model, planned, key_fields=self.match_fields, queryset_for=self._queryset_for
        )

    def _queryset_for(self, key: tuple[str, ...]) -> models.QuerySet[Any]:
        if key == (self.model._meta.pk.name,):
            return self.model._default_manager.all()  # by 记录编号: any record it names
        return self.existing_queryset(key)

    def existing_queryset(self, key: tuple[str, ...]) -> models.QuerySet[Any]:
        return self.model._default_manager.all()

    def validate(
        self, instance: Any, old: dict[str, Any] | None, row: Row, context: Context
    ) -> None:
        """Model rules (each field's clean(), then the model's clean()) and the scope, for one row."""
        errors: dict[str, list[str]] = {}
        for field in self.model_checked_fields():
            value = getattr(instance, field.attname)
            if field.blank and value in field.empty_values:
                continue  # as Model.clean_fields: an empty optional field has nothing to check
            try:
                setattr(instance, field.attname, field.clean(value, instance))
            except ValidationError as error:
                errors[field.name] = error.messages
        try:
            if errors:
                raise ValidationError(errors)
            instance.clean()
        except ValidationError as error:
            raise validation_to_row_failure(error, self) from None
        if not scope.is_scoped(type(instance)):
            return  # reference tables (honour titles, programmes) belong to no region
        code = scope.region_code_of(instance)
        if not scope.region_in_scope(context.user, code):
            raise RowFailed(self.scope_header(), context.outside_scope(code))

    @classmethod
    def model_checked_fields(cls) -> list[models.Field[Any, Any]]:
        """The model fields whose `Field.clean()` (type, blank, choices, validators) runs per row.

        What Model.clean_fields(exclude=...) would run, with two kinds of field left out because
        their rule has already been applied to the whole file: references (resolved in bulk,
        in scope; Field.clean would query each one again) and fields a column fills straight
        from a widget that applies the field's own rules to every cell (WIDGET_CHECKED: an ID
        number, a phone, a choice, a yes/no, a date, a year). Everything else — text lengths,
        decimals, numbers, the derived fields hooks set — is cleaned by its model field.
        """
        cached: list[models.Field[Any, Any]] | None = cls.__dict__.get("_model_checked")
        if cached is None:
            by_widget = {
                field.attribute
                for field in cls.sheet_fields().values()
                if isinstance(field.widget, WIDGET_CHECKED)
            }
            cached = [
                field
                for field in cls.model._meta.concrete_fields
                if not field.is_relation
                and not (field.primary_key and field.auto_created)
                and field.editable
                and not field.generated
                and field.name not in by_widget
            ]
            cls._model_checked = cached
        return cached

    def scope_header(self) -> str:
        for name in self.scope_columns:
            return self.sheet_fields()[name].header
        return self.header_for("region")

    def notes(self, context: Context) -> Iterable[str]:
        return []

    def after_write(
        self, created: list[Any], updated: list[Any], context: Context
    ) -> WriteChanges | None:
        """Runs in the import's transaction once its rows are written: the side effects the
        services have on save (timeline lines, counts that follow), in bulk, by the importing
        user (`context.user`). Returns what it wrote beyond the rows, in the shape of an
        import's changes ({"created": {label: [pk, …]}, "updated": {label: {pk: {field: old}}}})
        so that undoing the import undoes it too."""
        return None

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
        self, queryset: models.QuerySet[Any], *, reveal: set[str], user: Any = None
    ) -> Iterable[list[Any]]:
        """The rows of an export: `reveal` the personal-data fields shown in full, `user` the
        one exporting (a sheet whose rows show more or less by the user's scope asks it; the
        alliance members' sheet does; None only where a test exports everything)."""
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
