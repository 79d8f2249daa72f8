"""Computed figures, kept per region and per county until a record of theirs changes.

A province dashboard scans millions of rows (seconds); the same numbers are read by every
official of the region, over and over, between writes — and in working hours some county is
always writing. So the figures are kept in pieces (dashboards/rollup.py): each region's own
records (a town's; those kept at a county, a city or the province itself), and each *partition*
— the records whose region code starts with one six-digit county code (a county and its towns;
a city's or the province's own records form partitions 330300 and 330000 of their own). Each
region and each partition has a token, a random value that a write to one of their records
replaces once the write's transaction commits; everything computed is cached under the tokens it
depends on. After a write in one town only that town is counted again, its county's figures are
put together from its regions' kept ones, and a city or the province adds up its partitions'.

Why tokens in the cache and not rollup tables kept in the writing transaction: the figures are
exact because they are computed from the records themselves by the one catalogue, with no second
copy of each measure (in SQL triggers or Python) to keep in step; a database filled before this
release, restored from a backup or written by SQL is right after `migrate` with nothing to
backfill; and a write costs one small cache write after commit, not locks on shared counter rows
that every county's clerks would queue on. A token is random, never a counter: a token lost from
the cache (culled, a cache emptied) can only cause a recount, never bring back an older entry.

Who tells which regions a write touched: a save (its record's region before and after — a
transfer touches both), a delete, a many-to-many change and an import
(`sheets.signals.bulk_written` with the objects it writes), and a reporting action that
approves a report or takes its approval back (`written`: a past year's dashboard shows its
approved figures, reporting/history.py). A write whose region cannot be told
(a reference table such as the honour titles, a seed) replaces the global token, which every key
carries: everything is counted again.

The cache is the one in settings.CACHES (the database by default: shared by every server process).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, TypeVar

from django.apps import apps as global_apps
from django.core.cache import cache
from django.db import DatabaseError, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from simple_history.models import HistoricalChanges

from base.models import PREFIX_LENGTH, RegionLevel, county_of
from base.roles import DOMAIN_APPS
from sheets.signals import bulk_written

logger = logging.getLogger(__name__)
T = TypeVar("T")

GLOBAL_KEY = "dashboards:token"
PARTITION_LENGTH = PREFIX_LENGTH[RegionLevel.COUNTY]
# The prefixes of the regions above a county (the province's, a city's): each has a token.
ABOVE_COUNTY = tuple(
    length for length in sorted(set(PREFIX_LENGTH.values())) if length < PARTITION_LENGTH
)
# Longer than any working day; a new token makes old entries unreachable anyway.
TIMEOUT = 24 * 60 * 60
# Written by the application about itself, not records the dashboards count.
NOT_COUNTED = frozenset({"sheets", "audit"})
# Worker ids per query when an import's rows are counted through their worker.
CHUNK = 5_000
# Set on a record being saved: its region before the save (a transfer moves it).
OLD_REGION = "_dashboards_old_region"


# Records whose change moves figures counted on other records' rows, in those records' regions:
# an instructor's kind decides which sessions count as taught by a 劳模工匠讲师, and a session
# counts where it is organised, not where its instructor's academy is (an instructor who
# teaches is never deleted: their teachings protect them). Model label → the path from the
# record to the regions of those rows.
ALSO_COUNTED_AT: dict[str, str] = {"training.instructor": "teachings__region"}


def _also_counted_at(model: type[models.Model], pks: Sequence[Any]) -> set[str]:
    """The regions of the rows whose figures the records `pks` of `model` also decide."""
    path = ALSO_COUNTED_AT.get(model._meta.label_lower)
    if path is None or not pks:
        return set()
    touched: set[str] = set()
    for start in range(0, len(pks), CHUNK):
        codes = (
            model._base_manager.filter(pk__in=pks[start : start + CHUNK])
            .values_list(path, flat=True)
            .distinct()
        )
        touched.update(str(code) for code in codes if code)
    return touched


def partition_of(code: str) -> str:
    """The partition a region's own records are kept in: its county's code (six digits)."""
    return county_of(code)


def partition_token(partition: str) -> str:
    """The cache key of a partition's token: replaced by a write to any of its regions."""
    return f"dashboards:token:p:{partition}"


def region_token(code: str) -> str:
    """The cache key of one region's token: replaced by a write to that region's own records
    (a town's, or the records kept at a county itself), so that a write in one town recounts
    that town alone."""
    return f"dashboards:token:r:{code}"


def subtree_token(prefix: str) -> str:
    """The cache key of the token of every record under a region prefix: a city's (four
    digits) or the province's (two); replaced by a write to any region under it. A county's
    is its partition's token."""
    if len(prefix) >= PARTITION_LENGTH:
        return partition_token(prefix[:PARTITION_LENGTH])
    return f"dashboards:token:t:{prefix}"


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


