"""Records that follow another record's region, kept in step on every write path.

A certificate, an honour, an enrolment, a hardship case … store the region of the worker they
belong to (`base.models.FollowsRegion`), a grant or a case's timeline line that of their case. The
one rule: a follower's region is its followed record's region. Every path that could break it
asks this module:

- a follower saved (admin, service, merge, undo): `FollowsRegion.save` copies the region;
- a followed record saved with a new region (an edit, a transfer accepted): the `post_save`
  receiver below moves its followers, and theirs;
- the bulk writer of imports (`sheets/bulk.py`): `fill` before inserting or updating followers,
  `after_update` once followed records' regions were written;
- the demo seed writes the region with each row.

`out_of_step` counts the followers that disagree with their record; the tests run it after every
path and `manage.py check_regions` runs it on a live database.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import post_save

from base.models import CHUNK, FollowsRegion, fill_regions


@functools.cache
def followers() -> tuple[tuple[type[FollowsRegion], str], ...]:
    """Every (follower model, name of the foreign key it follows)."""
    return tuple(
        (model, model.region_follows)
        for model in apps.get_models()
        if issubclass(model, FollowsRegion)
    )


@functools.cache
def followers_of(model: type[models.Model]) -> tuple[tuple[type[FollowsRegion], str], ...]:
    """The followers whose followed foreign key points at `model`."""
    return tuple(
        (follower, name)
        for follower, name in followers()
        if issubclass(model, follower._meta.get_field(name).related_model)  # type: ignore[arg-type]
    )


def _move(model: type[models.Model], path: str, pks: Sequence[Any], code: str) -> None:
    """Give every follower of the `model` records `pks` (through `path` from the follower's
    side, "" at the start) the region `code`, and their followers after them. A follower already
    in `code` is not written, and its own followers are then in step already."""
    for follower, name in followers_of(model):
        lookup = f"{name}__{path}" if path else name
        moved = (
            follower._default_manager.filter(**{f"{lookup}__in": pks})
            .exclude(region_id=code)
            .update(region_id=code)
        )
        if moved:
            _move(follower, lookup, pks, code)


def move(model: type[models.Model], objects: Iterable[models.Model]) -> None:
    """After `objects` of `model` were written with their (possibly new) regions: their
    followers follow. One UPDATE per follower model and region, in chunks."""
    if not followers_of(model):
        return
    by_region: dict[str, list[Any]] = defaultdict(list)
    for obj in objects:
        by_region[str(obj.region_id)].append(obj.pk)  # type: ignore[attr-defined]
    for code, pks in by_region.items():
        for start in range(0, len(pks), CHUNK):
            _move(model, "", pks[start : start + CHUNK], code)


# The bulk writer of imports fills followers' regions before inserting them; so does every
# bulk_create of a follower (FollowsRegion's manager).
fill = fill_regions


def names_to_update(model: type[models.Model], names: Sequence[str]) -> list[str]:
    """The columns a bulk update writes: a follower whose followed key changes writes its
    region with it."""
    if issubclass(model, FollowsRegion) and model.region_follows in names and "region" not in names:
        return [*names, "region"]
    return list(names)


def after_update(
    model: type[models.Model], objects: Sequence[models.Model], names: Sequence[str]
) -> None:
    """After a bulk update: if it wrote regions, their followers follow."""
    if "region" in names:
        move(model, objects)


def out_of_step() -> dict[str, int]:
    """{follower model label: rows whose region is not their followed record's region}; empty
    when every follower is in step."""
    found: dict[str, int] = {}
    for follower, name in followers():
        if count := _out_of_step_rows(follower, name).order_by().count():
            found[follower._meta.label] = count
    return found


def _out_of_step_rows(follower: type[FollowsRegion], name: str) -> models.QuerySet[Any]:
    return follower._default_manager.exclude(region_id=models.F(f"{name}__region_id"))


def _copy_regions(rows: models.QuerySet[Any], field: Any) -> int:
    """Give `rows` the region of the record their foreign key `field` points at."""
    regions = field.related_model._default_manager.filter(pk=models.OuterRef(field.attname))
    return rows.order_by().update(region_id=models.Subquery(regions.values("region_id")[:1]))


def repair() -> dict[str, int]:
    """Give every follower out of step its followed record's region again, followed records
    first (apps order: a case is repaired before its grants); {label: rows repaired}."""
    repaired: dict[str, int] = {}
    for follower, name in followers():
        rows = _out_of_step_rows(follower, name)
        if count := _copy_regions(rows, follower._meta.get_field(name)):
            repaired[follower._meta.label] = count
    return repaired


def backfill(app_label: str, follows: Sequence[tuple[str, str]]) -> Any:
    """The RunPython function of the migrations that added the column: rows written before
    take their followed record's region, so that a database filled earlier (an upgrade, a
    restored backup) is right after `migrate` alone. Works on the migration's historical
    models; `follows` lists (model name, followed foreign key), followed records first."""

    def run(apps: Any, schema_editor: Any) -> None:
        for model_name, followed in follows:
            model = apps.get_model(app_label, model_name)
            _copy_regions(model._default_manager.all(), model._meta.get_field(followed))

    return run


# A record not loaded from the database (built and saved in one go): its region may have changed.
_UNKNOWN = object()


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if created or kwargs.get("raw") or not followers_of(sender):
        return
    stored = instance.__dict__.get("_stored_region_id", _UNKNOWN)
    region = getattr(instance, "region_id", None)
    if stored == region:
        return
    move(sender, [instance])
    instance._stored_region_id = region  # type: ignore[attr-defined]


def connect() -> None:
    """Called from base's AppConfig.ready (the models of every app are loaded by then)."""
    for model in {model for follower, name in followers() for model in _followed(follower, name)}:
        post_save.connect(_after_save, sender=model, dispatch_uid=f"following-{model._meta.label}")


def _followed(follower: type[FollowsRegion], name: str) -> list[type[models.Model]]:
    target: Any = follower._meta.get_field(name).related_model
    return [model for model in apps.get_models() if issubclass(model, target)]
