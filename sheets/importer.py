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
import inspect
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models.base import ModelState
from django.db.models.fields import NOT_PROVIDED
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.utils import timezone
from django.utils.translation import gettext as _

from base import identity, scope
from sheets import bulk, normalise
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

PREVIEW_ROWS = 20
_FOREIGN_KEYS: dict[type[models.Model], list[models.ForeignKey[Any, Any]]] = {}


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    if model not in _FOREIGN_KEYS:
        _FOREIGN_KEYS[model] = [
            f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)
        ]
    return _FOREIGN_KEYS[model]


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
    new_instance = instance_builder(resource.model)
    # Each row and stored record is let go once handled, so that the memory of 100 000 rows
    # is reused for the instances to write rather than added to (peak memory, not speed).
    del parsed, seen
    planned.reverse()
    while planned:
        row, values, key = planned.pop()
        stored = existing.pop(key, None)
        try:
            if stored is None:
                instance = new_instance(values)
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
        changes = _write(resource, context, to_create, to_update, user=user, file_name=file_name)
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


def instance_builder(model: type[models.Model]) -> Callable[[dict[str, Any]], models.Model]:
    """A function making `model(**values)`, cheaper for the rows of one import.

    Model.__init__ walks every field and pops every keyword, per row. When the model adds
    nothing to it (no __init__ of its own, no pre_init/post_init receivers, plain attributes),
    the same instance is the defaults plus the row's values written straight into __dict__;
    foreign keys still go through their descriptor, which checks the type, sets the id and
    caches the record. Anything else (other keywords, custom fields) takes the ordinary path.
    Listeners are looked up per import, so one connected later is honoured.
    """

    def ordinary(values: dict[str, Any]) -> models.Model:
        return model(**values)

    meta = model._meta
    if (
        model.__init__ is not models.Model.__init__
        or meta.abstract
        or pre_init.has_listeners(model)
        or post_init.has_listeners(model)
    ):
        return ordinary
    defaults: dict[str, Any] = {}
    computed: list[models.Field[Any, Any]] = []  # callable and database defaults: per instance
    plain: dict[str, str] = {}  # field name → attname, for fields set in __dict__
    related: set[str] = set()  # foreign keys, set through their descriptor
    for field in meta.concrete_fields:
        if field.generated:
            return ordinary
        descriptor = inspect.getattr_static(model, field.attname, None)
        if field.is_relation:
            if type(descriptor) is not ForeignKeyDeferredAttribute:
                return ordinary
            related.add(field.name)
        elif type(descriptor) is DeferredAttribute:
            plain[field.name] = field.attname
        else:
            return ordinary
        if (field.has_default() and callable(field.default)) or _has_db_default(field):
            computed.append(field)
        else:
            defaults[field.attname] = field.get_default()
    names = plain.keys() | related

    def build(values: dict[str, Any]) -> models.Model:
        if not values.keys() <= names:
            return model(**values)
        instance = model.__new__(model)
        instance._state = ModelState()
        attributes = instance.__dict__
        attributes.update(defaults)
        for field in computed:
            if field.name not in values:
                attributes[field.attname] = field.get_default()
        for name, value in values.items():
            attname = plain.get(name)
            if attname is None:
                setattr(instance, name, value)
            else:
                attributes[attname] = value
        return instance

    return build


def _has_db_default(field: models.Field[Any, Any]) -> bool:
    # Field.has_db_default() (Django 5.0) is not in django-stubs yet.
    return getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED


def _relink(instance: models.Model) -> None:
    """Copy the pk of related objects saved earlier in this import onto the foreign keys."""
    for field in _foreign_keys(type(instance)):
        related = field.get_cached_value(instance, None)  # None: not cached, or no record
        if related is not None and getattr(instance, field.attname) != related.pk:
            setattr(instance, field.attname, related.pk)


@transaction.atomic
def _write(
    resource: SheetResource,
    context: Context,
    to_create: list[models.Model],
    to_update: list[tuple[models.Model, dict[str, Any]]],
    *,
    user: Any,
    file_name: str,
) -> dict[str, Any]:
    reason = _("import of %(file)s") % {"file": file_name} if file_name else _("import")
    created: dict[str, list[Any]] = defaultdict(list)
    updated: dict[str, dict[str, Any]] = defaultdict(dict)

    def add(objects: list[models.Model]) -> None:
        if not objects:
            return
        for obj in objects:
            _relink(obj)
        bulk.insert(objects, user=user, reason=reason)
        created[objects[0]._meta.label].extend(obj.pk for obj in objects)

    # Parents first: the sheet's rows refer to the enterprises and workers created with them.
    add(list(context.new_enterprises.values()))
    add([worker for worker, _row in context.new_workers.values()])
    for objects in context.created_other.values():
        add(objects)
    add(to_create)
    if to_update:
        objects = [obj for obj, _changed in to_update]
        for obj in objects:
            _relink(obj)
        concrete = {f.name: f for f in resource.model._meta.concrete_fields}
        names = sorted(
            {name for _obj, changed in to_update for name in changed if name in concrete}
        )
        bulk.update(objects, names, user=user, reason=reason)
        label = resource.model._meta.label
        for obj, changed in to_update:
            updated[label][str(obj.pk)] = {
                name: _jsonable(concrete[name], value)
                for name, value in changed.items()
                if name in concrete
            }
    more = resource.after_write(to_create, [obj for obj, _changed in to_update], context) or {}
    for label, pks in more.get("created", {}).items():
        created[label].extend(pks)
    for label, olds in more.get("updated", {}).items():
        for pk, old in olds.items():
            # A record the rows changed keeps the values it had before the rows.
            updated[label][str(pk)] = {**old, **updated[label].get(str(pk), {})}
    return {"created": dict(created), "updated": dict(updated), "at": timezone.now().isoformat()}


def _jsonable(field: models.Field[Any, Any], value: Any) -> Any:
    if isinstance(value, tuple):  # a related record, as _current gives it
        return value[1]
    return field.value_to_string(_Holder(field, value)) if value is not None else None  # type: ignore[arg-type]


class _Holder:
    """Lets Field.value_to_string serialise a bare value."""

    def __init__(self, field: models.Field[Any, Any], value: Any) -> None:
        setattr(self, field.attname, value)
