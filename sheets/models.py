from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    CHECKED = "checked", _("checked, waiting for confirmation")
    # Row errors, or a file that could not be read: nothing was written (unless the user then
    # chose to import the rows without errors). Most often a sheet with mistakes in it.
    FAILED = "failed", _("has errors")
    DONE = "done", _("imported")
    UNDONE = "undone", _("undone")


class ImportJob(models.Model):
    """One uploaded sheet: its check (dry run), its import, and what it wrote, so that the whole
    import can be reviewed and undone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty for an import run from the command line without --user."),
    )
    # The importing user's region at the time: whose admins may read the log entry.
    region = models.ForeignKey(
        "base.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    resource = models.CharField(_("sheet type"), max_length=40)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    data = models.BinaryField(_("file"), editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    dry_run = models.BooleanField(_("check only"), default=True)
    # The user chose 只导入无误的行: the rows without errors were written, the others refused
    # (`errors` counts them; the error workbook holds them).
    only_valid = models.BooleanField(_("only the rows without errors"), default=False)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    report: models.JSONField[Any, Any] = models.JSONField(_("report"), default=dict, blank=True)
    # The error workbook, built once when the check found errors (never again per download:
    # a download of a million-row upload would re-read it), and whether it is a copy of the
    # upload (full numbers as typed) or only the list of errors.
    error_file = models.BinaryField(_("error workbook"), null=True, blank=True, editable=False)
    error_file_is_copy = models.BooleanField(
        _("error workbook copies the upload"), default=False, editable=False
    )
    # What the import wrote, for undo: {"created": {label: [pk]}, "updated": {label: {pk: old}}}.
    changes: models.JSONField[Any, Any] = models.JSONField(
        _("changes"), default=dict, blank=True, editable=False
    )

    # Which process runs the job ("host:pid") and when it last reported progress: a job whose
    # process died (killed, machine restarted) is marked failed instead of "running" forever.
    runner = models.CharField(_("run by"), max_length=100, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True, editable=False)

    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ("-created_at",)
        indexes = (
            # The import log, newest first, per user.
            models.Index(fields=("user", "-created_at"), name="importjob_user_created_idx"),
        )

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        if self.status in (JobStatus.DONE, JobStatus.CHECKED, JobStatus.FAILED, JobStatus.UNDONE):
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))

    @property
    def summary(self) -> str:
        return (
            f"created={self.created} updated={self.updated} "
            f"skipped={self.skipped} errors={self.errors}"
        )


class HeaderMapping(models.Model):
    """A user's choice of which column a header their sheets use means, for one sheet type
    (their 序号 is nothing, their 课时 is 学时): applied to their next import of that type."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    resource = models.CharField(_("sheet type"), max_length=40)
    # The header as folded by sheets.headers.header_key, so 课时（小时） and 课时(小时) are one.
    header = models.CharField(_("header in the sheet"), max_length=200)
    column = models.CharField(_("column"), max_length=60)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("header mapping")
        verbose_name_plural = _("header mappings")
        constraints = (
            # One meaning per header, per user and sheet type; the unique index also serves the
            # look-up an import makes (user, sheet type).
            models.UniqueConstraint(
                fields=("user", "resource", "header"), name="headermapping_one_per_header"
            ),
        )

    def __str__(self) -> str:
        return f"{self.header} → {self.column}"
