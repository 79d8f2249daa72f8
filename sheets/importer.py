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

import contextlib
import dataclasses
import datetime
import gc
import inspect
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.base import ModelState
from django.db.models.fields import NOT_PROVIDED
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.utils import timezone
from django.utils.translation import gettext as _

from sheets import bulk, normalise
from sheets.fields import Choice, SheetField, SheetWidget
from sheets.headers import HeaderError, find_header
from sheets.normalise import CellError
from workforce import scope
from workforce.models import Enterprise, Region, RegionLevel, Worker

if TYPE_CHECKING:
    from sheets.resources import SheetResource

PREVIEW_ROWS = 20
CHUNK = 2000
Progress = Callable[[int, int], None]


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

    @property
    def error_count(self) -> int:
        """Rows with at least one error (a file-level error counts as one)."""
        return len({error.row for error in self.errors})

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


class Context:
    """What one import knows beyond a single row: the user's scope and bulk caches of the
    records rows refer to, plus the records the import creates along the way."""

    def __init__(self, user: Any, resource: SheetResource) -> None:
        self.user = user
        self.resource = resource
        self.prefix = scope.scope_prefix(user)
        self.home = scope.scope_region(user)
        self._regions: dict[str, list[Region]] | None = None
        self._region_memo: dict[str, Region | RowFailed] = {}
        self.workers: dict[str, Worker] = {}
        self.new_workers: dict[str, tuple[Worker, int]] = {}
        self.enterprises_by_code: dict[str, Enterprise] = {}
        self.enterprises_by_name: dict[str, list[Enterprise]] = defaultdict(list)
        self.new_enterprises: dict[tuple[str, str], Enterprise] = {}
        self.created_other: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.memo: dict[Any, Any] = {}

    # --- regions -----------------------------------------------------------------------------
    def _region_index(self) -> dict[str, list[Region]]:
        if self._regions is None:
            regions = list(Region.objects.all())
            by_code = {region.code: region for region in regions}
            index: dict[str, list[Region]] = defaultdict(list)
            for region in regions:
                chain = [region]
                while chain[-1].parent_id and chain[-1].parent_id in by_code:
                    chain.append(by_code[chain[-1].parent_id])
                names = [r.name for r in reversed(chain)]  # 浙江省, 温州市, 瑞安市, 塘下镇
                spellings = {region.code, region.name, _short_name(region.name)}
                for start in range(len(names) - 1):
                    spellings.add("".join(names[start:]))
                for spelling in spellings:
                    if spelling:
                        index[normalise.fold(spelling)].append(region)
            self._regions = index
        return self._regions

    def region(self, value: str, column: str) -> Region:
        """A region by code (6 or 9 digits) or by name (瑞安市, 温州市瑞安市, 瑞安)."""
        # A sheet names few regions over many rows: resolve each spelling once.
        found = self._region_memo.get(value)
        if found is None:
            try:
                found = self._resolve_region(value, column)
            except RowFailed as failure:
                found = failure
            self._region_memo[value] = found
        if isinstance(found, RowFailed):
            raise RowFailed(column, found.message)
        return found

    def _resolve_region(self, value: str, column: str) -> Region:
        matches = list(dict.fromkeys(self._region_index().get(normalise.fold(value), [])))
        if len(matches) > 1:
            # A county and a town may share a short name: prefer what lies in the user's scope.
            inside = [r for r in matches if scope.region_in_scope(self.user, r.code)]
            matches = inside if len(inside) == 1 else matches
        if not matches:
            candidates = self._region_candidates(value)
            message = _("Unknown region “%(value)s”.") % {"value": value}
            if candidates:
                message += " " + _("Did you mean: %(candidates)s?") % {"candidates": candidates}
            raise RowFailed(column, message)
        if len(matches) > 1:
            raise RowFailed(
                column,
                _(
                    "“%(value)s” names several regions: %(candidates)s. Write the code or the full name."
                )
                % {"value": value, "candidates": "、".join(_full_name(r) for r in matches[:6])},
            )
        return matches[0]

    def _region_candidates(self, value: str) -> str:
        folded = normalise.fold(value)
        if len(folded) < 2:
            return ""
        found: dict[str, Region] = {}
        for spelling, regions in self._region_index().items():
            if folded[:2] in spelling or spelling in folded:
                for region in regions:
                    found.setdefault(region.code, region)
            if len(found) >= 5:
                break
        return "、".join(f"{r.code} {_full_name(r)}" for r in found.values())

    def check_scope(self, code: str | None, column: str) -> None:
        if not scope.region_in_scope(self.user, code):
            raise RowFailed(column, _("This region is outside your scope."))

    # --- enterprises -------------------------------------------------------------------------
    def prefetch_enterprises(self, values: Iterable[str]) -> None:
        codes: set[str] = set()
        names: set[str] = set()
        for value in values:
            (codes if _looks_like_credit_code(value) else names).add(value)
        for chunk in _chunks(sorted(codes)):
            for enterprise in Enterprise.objects.filter(credit_code__in=chunk):
                self.enterprises_by_code[enterprise.credit_code or ""] = enterprise
        for chunk in _chunks(sorted(names)):
            for enterprise in Enterprise.objects.filter(name__in=chunk):
                self.enterprises_by_name[enterprise.name].append(enterprise)

    def enterprise(self, value: str, *, region: Region | None, column: str) -> Enterprise:
        """By credit code, or by exact name (the one in the row's county when several share it);
        an unknown name is created in the row's region and counted in the report."""
        if _looks_like_credit_code(value):
            code = value.upper()
            if code in self.enterprises_by_code:
                return self.enterprises_by_code[code]
            raise RowFailed(
                column, _("No enterprise has the credit code %(code)s.") % {"code": code}
            )
        candidates = self.enterprises_by_name.get(value, [])
        if len(candidates) > 1 and region is not None:
            county = region.code[:6]
            candidates = [e for e in candidates if e.region_id.startswith(county)] or candidates
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise RowFailed(
                column,
                _("Several enterprises are named “%(name)s”; write the credit code instead.")
                % {"name": value},
            )
        if region is None:
            raise RowFailed(column, _("Unknown enterprise “%(name)s”.") % {"name": value})
        key = (value, region.code)
        if key not in self.new_enterprises:
            self.new_enterprises[key] = Enterprise(name=value, region=region)
        return self.new_enterprises[key]

    # --- workers -----------------------------------------------------------------------------
    def prefetch_workers(self, id_numbers: Iterable[str]) -> None:
        wanted = sorted({n for n in id_numbers if n} - self.workers.keys())
        for chunk in _chunks(wanted):
            for worker in Worker.objects.filter(id_number__in=chunk):
                self.workers[worker.id_number] = worker

    def worker(
        self,
        *,
        id_number: str,
        name: str,
        row: int,
        region: Region | None = None,
        enterprise: Enterprise | None = None,
        id_column: str,
        name_column: str,
        region_column: str,
    ) -> Worker:
        """The worker with this ID number; created from the row when there is none yet."""
        existing = self.workers.get(id_number)
        if existing is not None:
            if name and existing.name != name:
                raise RowFailed(
                    name_column,
                    _("ID number %(id)s belongs to %(existing)s, not %(name)s.")
                    % {"id": existing.masked_id_number, "existing": existing.name, "name": name},
                )
            if not scope.object_in_scope(self.user, existing):
                raise RowFailed(id_column, _("This worker belongs to a region outside your scope."))
            return existing
        if id_number in self.new_workers:
            worker, first_row = self.new_workers[id_number]
            if name and worker.name != name:
                raise RowFailed(
                    name_column,
                    _("Row %(first)d gives this ID number to %(other)s.")
                    % {"first": first_row, "other": worker.name},
                )
            return worker
        region = region or self._home_for_new_worker(region_column)
        self.check_scope(region.code, region_column)
        if not name:
            raise RowFailed(name_column, _("A name is needed to add a new worker."))
        worker = Worker(name=name, id_number=id_number, region=region, enterprise=enterprise)
        worker.derive_from_id_number()
        self.new_workers[id_number] = (worker, row)
        return worker

    def _home_for_new_worker(self, column: str) -> Region:
        if self.home is not None and self.home.level in (RegionLevel.COUNTY, RegionLevel.TOWN):
            return self.home
        raise RowFailed(column, _("Give the region, needed to add a worker not yet on record."))

    # --- small reference tables --------------------------------------------------------------
    def by_name(
        self, model: type[models.Model], value: str, column: str, field: str = "name"
    ) -> Any:
        key = (model, field, normalise.fold(value))
        if key not in self.memo:
            index = self.memo.setdefault(
                (model, field),
                {normalise.fold(getattr(o, field)): o for o in model._default_manager.all()},
            )
            self.memo[key] = index.get(key[2])
        found = self.memo[key]
        if found is None:
            raise RowFailed(
                column,
                _("Unknown %(thing)s “%(value)s”.")
                % {"thing": model._meta.verbose_name, "value": value},
            )
        return found

    def lookup(self, key: Any, finder: Callable[[], Any]) -> Any:
        """Memoise a per-value lookup (a session, a visit, a competition) across rows."""
        if key not in self.memo:
            self.memo[key] = finder()
        return self.memo[key]


