"""Computed figures, kept per county until a record of that county changes.

A province dashboard scans millions of rows (seconds); the same numbers are read by every
official of the region, over and over, between writes — and in working hours some county is
always writing. So the figures are kept per *partition*: the records whose region code starts
with one six-digit county code (a county and its towns; a city's or the province's own records
form partitions of their own, 330300 and 330000). Each partition has a token, a random value
that a write to one of its records replaces once the write's transaction commits; everything
computed from a partition is cached under its token, so after a write in one town only that
town's county is counted again, and a city or the province adds up its counties' kept figures
(dashboards/rollup.py).

Why tokens in the cache and not rollup tables kept in the writing transaction: the figures are
exact because they are computed from the records themselves by the one catalogue, with no second
copy of each measure (in SQL triggers or Python) to keep in step; a database filled before this
release, restored from a backup or written by SQL is right after `migrate` with nothing to
backfill; and a write costs one small cache write after commit, not locks on shared counter rows
that every county's clerks would queue on. A token is random, never a counter: a token lost from
the cache (culled, a cache emptied) can only cause a recount, never bring back an older entry.

Who tells which partitions a write touched: a save (its record's region before and after — a
transfer touches both), a delete, and an import (`sheets.signals.bulk_written` with the objects
it writes). A write whose region cannot be told (a model without a region, a seed) replaces the
global token, which every key carries: everything is counted again.

The cache is the one in settings.CACHES (the database by default: shared by every server process).
"""

from __future__ import annotations

import hashlib
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

from base.models import county_of
from base.roles import DOMAIN_APPS
from sheets.signals import bulk_written

logger = logging.getLogger(__name__)
T = TypeVar("T")

GLOBAL_KEY = "dashboards:token"
PARTITION_KEY = "dashboards:token:{partition}"
# Longer than any working day; a new token makes old entries unreachable anyway.
TIMEOUT = 24 * 60 * 60
# Written by the application about itself, not records the dashboards count.
NOT_COUNTED = frozenset({"sheets", "audit"})
# Worker ids per query when an import's rows are counted through their worker.
CHUNK = 5_000
# Set on a record being saved: its partition before the save (a transfer moves it).
OLD_PARTITION = "_dashboards_old_partition"


def partition_of(code: str) -> str:
    """The partition a region's own records are kept in: its county's code (six digits)."""
    return county_of(code)


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


def tokens(partitions: Collection[str]) -> dict[str, str]:
    """The current token of each partition, and of everything (key ""): one cache read; a token
    not in the cache is made (and then every entry under it is counted afresh)."""
    keys = {GLOBAL_KEY: "", **{PARTITION_KEY.format(partition=p): p for p in partitions}}
    found: dict[str, Any] = cache.get_many(list(keys))
    result = {name: found[key] for key, name in keys.items() if key in found}
    for key, name in keys.items():
        if name not in result:
            token = _new_token()
            # Another process may have made it at the same moment: theirs then stands.
            if not cache.add(key, token, None):
                token = cache.get(key) or token
            result[name] = token
    return result


def invalidate(partitions: Iterable[str] | None = None) -> None:
    """A write has committed: the named partitions (or, with None, everything) are counted again
    on the next request."""
    keys = (
        [GLOBAL_KEY]
        if partitions is None
        else [PARTITION_KEY.format(partition=p) for p in set(partitions)]
    )
    try:
        cache.set_many({key: _new_token() for key in keys}, None)
    except DatabaseError:
        # The cache table is not there yet (a migration writing records before the one that
        # creates it): nothing can be cached either, so nothing is stale.
        logger.warning("dashboards cache not reachable; nothing to invalidate")


def _day() -> str:
    # Some numbers count against today (overdue dispatches): a new day computes afresh.
    return timezone.localdate().isoformat()


def cached(key: str, partitions: Collection[str], compute: Callable[[], T]) -> T:
    """`compute()`, kept until a write touches one of `partitions` (or everything)."""
    current = tokens(partitions)
    stamp = hashlib.blake2b(
        "|".join(f"{name}={current[name]}" for name in sorted(current)).encode(), digest_size=12
    ).hexdigest()
    full_key = f"dashboards:{stamp}:{_day()}:{key}"
    value: T | None = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def cached_per_partition(
    key: str, partitions: Sequence[str], compute: Callable[[list[str]], dict[str, T]]
) -> dict[str, T]:
    """{partition: value} for each partition, each kept under its own token: the partitions a
    write touched since are computed again — all of them in one call, `compute(missing)`, which
    returns their values — and the others read from the cache, in one read."""
    current = tokens(partitions)
    day = _day()
    keys = {
        partition: f"dashboards:p:{current['']}:{current[partition]}:{day}:{key}:{partition}"
        for partition in partitions
    }
    found = cache.get_many(list(keys.values()))
    values = {partition: found[k] for partition, k in keys.items() if k in found}
    missing = [partition for partition in partitions if partition not in values]
    if missing:
        computed = compute(missing)
        cache.set_many({keys[partition]: computed[partition] for partition in missing}, TIMEOUT)
        values.update(computed)
    return values


