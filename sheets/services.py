"""Writes of the sheets app: running an import (check or for real) and undoing one."""

from __future__ import annotations

import datetime
import hashlib
import os
import socket
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from base import scope
from sheets.headers import header_key
from sheets.importer import run_import
from sheets.models import HeaderMapping, ImportJob, JobStatus
from sheets.reader import SheetError, read_sheet
from sheets.resources import resource_for
from sheets.rows import Progress, Report, RowError, cyclic_gc_paused
from sheets.selectors import can_import, import_job_rights
from sheets.workbooks import error_workbook_for

# Error messages a job's stored report keeps (its page shows fewer, the error workbook more).
REPORT_ERRORS_KEPT = 1_000


class SystemActor:
    """The command line without --user: everything in scope, nobody to record."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return True


def sheet_import(
    *,
    resource_name: str,
    data: bytes,
    file_name: str,
    user: Any,
    dry_run: bool,
    progress: Progress | None = None,
    only_valid: bool = False,
) -> tuple[Report, dict[str, Any]]:
    """Read a file and import it with the user's scope: all rows or none, or with `only_valid`
    the rows without errors. The user's saved header mappings for the sheet type apply."""
    resource = resource_for(resource_name)
    if not can_import(user, resource):
        raise PermissionDenied(_("You may not import this kind of sheet."))
    with cyclic_gc_paused():
        try:
            sheet = read_sheet(data, file_name, max_bytes=settings.SHEETS_MAX_UPLOAD_BYTES)
        except SheetError as error:
            report = Report(resource=resource_name)
            report.errors.append(RowError(0, "—", error.message))
            return report, {}
        return run_import(
            resource(),
            sheet.rows,
            user=user,
            dry_run=dry_run,
            file_name=file_name,
            progress=progress,
            only_valid=only_valid,
            mapping=header_mappings_of(user, resource_name),
        )


def import_job_create(*, user: Any, resource_name: str, file_name: str, data: bytes) -> ImportJob:
    resource = resource_for(resource_name)
    if not can_import(user, resource):
        raise PermissionDenied(_("You may not import this kind of sheet."))
    job = ImportJob(
        user=user if getattr(user, "pk", None) else None,
        region=scope.scope_region(user) if getattr(user, "pk", None) else None,
        resource=resource_name,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
    job.full_clean(exclude=["data"])
    job.save()
    return job


def import_job_execute(
    *,
    job: ImportJob,
    dry_run: bool,
    user: Any | None = None,
    on_progress: Progress | None = None,
    on_report: Callable[[Report], None] | None = None,
    only_valid: bool = False,
) -> ImportJob:
    """Check (dry run) or import the job's file, keeping the report and progress on the job.

    With `only_valid` (a real import only), the rows without errors are written and the job
    records how many were written and how many refused. The job keeps the first
    REPORT_ERRORS_KEPT error messages and the counts of all; `on_report` receives the whole
    report (the command line prints every error)."""
    actor = user or job.user or SystemActor()
    if (
        not dry_run
        and getattr(actor, "pk", None)
        and "confirm" not in import_job_rights(actor, job)
    ):
        # Writing a checked sheet is its owner's act (the confirm button, the worker, the CLI).
        raise PermissionDenied(_("You may not confirm this import."))
    job.status, job.dry_run, job.rows_done = JobStatus.RUNNING, dry_run, 0
    job.runner, job.heartbeat_at = _this_runner(), timezone.now()
    job.save(update_fields=["status", "dry_run", "rows_done", "runner", "heartbeat_at"])

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=done, rows_total=total, heartbeat_at=timezone.now()
        )
        if on_progress is not None:
            on_progress(done, total)

    try:
        report, changes = sheet_import(
            resource_name=job.resource,
            data=bytes(job.data),
            file_name=job.file_name,
            user=actor,
            dry_run=dry_run,
            progress=progress,
            only_valid=only_valid and not dry_run,
        )
    except Exception:
        job.status, job.finished_at = JobStatus.FAILED, timezone.now()
        job.save(update_fields=["status", "finished_at"])
        raise
    if report.errors:
        # Built once, here, from the file already in memory; downloads serve the stored bytes.
        workbook = error_workbook_for(bytes(job.data), job.file_name, report)
        job.error_file, job.error_file_is_copy = workbook.data, workbook.is_copy
    else:
        job.error_file, job.error_file_is_copy = None, False
    if on_report is not None:
        on_report(report)
    job.report = report.kept(REPORT_ERRORS_KEPT).as_json()
    job.changes = changes
    job.rows_total = job.rows_done = report.rows_total
    job.created, job.updated = report.created, report.updated
    job.skipped, job.errors = report.skipped, report.error_count
    job.only_valid = only_valid and not dry_run
    written = bool(changes.get("created") or changes.get("updated"))
    if report.errors and not (job.only_valid and written):
        job.status = JobStatus.FAILED
    else:
        job.status = JobStatus.CHECKED if dry_run else JobStatus.DONE
    job.finished_at = timezone.now()
    # Every field but the file itself, which has not changed: writing its bytes again cost as
    # much as a few thousand rows of the import.
    job.save(update_fields=_JOB_FIELDS_BUT_THE_FILE)
    return job


_JOB_FIELDS_BUT_THE_FILE = [
    field.name
    for field in ImportJob._meta.concrete_fields
    if not field.primary_key and field.name != "data"
]


# A job on another machine that has not reported progress for this long is taken for dead (on
# this machine the process itself is asked). Longer than any silent stretch of a big import.
STALE_AFTER = datetime.timedelta(minutes=30)


