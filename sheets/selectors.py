"""Reads of the sheets app: which import jobs a user may see and what they may do with one.

An import job holds the uploaded file (full ID and phone numbers of every row), its report and
what it wrote. It belongs to the user who uploaded it and to the admins of a scope containing
that user's region; to anyone else it does not exist (404), whatever the URL: the job page, its
status, the error workbook, confirm, undo, history.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from base import scope
from base.roles import Role, role_of
from sheets.models import ImportJob, JobStatus
from sheets.resources import SheetResource, all_resources


def can_import(user: Any, resource: type[SheetResource]) -> bool:
    """Importing adds and changes records: the role needs both rights on the sheet's model
    (viewers have neither; clerks lack them for hardship files and reference tables)."""
    opts = resource.model._meta
    return bool(
        user.is_active
        and user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
        and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    )


def _is_admin(user: Any) -> bool:
    cached = user.__dict__.get("_sheets_is_admin")
    if cached is None:
        cached = user.__dict__["_sheets_is_admin"] = role_of(user) == Role.ADMIN
    return bool(cached)


def import_jobs_visible_to(
    user: Any, jobs: QuerySet[ImportJob] | None = None
) -> QuerySet[ImportJob]:
    """The jobs of `jobs` (all jobs by default) the user may see: their own, and for the admin
    role those uploaded by anyone in their scope (by the uploader's region at the time)."""
    jobs = ImportJob.objects.all() if jobs is None else jobs
    prefix = scope.scope_prefix(user)
    if prefix is None:
        return jobs.none()
    if prefix == scope.EVERYTHING:
        return jobs  # a superuser
    mine = Q(user_id=user.pk)
    if _is_admin(user):
        # The region code is the key: Django compares region_id itself, no join.
        mine |= Q(region__code__startswith=prefix)
    return jobs.filter(mine)


def import_job_rights(user: Any, job: ImportJob) -> set[str]:
    """What the user may do with a job, whatever its state: "confirm" (the owner alone: the check
    was made with their scope and rights) and "undo" (the owner or their admins), each only with
    the right to import the sheet type and only on a job the user may see."""
    resource = all_resources().get(job.resource)
    if resource is None or not can_import(user, resource):
        return set()
    if not import_jobs_visible_to(user, ImportJob.objects.filter(pk=job.pk)).exists():
        return set()
    return {"confirm", "undo"} if job.user_id == user.pk else {"undo"}


def import_job_actions(user: Any, job: ImportJob) -> set[str]:
    """The actions the job's page offers the user now: their rights, in the state that allows each.

    "confirm" a clean check; "confirm_valid" (只导入无误的行) a check with row errors that has
    rows without errors to write; "map_headers" a check by its owner; "undo" a finished import.
    """
    status = JobStatus(job.status)
    rights = import_job_rights(user, job)
    actions: set[str] = set()
    if status == JobStatus.CHECKED and "confirm" in rights:
        actions.add("confirm")
    if status == JobStatus.DONE and "undo" in rights:
        actions.add("undo")
    if job.dry_run and status in (JobStatus.CHECKED, JobStatus.FAILED) and "confirm" in rights:
        # What the owner decides about their checked sheet: which column an unknown header
        # means, and whether to write the rows without errors.
        actions.add("map_headers")
        report = job.report or {}
        readable = all(error.get("row", 0) > 0 for error in report.get("errors", []))
        if status == JobStatus.FAILED and readable and report.get("writable", 0) > 0:
            actions.add("confirm_valid")
    return actions