# --- which partitions a write touched ---------------------------------------------------------


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


def _stored_partition(instance: models.Model, path: str) -> str | None:
    """The partition of the record as the database holds it (before a save or a delete)."""
    code = type(instance)._base_manager.filter(pk=instance.pk).values_list(path, flat=True).first()
    return partition_of(code) if code else None


def _current_partition(instance: models.Model, path: str) -> str | None:
    """The partition of the record as it is in memory (after a save)."""
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
    return partition_of(code) if code else None


class _Pending(threading.local):
    """The partitions written since the last commit of this thread's connection."""

    def __init__(self) -> None:
        self.partitions: set[str] = set()
        self.everything = False


_pending = _Pending()


def _after_commit(partitions: set[str] | None) -> None:
    if partitions is None:
        _pending.everything = True
    else:
        _pending.partitions |= partitions
    transaction.on_commit(_flush)


def _flush() -> None:
    """Every write registers this; the first to run after a commit writes one new token per
    partition the transaction touched, the rest find nothing left to do (an undo that deletes
    3,000 rows writes one token, not 3,000). What a rolled-back transaction gathered is flushed
    with the next commit: a recount too many, never one too few."""
    if not (_pending.everything or _pending.partitions):
        return
    partitions = None if _pending.everything else _pending.partitions
    _pending.partitions, _pending.everything = set(), False
    invalidate(partitions)


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    path = _region_path(sender) if _counted(sender) else None
    if path and not instance._state.adding and instance.pk is not None and not kwargs.get("raw"):
        setattr(instance, OLD_PARTITION, _stored_partition(instance, path))


def _saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _counted(sender):
        return
    path = _region_path(sender)
    if path is None:
        _after_commit(None)
        return
    touched = {
        getattr(instance, OLD_PARTITION, None),
        _current_partition(instance, path),
    }
    if hasattr(instance, OLD_PARTITION):
        delattr(instance, OLD_PARTITION)
    _after_commit({p for p in touched if p} or None)


def _before_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _counted(sender):
        return
    path = _region_path(sender)
    if path is None:
        partition = None
    elif "__" not in path:
        partition = _current_partition(instance, path)  # the region column is on the row
    else:
        # Counted through another record (a certificate through its worker): read before the
        # row, and in a cascade the worker, are gone.
        partition = _stored_partition(instance, path)
    setattr(instance, OLD_PARTITION, partition)


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _counted(sender):
        return
    partition = getattr(instance, OLD_PARTITION, None)
    _after_commit({partition} if partition else None)


def bulk_partitions(
    model: type[models.Model], objects: Sequence[models.Model] | None
) -> set[str] | None:
    """The partitions a bulk write of `objects` touches — where the stored rows are (an update
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
        touched.update(partition_of(code) for code in codes if code)
    first, *rest = path.split("__")
    field = model._meta.get_field(first)
    assert isinstance(field, models.Field)
    if not rest:
        touched.update(
            partition_of(code) for obj in objects if (code := getattr(obj, field.attname))
        )
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
        touched.update(partition_of(code) for code in codes if code)
    return touched


def _bulk_written(
    sender: type[models.Model], objects: Sequence[models.Model] | None = None, **kwargs: Any
) -> None:
    if _counted(sender):
        _after_commit(bulk_partitions(sender, objects))


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
        partition = _current_partition(instance, owner_path)
        _after_commit({partition} if partition else None)
    elif pk_set is None:
        _after_commit(None)  # cleared from the other side: which records is not told
    else:
        codes = (
            model._base_manager.filter(pk__in=pk_set).values_list(owner_path, flat=True).distinct()
        )
        _after_commit({partition_of(code) for code in codes if code})


def connect() -> None:
    """Called once from DashboardsConfig.ready()."""
    pre_save.connect(_before_save, dispatch_uid="dashboards-cache-before-save")
    post_save.connect(_saved, dispatch_uid="dashboards-cache-save")
    pre_delete.connect(_before_delete, dispatch_uid="dashboards-cache-before-delete")
    post_delete.connect(_deleted, dispatch_uid="dashboards-cache-delete")
    bulk_written.connect(_bulk_written, dispatch_uid="dashboards-cache-bulk")
    m2m_changed.connect(_links_changed, dispatch_uid="dashboards-cache-links")
