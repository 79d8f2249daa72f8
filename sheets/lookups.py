"""The records an import's rows refer to, looked up in bulk: regions by code or name, enterprises
by credit code or name, workers by ID number, anything else by a finder — all inside the
importing user's scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from base import identity, scope
from base.models import Region, RegionLevel, county_of, short_name
from sheets import normalise
from sheets.rows import RowFailed, chunks
from workforce.models import Enterprise, Worker


class Context:
    """What one import knows beyond a single row: the user's scope and bulk caches of the
    records rows refer to, plus the records the import creates along the way."""

    def __init__(self, user: Any) -> None:
        self.user = user
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

    def referable(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """The records a row may refer to (scope.referable): every look-up of a referenced
        record goes through here, so another county's enterprise, studio or session is "not
        found" and is never linked."""
        return scope.referable(queryset, self.user)

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
                spellings = {region.code, region.name, short_name(region.name)}
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
            raise RowFailed(column, self.outside_scope(code))

    def outside_scope(self, code: str | None) -> str:
        """The refusal of a region outside the user's scope, naming both regions."""
        return _("%(region)s is outside your scope (%(scope)s).") % {
            "region": self.region_name(code),
            "scope": _full_name(self.home) if self.home is not None else _("none"),
        }

    def region_name(self, code: str | None) -> str:
        """A region's full name by its code (温州市瑞安市), the code itself when unknown."""
        if not code:
            return "—"
        found = next(
            (r for r in self._region_index().get(normalise.fold(code), []) if r.code == code),
            None,
        )
        return _full_name(found) if found is not None else code

    # --- enterprises -------------------------------------------------------------------------
    def prefetch_enterprises(self, values: Iterable[str]) -> None:
        codes: set[str] = set()
        names: set[str] = set()
        for value in values:
            (codes if _looks_like_credit_code(value) else names).add(value)
        for chunk in chunks(sorted(codes)):
            for enterprise in self.referable(Enterprise.objects.filter(credit_code__in=chunk)):
                self.enterprises_by_code[enterprise.credit_code or ""] = enterprise
        for chunk in chunks(sorted(names)):
            for enterprise in self.referable(Enterprise.objects.filter(name__in=chunk)):
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
            county = county_of(region.code)
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
        for chunk in chunks(wanted):
            for worker in Worker.objects.filter(id_number__in=chunk):
                self.workers[worker.id_number] = worker

    def worker_on_record(self, id_number: str) -> Worker | None:
        """The worker a row may refer to by ID number without adding one: inside the user's
        scope, else none (a dispatch or grant never links another county's worker)."""
        worker = self.workers.get(id_number)
        if worker is None or not scope.object_in_scope(self.user, worker):
            return None
        return worker

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
            # A worker of another region is neither named nor placed: the row is refused in
            # the words used for any number that cannot be registered here.
            shown_name = identity.person_name_shown(self.user, existing)
            if shown_name is None:
                raise RowFailed(id_column, str(identity.UNAVAILABLE_IN_REGION))
            if name and shown_name != name:
                raise RowFailed(
                    name_column,
                    _("ID number %(id)s belongs to %(existing)s, not %(name)s.")
                    % {"id": existing.masked_id_number, "existing": shown_name, "name": name},
                )
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
                {
                    normalise.fold(getattr(o, field)): o
                    for o in self.referable(model._default_manager.all())
                },
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


def _full_name(region: Region) -> str:
    if region.parent is not None and region.level != RegionLevel.PROVINCE:
        return f"{region.parent.name}{region.name}"
    return region.name


def _looks_like_credit_code(value: str) -> bool:
    return len(value) == 18 and value[:2].isalnum() and value.isascii()