def tokens(keys: Collection[str]) -> dict[str, str]:
    """The current token under each key, and the global one (GLOBAL_KEY): one cache read; a
    token not in the cache is made (and then every entry under it is counted afresh)."""
    wanted = [GLOBAL_KEY, *keys]
    found: dict[str, Any] = cache.get_many(wanted)
    for key in wanted:
        if key not in found:
            token = _new_token()
            # Another process may have made it at the same moment: theirs then stands.
            if not cache.add(key, token, None):
                token = cache.get(key) or token
            found[key] = token
    return found


def invalidate(codes: Iterable[str] | None = None) -> None:
    """A write to the records of the regions `codes` has committed (with None: to records whose
    region cannot be told): those regions, their partitions and the city and province above
    them (or everything) are counted again on the next request."""
    if codes is None:
        keys = [GLOBAL_KEY]
    else:
        codes = set(codes)
        keys = [region_token(code) for code in codes]
        keys += [partition_token(p) for p in {partition_of(code) for code in codes}]
        keys += [
            subtree_token(prefix)
            for prefix in {code[:length] for code in codes for length in ABOVE_COUNTY}
        ]
    try:
        cache.set_many({key: _new_token() for key in keys}, None)
    except DatabaseError:
        # The cache table is not there yet (a migration writing records before the one that
        # creates it): nothing can be cached either, so nothing is stale.
        logger.warning("dashboards cache not reachable; nothing to invalidate")


def _day() -> str:
    # Some numbers count against today (overdue dispatches): a new day computes afresh.
    return timezone.localdate().isoformat()


