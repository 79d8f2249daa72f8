"""Writes for the workforce app: keyword-only `<entity>_<action>` functions."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from base import scope
from base.models import FollowsRegion, Region, county_of
from base.services import record_delete, record_save
from base.steps import NEW, Step, step_check, step_data
from workforce.models import Transfer, TransferStatus, Worker
from workforce.signals import record_moved_by_merge

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
    transfer_require_rights(user=user, worker=worker, receiving=False)
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
    transfer_require_rights(user=user, worker=worker, receiving=True)
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
# stops the merge so that a person settles it. (Two engagements by one academy may each carry
# the sessions taught, which protect them from being dropped.)
MERGE_REFUSES_CLASHES = frozenset(
    {"welfare.hardshipcase", "welfare.solarproject", "training.instructor"}
)


def _clashes(record: models.Model) -> bool:
    try:
        record.validate_unique()
        record.validate_constraints()
    except ValidationError:
        return True
    return False


def merge_relations() -> list[Any]:
    """Every relation through which records point at a worker: what a merge moves."""
    return list(Worker._meta.related_objects)


def _follows_worker(relation: Any) -> bool:
    model: Any = relation.related_model
    return (
        not relation.many_to_many
        and issubclass(model, FollowsRegion)
        and model.region_follows == relation.field.name
    )


def _records_moved(relation: Any, worker: Worker) -> models.QuerySet[Any]:
    """The records a merge would move off `worker` along `relation` (for a many-to-many link,
    the records that hold the link: a visit whose craftsmen include the worker)."""
    model: type[models.Model] = relation.related_model
    return model._default_manager.filter(**{relation.field.name: worker})


def _may_move(user: Any, records: models.QuerySet[Any], *, check_scope: bool = True) -> bool:
    """Whether the user may change every one of `records`: the role's change right on their
    model (base/roles.py) and each of them inside the user's scope."""
    opts = records.model._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return False
    if check_scope and scope.is_scoped(records.model):
        return not records.exclude(
            pk__in=scope.filter_for_user(records, user).values("pk")
        ).exists()
    return True


def _require_rights(
    *, user: Any, worker: Worker, relations: list[Any], message: str, check_scope: bool = True
) -> None:
    """Refuse with `message` unless the user may change every record of `worker` along
    `relations`. One query per relation, never per record."""
    for relation in relations:
        records = _records_moved(relation, worker)
        if records.exists() and not _may_move(user, records, check_scope=check_scope):
            raise PermissionDenied(message)


def merge_require_rights(*, user: Any, duplicate: Worker) -> None:
    """Refuse a merge that would move a record the user may not change.

    The message names neither the record nor its kind: a clerk must not learn from a refused
    merge that the person has a hardship file, only that a colleague with wider rights (an
    administrator) has to do it.
    """
    _require_rights(
        user=user,
        worker=duplicate,
        relations=merge_relations(),
        message=_(
            "These records cannot be merged with your rights: ask a colleague with wider "
            "rights (an administrator) to merge them."
        ),
    )


def transfer_relations() -> list[Any]:
    """The relations whose records belong to the worker's region (their scope path runs
    through the worker): a transfer takes them to the new county with the worker."""
    return [relation for relation in merge_relations() if _follows_worker(relation)]


def transfer_require_rights(*, user: Any, worker: Worker, receiving: bool) -> None:
    """Refuse a transfer that would take to another county a record the user may not change
    (a hardship file, for a clerk), naming nothing, like a merge. The receiving county is
    checked by role only: the records are not in its scope until it accepts."""
    _require_rights(
        user=user,
        worker=worker,
        relations=transfer_relations(),
        check_scope=not receiving,
        message=_(
            "This worker cannot be transferred with your rights: ask a colleague with wider "
            "rights (an administrator) to do it."
        ),
    )


def _note_moved(record: models.Model, *, user: Any, keep: Worker, duplicate: Worker) -> None:
    """The moved record's history entry names who merged it and from which record."""
    record._history_user = user  # type: ignore[attr-defined]
    record._change_reason = _(  # type: ignore[attr-defined]
        "Moved from record %(from)s to %(to)s by a merge of worker records."
    ) % {"from": duplicate.pk, "to": keep.pk}


@transaction.atomic
def worker_merge(*, keep: Worker, duplicate: Worker, user: Any) -> Worker:
    """Merge two records of the same person (one with a mistyped ID number) into `keep`: every
    record of the duplicate (honours, certificates, enrolments, cases, …) moves to `keep`; one
    that `keep` already holds (the same honour of the same year) is dropped; then the duplicate is
    deleted. A clash of hardship cases or solar projects stops the merge.

    The user must be able to change every record that moves (merge_require_rights); each moved
    record gets a history entry, and a moved hardship case a line on its timeline."""
    step_check(step=Step.WORKER_MERGE, user=user, record=keep)
    step_check(step=Step.WORKER_MERGE, user=user, record=duplicate)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records to merge."))
    if keep.name != duplicate.name:
        raise ValidationError(
            _("%(a)s and %(b)s have different names: they are not the same person.")
            % {"a": keep, "b": duplicate}
        )
    merge_require_rights(user=user, duplicate=duplicate)
    for relation in merge_relations():
        if relation.many_to_many:
            _merge_links(relation, keep=keep, duplicate=duplicate, user=user)
            continue
        model: Any = relation.related_model
        name = relation.field.name
        for record in _records_moved(relation, duplicate):
            setattr(record, name, keep)
            if not _clashes(record):
                _note_moved(record, user=user, keep=keep, duplicate=duplicate)
                record.save(update_fields=[name])
                record_moved_by_merge.send(
                    Worker, record=record, user=user, keep=keep, duplicate=duplicate
                )
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


def _merge_links(relation: Any, *, keep: Worker, duplicate: Worker, user: Any) -> None:
    """Many-to-many links (visit craftsmen, trip participants) move to `keep`, once each; each
    record whose links changed gets a history entry."""
    owners = list(_records_moved(relation, duplicate))
    through = relation.through
    to_worker = relation.field.m2m_reverse_field_name()
    owner = f"{relation.field.m2m_field_name()}_id"
    held = through.objects.filter(**{to_worker: keep}).values(owner)
    through.objects.filter(**{to_worker: duplicate, f"{owner}__in": held}).delete()
    through.objects.filter(**{to_worker: duplicate}).update(**{to_worker: keep})
    for record in owners:
        _note_moved(record, user=user, keep=keep, duplicate=duplicate)
        record.save()
        record_moved_by_merge.send(Worker, record=record, user=user, keep=keep, duplicate=duplicate)
