"""Writing a checked import: its records and the new records they refer to, in one transaction,
with their history rows, and what was written kept for undo."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sheets import bulk
from sheets.resources import SheetResource

_FOREIGN_KEYS: dict[type[models.Model], list[models.ForeignKey[Any, Any]]] = {}


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    if model not in _FOREIGN_KEYS:
        _FOREIGN_KEYS[model] = [
            f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)
        ]
    return _FOREIGN_KEYS[model]


def unsaved_references(instance: models.Model) -> list[models.Model]:
    """The records an instance refers to that are not saved yet (created by this import).

    Public API only: a foreign key whose id is empty is read through its descriptor, which gives
    the record assigned to it (no query: an empty id is never looked up) or None.
    """
    found = []
    for field in _foreign_keys(type(instance)):
        related = _assigned(instance, field)
        if related is not None and related.pk is None:
            found.append(related)
    return found


def _relink(instance: models.Model) -> None:
    """Point the foreign keys at records saved earlier in this import (they now have a pk)."""
    for field in _foreign_keys(type(instance)):
        related = _assigned(instance, field)
        if related is not None and related.pk is not None:
            setattr(instance, field.name, related)


def _assigned(instance: models.Model, field: models.ForeignKey[Any, Any]) -> models.Model | None:
    """The record assigned to an empty foreign key, if any (never a query: the id is empty)."""
    if getattr(instance, field.attname) is not None:
        return None
    try:
        related: models.Model | None = getattr(instance, field.name)
    except ObjectDoesNotExist:  # a required reference left empty: nothing to link
        return None
    return related


@transaction.atomic
def write(
    resource: SheetResource,
    references: list[list[models.Model]],
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

    # Parents first (enterprises, workers, then others): the sheet's rows refer to them.
    for objects in references:
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