def cached(key: str, prefix: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept until a write touches a record under the region prefix `prefix` (or
    one whose region cannot be told): two tokens to read, whatever the region."""
    current = tokens([subtree_token(prefix)])
    stamp = "-".join(current[name] for name in sorted(current))
    full_key = f"dashboards:{stamp}:{_day()}:{key}"
    value: T | None = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def cached_each(
    key: str,
    names: Sequence[str],
    token_key: Callable[[str], str],
    compute: Callable[[list[str]], dict[str, T]],
) -> dict[str, T]:
    """{name: value} for each name (a partition, a region code), each kept under its own token
    (`token_key(name)`): the ones a write touched since are computed again — all in one call,
    `compute(missing)`, which returns their values — and the others read from the cache, in
    one read."""
    current = tokens([token_key(name) for name in names])
    prefix = f"dashboards:e:{current[GLOBAL_KEY]}:{_day()}:{key}"
    keys = {name: f"{prefix}:{name}:{current[token_key(name)]}" for name in names}
    found = cache.get_many(list(keys.values()))
    values = {name: found[k] for name, k in keys.items() if k in found}
    missing = [name for name in names if name not in values]
    if missing:
        computed = compute(missing)
        cache.set_many(
            {keys[name]: computed[name] for name in missing if name in computed}, TIMEOUT
        )
        values.update(computed)
    return values


# --- which regions a write touched ---------------------------------------------------------


def _counted(model: type[models.Model]) -> bool:
    if model._meta.apps is not global_apps:
        return False  # a migration's historical model: no dashboard is cached during migrate
    if issubclass(model, HistoricalChanges):
        return False  # a history row: the record it describes was written too
    app_label = model._meta.app_label
    return app_label in DOMAIN_APPS and app_label not in NOT_COUNTED


def _region_path(model: type[models.Model]) -> str | None:
    """The lookup from a record to the code of the region it counts in (the FK column holds the
    code: Region's primary key is its code), or None for a model without a region (a reference
    table such as the honour titles: a write to it recounts everything)."""
    path = getattr(model, "scope_path", None)
    if path:
        return str(path).removesuffix("__code")
    # A many-to-many table (a trip's participants) counts where the record holding it does.
    owner = model._meta.auto_created
    if isinstance(owner, type) and (owner_path := _region_path(owner)):
        link = next(f for f in model._meta.fields if f.related_model is owner)
        return f"{link.name}__{owner_path}"
    return None


def _stored_region(instance: models.Model, path: str) -> str | None:
    """The region code of the record as the database holds it (before a save or a delete)."""
    code = type(instance)._base_manager.filter(pk=instance.pk).values_list(path, flat=True).first()
    return str(code) if code else None


def _current_region(instance: models.Model, path: str) -> str | None:
    """The region code of the record as it is in memory (after a save)."""
    *relations, last = path.split("__")
    target: Any = instance
    try:
        for name in relations:
            target = getattr(target, name)
            if target is None:
                return None
        field = target._meta.get_field(last)
        assert isinstance(field, models.Field)  # a region FK, or Region's own code
        code = getattr(target, field.attname)
    except models.ObjectDoesNotExist:
        return None
    return str(code) if code else None


class _Pending(threading.local):
    """The regions written since the last commit of this thread's connection."""

    def __init__(self) -> None:
        self.codes: set[str] = set()
        self.everything = False


_pending = _Pending()


def _after_commit(codes: set[str] | None) -> None:
    if codes is None:
        _pending.everything = True
    else:
        _pending.codes |= codes
    transaction.on_commit(_flush)


def written(codes: Iterable[str] | None) -> None:
    """A write that changes what the dashboards of the regions `codes` show, made outside the
    records the signals watch (a report approved or re-opened: reporting/services.py): their
    tokens are replaced once the transaction commits, as for a record saved there."""
    _after_commit(None if codes is None else set(codes))


def _flush() -> None:
    """Every write registers this; the first to run after a commit writes one new token per
    region and partition the transaction touched, the rest find nothing left to do (an undo that deletes
    3,000 rows writes one token, not 3,000). What a rolled-back transaction gathered is flushed
    with the next commit: a recount too many, never one too few."""
    if not (_pending.everything or _pending.codes):
        return
    codes = None if _pending.everything else _pending.codes
    _pending.codes, _pending.everything = set(), False
    invalidate(codes)


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    path = _region_path(sender) if _counted(sender) else None
    if path and not instance._state.adding and instance.pk is not None and not kwargs.get("raw"):
        setattr(instance, OLD_REGION, _stored_region(instance, path))


def _saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _counted(sender):
        return
    path = _region_path(sender)
    if path is None:
        _after_commit(None)
        return
    touched = {getattr(instance, OLD_REGION, None), _current_region(instance, path)}
    touched |= _also_counted_at(sender, [instance.pk])
    if hasattr(instance, OLD_REGION):
        delattr(instance, OLD_REGION)
    _after_commit({code for code in touched if code} or None)


def _before_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _counted(sender):
        return
    path = _region_path(sender)
    if path is None:
        code = None
    elif "__" not in path:
        code = _current_region(instance, path)  # the region column is on the row
    else:
        # Counted through another record (a certificate through its worker): read before the
        # row, and in a cascade the worker, are gone.
        code = _stored_region(instance, path)
    setattr(instance, OLD_REGION, code)


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _counted(sender):
        return
    code = getattr(instance, OLD_REGION, None)
    _after_commit({code} if code else None)


def bulk_regions(
    model: type[models.Model], objects: Sequence[models.Model] | None
) -> set[str] | None:
    """The regions a bulk write of `objects` touches — where the stored rows are (an update
    may move a record) and where the new values put them — or None when that cannot be told."""
    path = _region_path(model)
    if path is None or objects is None:
        return None
    touched: set[str] = set()
    stored = [obj.pk for obj in objects if obj.pk is not None and not obj._state.adding]
    for start in range(0, len(stored), CHUNK):
        codes = (
            model._base_manager.filter(pk__in=stored[start : start + CHUNK])
            .values_list(path, flat=True)
            .distinct()
        )
        touched.update(str(code) for code in codes if code)
    first, *rest = path.split("__")
    field = model._meta.get_field(first)
    assert isinstance(field, models.Field)
    if not rest:
        touched.update(str(code) for obj in objects if (code := getattr(obj, field.attname)))
        return touched
    # Counted through a related record (a certificate through its worker): that record's region.
    related = field.related_model
    assert isinstance(related, type) and issubclass(related, models.Model)
    ids = sorted({i for obj in objects if (i := getattr(obj, field.attname)) is not None})
    for start in range(0, len(ids), CHUNK):
        codes = (
            related._base_manager.filter(pk__in=ids[start : start + CHUNK])
            .values_list("__".join(rest), flat=True)
            .distinct()
        )
        touched.update(str(code) for code in codes if code)
    return touched


def _bulk_written(
    sender: type[models.Model], objects: Sequence[models.Model] | None = None, **kwargs: Any
) -> None:
    if _counted(sender):
        touched = bulk_regions(sender, objects)
        if touched is not None and objects is not None:
            touched |= _also_counted_at(sender, [obj.pk for obj in objects if obj.pk is not None])
        _after_commit(touched)


def _links_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    """People added to or taken off a record's many-to-many list (a trip's participants)."""
    if not action.startswith("post_") or not _counted(sender):
        return
    owner = sender._meta.auto_created
    owner_path = _region_path(owner) if isinstance(owner, type) else None
    if owner_path is None:
        _after_commit(None)
    elif not reverse:
        code = _current_region(instance, owner_path)
        _after_commit({code} if code else None)
    elif pk_set is None:
        _after_commit(None)  # cleared from the other side: which records is not told
    else:
        codes = (
            model._base_manager.filter(pk__in=pk_set).values_list(owner_path, flat=True).distinct()
        )
        _after_commit({str(code) for code in codes if code})


def connect() -> None:
    """Called once from DashboardsConfig.ready()."""
    pre_save.connect(_before_save, dispatch_uid="dashboards-cache-before-save")
    post_save.connect(_saved, dispatch_uid="dashboards-cache-save")
    pre_delete.connect(_before_delete, dispatch_uid="dashboards-cache-before-delete")
    post_delete.connect(_deleted, dispatch_uid="dashboards-cache-delete")
    bulk_written.connect(_bulk_written, dispatch_uid="dashboards-cache-bulk")
    m2m_changed.connect(_links_changed, dispatch_uid="dashboards-cache-links")
