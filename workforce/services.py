"""Writes for the workforce app: keyword-only `<entity>_<action>` functions."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from base import scope
from base.models import Region, county_of
from base.services import record_delete, record_save
from base.steps import NEW, Step, step_check, step_data
from workforce.models import Transfer, TransferStatus, Worker

# --- transfers between counties (调动) and merging duplicate records ---------------------------


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def transfer_start(
    *,
    worker: Worker,
    to_region: Region,
    user: Any,
    on: datetime.date | None = None,
    note: str = "",
) -> Transfer:
    """The sending county starts a worker's move to another county."""
    transfer = Transfer(
        worker=worker,
        from_region=worker.region,
        to_region=to_region,
        started_on=on or _today(),
        started_by=user,
        note=note,
    )
    # The worker's scope is the sender's: only a county holding the worker sends them.
    step_check(step=Step.TRANSFER_START, user=user, record=worker, current=NEW)
    record_save(record=transfer, user=user)
    return transfer


@transaction.atomic
def transfer_accept(*, transfer: Transfer, user: Any, on: datetime.date | None = None) -> Transfer:
    """The receiving county accepts: the worker (and with them their honours, certificates and
    cases) now belongs to the new region. The employer is kept only if it is in that county."""
    data = step_data(Step.TRANSFER_ACCEPT, on=on or _today())
    # The transfer is in both counties' scope; which side the user is on is asked here.
    step_check(step=Step.TRANSFER_ACCEPT, user=user, data=data, current=transfer.status)
    if not scope.region_in_scope(user, transfer.to_region_id):
        raise PermissionDenied(_("Only the receiving county accepts a transfer."))
    worker = transfer.worker
    worker.region = transfer.to_region
    if worker.enterprise is not None and not worker.enterprise.region_id.startswith(
        county_of(transfer.to_region_id)
    ):
        worker.enterprise = None
    worker.full_clean()
    worker.save()
    transfer.status = TransferStatus.ACCEPTED
    for field, value in data.items():
        setattr(transfer, field, value)
    transfer.accepted_by = user
    # Not record_save: the transfer's own scope is the sending county's.
    transfer.full_clean()
    transfer.save()
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, user: Any) -> Transfer:
    """The sending county withdraws a transfer not yet accepted."""
    step_check(step=Step.TRANSFER_CANCEL, user=user, record=transfer)
    if not scope.region_in_scope(user, transfer.from_region_id):
        raise PermissionDenied(_("Only the sending county cancels a transfer."))
    transfer.status = TransferStatus.CANCELLED
    record_save(record=transfer, user=user)
    return transfer


# Records that must never be dropped as "the same fact" when two workers are merged: a clash
# stops the merge so that a person settles it.
MERGE_REFUSES_CLASHES = frozenset({"welfare.hardshipcase", "welfare.solarproject"})


def _clashes(record: models.Model) -> bool:
    try:
        record.validate_unique()
        record.validate_constraints()
    except ValidationError:
        return True
    return False


@transaction.atomic
def worker_merge(*, keep: Worker, duplicate: Worker, user: Any) -> Worker:
    """Merge two records of the same person (one with a mistyped ID number) into `keep`: every
    record of the duplicate (honours, certificates, enrolments, cases, …) moves to `keep`; one
    that `keep` already holds (the same honour of the same year) is dropped; then the duplicate is
    deleted. A clash of hardship cases or solar projects stops the merge."""
    step_check(step=Step.WORKER_MERGE, user=user, record=keep)
    step_check(step=Step.WORKER_MERGE, user=user, record=duplicate)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records to merge."))
    if keep.name != duplicate.name:
        raise ValidationError(
            _("%(a)s and %(b)s have different names: they are not the same person.")
            % {"a": keep, "b": duplicate}
        )
    for relation in Worker._meta.related_objects:
        if relation.many_to_many:
            _merge_links(relation, keep=keep, duplicate=duplicate)
            continue
        model: Any = relation.related_model
        name = relation.field.name
        for record in model._default_manager.filter(**{name: duplicate}):
            setattr(record, name, keep)
            if not _clashes(record):
                record.save(update_fields=[name])
            elif model._meta.label_lower in MERGE_REFUSES_CLASHES:
                raise ValidationError(
                    _(
                        "Both records hold a %(thing)s that cannot be combined (%(record)s); settle it first."
                    )
                    % {"thing": model._meta.verbose_name, "record": record}
                )
            else:
                model._default_manager.filter(pk=record.pk).delete()
    record_delete(record=duplicate, user=user)
    return keep


def _merge_links(relation: Any, *, keep: Worker, duplicate: Worker) -> None:
    """Many-to-many links (visit craftsmen, trip participants) move to `keep`, once each."""
    through = relation.through
    to_worker = relation.field.m2m_reverse_field_name()
    owner = f"{relation.field.m2m_field_name()}_id"
    held = through.objects.filter(**{to_worker: keep}).values(owner)
    through.objects.filter(**{to_worker: duplicate, f"{owner}__in": held}).delete()
    through.objects.filter(**{to_worker: duplicate}).update(**{to_worker: keep})
