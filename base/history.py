"""What a record's history keeps besides its values: why it was changed (修改原因), and a first
copy of a record that arrived without one.

Two rules, each stated once and asked by every path that writes a record:
- `change_reason_check`: a change to an ID number, or to a hardship case's status, must say why.
  The admin's change form asks it before saving (to show the error beside the field) and
  `base.services.record_save` asks it again for every service that saves a record.
- `baseline_history`: records loaded in bulk (the demo data, streamed with COPY, or a migration
  from another system) have no historical copy; the first edit would then show no before-and-
  after. Before such a record's first save its stored row becomes the first entry of its history.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# (model label, field): "*" for every model with that field. A hardship case's status moves by
# the steps of base/steps.py, which give their own label as the reason.
REASON_REQUIRED: frozenset[tuple[str, str]] = frozenset(
    {("*", "id_number"), ("welfare.hardshipcase", "status")}
)

REASON_MAX = 100
FIRST_RECORDED = gettext_lazy("as first recorded (before any change in the ledger)")


def reason_required_fields(model: type[models.Model]) -> frozenset[str]:
    """The fields of `model` whose change must state a reason."""
    names = {field.name for field in model._meta.concrete_fields}
    return frozenset(
        field
        for label, field in REASON_REQUIRED
        if field in names and label in ("*", model._meta.label_lower)
    )


def field_label(model: type[models.Model], name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def changed_fields(record: models.Model, fields: frozenset[str]) -> list[str]:
    """Those of `fields` whose value on `record` differs from the stored row ([] for a new
    record: creating it is not changing it)."""
    if not fields or record._state.adding or record.pk is None:
        return []
    stored = type(record)._default_manager.filter(pk=record.pk).values(*fields).first()
    if stored is None:
        return []
    return [name for name in sorted(fields) if getattr(record, name) != stored[name]]


def change_reason_check(*, record: models.Model, reason: str) -> None:
    """Refuse (ValidationError on `change_reason`) a change to a field that must say why,
    without a reason."""
    if reason.strip():
        return
    changed = changed_fields(record, reason_required_fields(type(record)))
    if not changed:
        return
    names = "、".join(field_label(type(record), name) for name in changed)
    raise ValidationError(
        {
            "change_reason": _("Changing %(fields)s needs a reason for the change.")
            % {"fields": names}
        }
    )


def change_reason_set(*, record: models.Model, reason: str) -> None:
    """The reason goes into the historical copy the save writes (django-simple-history)."""
    if reason.strip():
        # The history table keeps 100 characters (django-simple-history's column).
        record._change_reason = reason.strip()[:REASON_MAX]  # type: ignore[attr-defined]


def baseline_history(sender: type[models.Model], instance: Any, raw: bool, **kwargs: Any) -> None:
    """pre_save receiver: a stored record without any history gets its stored row as the first
    historical copy, so that the change about to be saved shows what it changed."""
    attribute = getattr(sender._meta, "simple_history_manager_attribute", None)
    if raw or attribute is None or instance._state.adding or instance.pk is None:
        return
    manager = getattr(sender, attribute)
    if manager.filter(**{sender._meta.pk.attname: instance.pk}).exists():
        return
    stored: Any = sender._default_manager.filter(pk=instance.pk).first()
    if stored is None:
        return
    # Nobody made this copy: not the user about to edit (the request's user, by default).
    stored._history_user = None
    # Dated when the row was last written, where the record says so; else just before now.
    stored._history_date = (
        getattr(stored, "updated_at", None)
        or getattr(stored, "created_at", None)
        or timezone.now() - datetime.timedelta(microseconds=1)
    )
    manager.bulk_history_create([stored], default_change_reason=str(FIRST_RECORDED))
