"""Optimistic locking: a save based on a stale copy of a record is refused, saying what changed.

A record's version is its `updated_at` stamp, which every write path moves (forms, services,
imports). An edit form carries the version it was opened at; the save compares it with the
stored one while holding the row lock, so two people editing the same worker never overwrite
each other silently. The message names who changed what since, from the record's history.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from base import scope
from base.identity import masked_fields

VERSION_FIELD = "_version"


class EditConflict(ValidationError):
    """The record changed after the editor opened it."""


def is_versioned(model: type[models.Model]) -> bool:
    return any(field.name == "updated_at" for field in model._meta.concrete_fields)


def version_of(record: models.Model) -> str:
    stamp = getattr(record, "updated_at", None)
    return stamp.isoformat() if stamp else ""


def check_version(*, record: models.Model, expected: str, user: Any) -> None:
    """Refuse the save of `record` unless its stored row is still at version `expected`.

    Call inside a transaction: the stored row is locked until the save commits, so no other
    save can slip in between the check and the write.
    """
    model = type(record)
    if record.pk is None or not expected or not is_versioned(model):
        return
    stored = model._default_manager.select_for_update().filter(pk=record.pk).first()
    if stored is None:
        raise EditConflict(_("This record was deleted while you were editing it."))
    seen = parse_datetime(expected)
    if seen is None or stored.updated_at != seen:  # type: ignore[attr-defined]
        raise EditConflict(conflict_message(stored=stored, seen=seen, user=user))


def conflict_message(*, stored: models.Model, seen: datetime.datetime | None, user: Any) -> str:
    changes, editors, when = _changes_since(stored, seen, user)
    who = "、".join(editors) or _("someone else")
    at = date_format(timezone.localtime(when), "DATETIME_FORMAT") if when else ""
    intro = _("%(who)s changed this record at %(when)s while you were editing it.") % {
        "who": who,
        "when": at,
    }
    if changes:
        intro += " " + _("Changed: %(changes)s.") % {"changes": "；".join(changes)}
    return (
        intro
        + " "
        + _(
            "Your changes were not saved. The form now shows your values: check them against the "
            "changes above and save again to keep yours."
        )
    )


def _changes_since(
    stored: models.Model, seen: datetime.datetime | None, user: Any
) -> tuple[list[str], list[str], datetime.datetime | None]:
    """The fields that differ between the copy the editor opened and the stored record, who
    changed them and when — read from the record's history when it keeps one."""
    history = getattr(type(stored), "history", None)
    when: datetime.datetime | None = stored.updated_at  # type: ignore[attr-defined]
    if history is None or seen is None:
        return [], [], when
    versions = history.filter(id=stored.pk)
    opened = versions.filter(updated_at=seen).order_by("-history_date").first()
    later = versions.filter(updated_at__gt=seen).select_related("history_user")
    editors = list(
        dict.fromkeys(
            str(v.history_user) if v.history_user_id else _("an import or system task")
            for v in later.order_by("history_date")
        )
    )
    if opened is None:
        return [], editors, when
    tracked = {field.attname for field in type(opened)._meta.concrete_fields}
    masked = masked_fields(user, type(stored))
    changes = []
    for field in stored._meta.concrete_fields:
        if field.attname not in tracked or field.name in ("updated_at", "created_at"):
            continue
        before = getattr(opened, field.attname)
        after = getattr(stored, field.attname)
        if before == after:
            continue
        label = capfirst(str(field.verbose_name))
        if field.name in masked:
            before, after = masked[field.name](before), masked[field.name](after)
        if field.is_relation:
            before = _related_label(field, before, user)
            after = _related_label(field, after, user)
        elif field.choices:
            labels = dict(field.flatchoices)
            before, after = labels.get(before, before), labels.get(after, after)
        changes.append(f"{label}：“{_display(before)}” → “{_display(after)}”")
    return changes, editors, when


def _related_label(field: Any, pk: Any, user: Any) -> Any:
    """The related record's name, unless it lies outside the user's scope."""
    if pk is None:
        return None
    related = field.related_model._default_manager.filter(pk=pk).first()
    if related is None or (
        scope.is_scoped(field.related_model) and not scope.object_in_scope(user, related)
    ):
        return _("a record of another region")
    return related


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
