from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from sheets.models import ImportJob
from sheets.services import import_job_execute, import_job_reap


@task()
def run_import_job(
    job_id: int, dry_run: bool, user_id: int | None, only_valid: bool = False
) -> None:
    """Check or import an uploaded sheet in the background worker."""
    # A worker starting after a crash finds the jobs its predecessor left "running".
    import_job_reap()
    job = ImportJob.objects.get(pk=job_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    import_job_execute(job=job, dry_run=dry_run, user=user, only_valid=only_valid)