def _this_runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _runner_alive(job: ImportJob, now: datetime.datetime) -> bool:
    host, _sep, pid = job.runner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # alive, owned by another user
    return job.heartbeat_at is not None and now - job.heartbeat_at < STALE_AFTER


def import_job_reap(*, jobs: Any = None) -> int:
    """Mark failed the running jobs whose process has died (killed, crashed, machine restarted).

    The import wrote nothing: its writes are one transaction, which the database rolled back
    when the process's connection went away. Returns how many jobs were marked.
    """
    now = timezone.now()
    candidates = (jobs if jobs is not None else ImportJob.objects.all()).filter(
        status=JobStatus.RUNNING
    )
    reaped = 0
    for job in candidates.defer("data"):
        if _runner_alive(job, now):
            continue
        report = Report(resource=job.resource)
        report.errors.append(
            RowError(
                0,
                "—",
                _(
                    "The import was interrupted (the process running it stopped) and nothing "
                    "was written. Upload the file again."
                ),
            )
        )
        # Only if still running: the job may have finished between the read and this write.
        reaped += ImportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, finished_at=now, report=report.as_json(), errors=1
        )
    return reaped


def import_job_undo_blockers(*, job: ImportJob) -> list[str]:
    """Why the import cannot be undone (empty when it can)."""
    if job.status != JobStatus.DONE or job.dry_run:
        return [_("Only a finished import can be undone.")]
    since = job.finished_at
    blockers = []
    for label, pks in {**job.changes.get("created", {}), **job.changes.get("updated", {})}.items():
        model = apps.get_model(label)
        ids = list(pks)
        if "updated_at" in {f.name for f in model._meta.fields}:
            changed = model._default_manager.filter(pk__in=ids, updated_at__gt=since).count()
            if changed:
                blockers.append(
                    _("%(count)d %(things)s were changed after the import.")
                    % {"count": changed, "things": model._meta.verbose_name_plural}
                )
    return blockers


def _deletion_order(labels: list[str]) -> list[str]:
    """The models `labels` name, each before the models it refers to (a worker before the
    enterprise it works at), so that no deletion meets a protected reference."""
    models_by_label = {label: apps.get_model(label) for label in labels}

    def refers(label: str, other: str) -> bool:
        return any(
            field.related_model is models_by_label[other]
            for field in models_by_label[label]._meta.concrete_fields
            if field.is_relation
        )

    ordered: list[str] = []
    remaining = sorted(labels)
    while remaining:
        free = next(
            (
                label
                for label in remaining
                if not any(refers(o, label) for o in remaining if o != label)
            ),
            remaining[0],  # a cycle of references: whichever first
        )
        ordered.append(free)
        remaining.remove(free)
    return ordered


@transaction.atomic
def import_job_undo(*, job: ImportJob, user: Any) -> ImportJob:
    """Delete what the import created and restore what it changed, if nothing changed since."""
    if "undo" not in import_job_rights(user, job):
        raise PermissionDenied(_("You may not undo this import."))
    blockers = import_job_undo_blockers(job=job)
    if blockers:
        raise ValidationError(blockers)
    for label, rows in job.changes.get("updated", {}).items():
        model = apps.get_model(label)
        for pk, old in rows.items():
            obj = model._default_manager.get(pk=pk)
            for name, value in old.items():
                field = model._meta.get_field(name)
                setattr(obj, field.attname, field.to_python(value) if value is not None else None)
            obj.save()
    # The sheet's own rows go before the workers and enterprises they referred to. Ordered by
    # the models' references, not by the order the labels were stored in: PostgreSQL's jsonb
    # keeps an object's keys in an order of its own.
    created = job.changes.get("created", {})
    for label in _deletion_order(list(created)):
        apps.get_model(label)._default_manager.filter(pk__in=created[label]).delete()
    job.status = JobStatus.UNDONE
    job.save(update_fields=["status"])
    return job


# --- header mappings -------------------------------------------------------------------------


def header_mappings_of(user: Any, resource_name: str) -> dict[str, str]:
    """The user's saved meanings of unknown headers for a sheet type (header key → column)."""
    if not getattr(user, "pk", None):
        return {}
    return dict(
        HeaderMapping.objects.filter(user_id=user.pk, resource=resource_name).values_list(
            "header", "column"
        )
    )


@transaction.atomic
def header_mapping_save(
    *, user: Any, resource_name: str, choices: dict[str, str]
) -> list[HeaderMapping]:
    """Remember, for this user and sheet type, which column each header means; an empty choice
    forgets the header's mapping. Only the sheet type's own columns can be chosen."""
    resource = resource_for(resource_name)
    if not can_import(user, resource):
        raise PermissionDenied(_("You may not import this kind of sheet."))
    names = {column.name for column in resource.columns()}
    saved = []
    for header, column in choices.items():
        key = header_key(header)
        if not key:
            continue
        if not column:
            HeaderMapping.objects.filter(user=user, resource=resource_name, header=key).delete()
            continue
        if column not in names:
            raise ValidationError(
                _("“%(column)s” is not a column of this sheet type.") % {"column": column}
            )
        mapping = HeaderMapping.objects.filter(
            user=user, resource=resource_name, header=key
        ).first() or HeaderMapping(user=user, resource=resource_name, header=key)
        mapping.column = column
        mapping.full_clean()
        mapping.save()
        saved.append(mapping)
    return saved


def header_mapping_clear(*, user: Any, resource_name: str) -> int:
    """Forget all of the user's header mappings for a sheet type; how many were forgotten."""
    deleted, _by_model = HeaderMapping.objects.filter(
        user_id=user.pk, resource=resource_name
    ).delete()
    return deleted
