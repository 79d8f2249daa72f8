"""Computed dashboards, kept until a record they count changes.

A province dashboard scans millions of rows (seconds); the same numbers are read by every
official of the region, over and over, between writes. Each computed dashboard is cached under a
generation number, and any write to a domain record — a form, a service, an import (which
announces its bulk writes with `sheets.signals.bulk_written`), an undo — moves the generation on
once its transaction commits, so no one ever reads numbers older than the last saved record.
The cache is the one in settings.CACHES (the database by default: shared by every server process).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps as global_apps
from django.core.cache import cache
from django.db import DatabaseError, models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from base.roles import DOMAIN_APPS
from sheets.signals import bulk_written

logger = logging.getLogger(__name__)
T = TypeVar("T")

GENERATION_KEY = "dashboards:generation"
# Longer than any working day; a generation change makes old entries unreachable anyway.
TIMEOUT = 24 * 60 * 60
# Written by the application about itself, not records the dashboards count.
NOT_COUNTED = frozenset({"sheets", "audit"})


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY, 1)
    return int(value)


def invalidate() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted, or a fresh cache)
        cache.set(GENERATION_KEY, 2, None)
    except DatabaseError:
        # The cache table is not there yet (a migration writing records before the one that
        # creates it): nothing can be cached either, so nothing is stale.
        logger.warning("dashboards cache not reachable; nothing to invalidate")


def cached(key: str, compute: Callable[[], T]) -> T:
    # Some numbers count against today (overdue dispatches): a new day computes afresh.
    today = timezone.localdate().isoformat()
    full_key = f"dashboards:{generation()}:{today}:{key}"
    value: T | None = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def _counted(model: type[models.Model]) -> bool:
    if model._meta.apps is not global_apps:
        return False  # a migration's historical model: no dashboard is cached during migrate
    app_label = model._meta.app_label
    return app_label in DOMAIN_APPS and app_label not in NOT_COUNTED


def _record_changed(sender: type[models.Model], **kwargs: Any) -> None:
    if _counted(sender):
        transaction.on_commit(invalidate)


def connect() -> None:
    """Called once from DashboardsConfig.ready()."""
    post_save.connect(_record_changed, dispatch_uid="dashboards-cache-save")
    post_delete.connect(_record_changed, dispatch_uid="dashboards-cache-delete")
    bulk_written.connect(_record_changed, dispatch_uid="dashboards-cache-bulk")