def _short_name(name: str) -> str:
    for suffix in ("畲族自治县", "自治县", "街道", "市", "县", "区", "镇", "乡"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return ""


def _full_name(region: Region) -> str:
    if region.parent is not None and region.level != RegionLevel.PROVINCE:
        return f"{region.parent.name}{region.name}"
    return region.name


def _looks_like_credit_code(value: str) -> bool:
    return len(value) == 18 and value[:2].isalnum() and value.isascii()


_FOREIGN_KEYS: dict[type[models.Model], list[models.ForeignKey[Any, Any]]] = {}


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    if model not in _FOREIGN_KEYS:
        _FOREIGN_KEYS[model] = [
            f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)
        ]
    return _FOREIGN_KEYS[model]


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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

    context = Context(user, resource)
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
                        _("This record belongs to a region outside your scope."),
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
    resource.after_write(to_create, [obj for obj, _changed in to_update])
    return {"created": dict(created), "updated": dict(updated), "at": timezone.now().isoformat()}


def _jsonable(field: models.Field[Any, Any], value: Any) -> Any:
    if isinstance(value, tuple):  # a related record, as _current gives it
        return value[1]
    return field.value_to_string(_Holder(field, value)) if value is not None else None  # type: ignore[arg-type]


class _Holder:
    """Lets Field.value_to_string serialise a bare value."""

    def __init__(self, field: models.Field[Any, Any], value: Any) -> None:
        setattr(self, field.attname, value)


def validation_to_row_failure(error: ValidationError, resource: SheetResource) -> RowFailed:
    """Turn a model ValidationError into a row error on the column of the failing field."""
    if hasattr(error, "error_dict"):
        name, messages = next(iter(error.message_dict.items()))
        return RowFailed(resource.header_for(name), " ".join(messages))
    return RowFailed("—", " ".join(error.messages))
