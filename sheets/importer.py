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

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sheets import bulk, normalise
from sheets.headers import HeaderError, find_header
from sheets.normalise import CellError
from workforce import scope
from workforce.identity import PERSONAL_DATA_FIELDS
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
        # A fixed, untranslated shape that scripts parse (DESIGN.md §5); the message is Chinese.
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
    parsed: list[Row] = []
    for index in range(match.row_index + 1, len(rows)):
        cells = rows[index]
        raw = {
            column.name: (cells[i] if i < len(cells) else None)
            for i, column in match.columns.items()
        }
        if all(normalise.text(value) == "" for value in raw.values()):
            continue  # blank rows in the middle are skipped
        row = Row(number=index + 1, data={}, raw=raw)
        failed = False
        for name, value in raw.items():
            field = fields[name]
            try:
                cleaned = field.widget.clean(value, wan=name in match.wan)
            except CellError as error:
                report.errors.append(RowError(row.number, field.header, error.message))
                failed = True
                continue
            if field.required and cleaned in (None, "", []):
                report.errors.append(
                    RowError(row.number, field.header, _("This column must be filled in."))
                )
                failed = True
            row.data[name] = cleaned
        if not failed:
            parsed.append(row)
    report.rows_total = len(parsed) + report.error_count

    context = Context(user, resource)
    resource.prefetch(parsed, context)
    seen: dict[Any, int] = {}
    to_create: list[models.Model] = []
    to_update: list[tuple[models.Model, dict[str, Any]]] = []
    planned: list[tuple[Row, dict[str, Any]]] = []
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
            planned.append((row, values))
        except RowFailed as failure:
            report.errors.append(RowError(row.number, failure.column, failure.message))

    existing = resource.find_existing([values for _row, values in planned])
    scoped = scope.is_scoped(resource.model)
    for row, values in planned:
        key = tuple(ident(values.get(part)) for part in resource.key_fields(values))
        stored = existing.get(key)
        try:
            if stored is None:
                instance = resource.model(**values)
                resource.validate(instance, None, row, context)
                to_create.append(instance)
                _preview(report, row, "create", resource)
            else:
                if scoped and not scope.region_in_scope(user, stored.scope_code):
                    raise RowFailed(
                        resource.scope_header(),
                        _("This record belongs to a region outside your scope."),
                    )
                old = {name: stored.current(name) for name in values}
                changed = {
                    name: old[name] for name, value in values.items() if old[name] != ident(value)
                }
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
            shown = _display(value)
            personal = fields[name].personal
            if personal:
                shown = PERSONAL_DATA_FIELDS[personal][1](shown)
            values[fields[name].header] = shown
        report.preview.append({"row": row.number, "action": action, "values": values})


def _relink(instance: models.Model) -> None:
    """Copy the pk of related objects saved earlier in this import onto the foreign keys."""
    for field in _foreign_keys(type(instance)):
        if field.is_cached(instance):
            related = field.get_cached_value(instance)
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
