"""The import log in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from adminsite.mixins import ScopedAdminMixin
from audit.models import AccessKind
from audit.services import access_log_export
from base.querystring import MAX_KEY, query_int
from sheets.admin_views import changelist_url, start_job
from sheets.models import ImportJob, JobStatus
from sheets.resources import SheetResource, all_resources
from sheets.rows import Report, group_errors
from sheets.selectors import import_job_actions, import_jobs_visible_to
from sheets.services import (
    header_mapping_clear,
    header_mapping_save,
    import_job_reap,
    import_job_undo,
    import_job_undo_blockers,
)
from sheets.workbooks import ERROR_LIST_MAX, error_list_workbook, xlsx_response

# Errors listed on a job's page; a sheet with 600,000 bad rows would be a 70 MB page.
JOB_PAGE_ERRORS = 200


class SheetTypeFilter(admin.SimpleListFilter):
    """The import log by sheet type, named as the user knows it (职工名册), not by resource."""

    title = gettext_lazy("sheet type")
    parameter_name = "resource"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        # Only the sheet types whose log the user may read (ImportJobAdmin.get_queryset).
        return [
            (name, str(resource.sheet_title))
            for name, resource in all_resources().items()
            if request.user.has_perm(
                f"{resource.model._meta.app_label}.view_{resource.model._meta.model_name}"
            )
        ]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value()
        return queryset.filter(resource=value) if value in all_resources() else queryset


@admin.register(ImportJob)
class ImportJobAdmin(ScopedAdminMixin):
    """The import log: who imported which file when, with what result; each job's page shows its
    report, its progress while it runs, and offers confirm, error workbook and undo."""

    list_display = (
        "created_at",
        "user",
        "resource_title",
        "file_name",
        "status",
        "created",
        "updated",
        "skipped",
        "errors",
        "only_valid_shown",
    )
    list_filter = ("status", SheetTypeFilter)
    search_fields = ("file_name", "sha256")
    list_select_related = ("user",)
    ordering = ("-created_at",)
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request: HttpRequest) -> Any:
        # A job's report previews its rows: the import of a sheet type the user may not read
        # (hardship files, for a clerk) is as closed to them as the records themselves.
        readable = [
            name
            for name, resource in all_resources().items()
            if request.user.has_perm(
                f"{resource.model._meta.app_label}.view_{resource.model._meta.model_name}"
            )
        ]
        jobs = super().get_queryset(request).defer("data", "error_file")
        jobs = jobs.filter(resource__in=readable)
        # Then the job's owner and their admins only: everyone else gets 404 on every job URL.
        return import_jobs_visible_to(request.user, jobs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("only the rows without errors"))
    def only_valid_shown(self, job: ImportJob) -> str:
        # Words, not a red cross on every ordinary import: only a partial import says so.
        return _("yes") if job.only_valid else ""

    @admin.display(description=gettext_lazy("sheet type"))
    def resource_title(self, job: ImportJob) -> str:
        resource = all_resources().get(job.resource)
        return str(resource.sheet_title) if resource else job.resource

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/status.json",
                self.admin_site.admin_view(self.status_view),
                name="sheets_importjob_status",
            ),
            path(
                "<int:pk>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="sheets_importjob_confirm",
            ),
            path(
                "<int:pk>/errors.xlsx",
                self.admin_site.admin_view(self.errors_view),
                name="sheets_importjob_errors",
            ),
            path(
                "<int:pk>/headers/",
                self.admin_site.admin_view(self.headers_view),
                name="sheets_importjob_headers",
            ),
            path(
                "<int:pk>/undo/",
                self.admin_site.admin_view(self.undo_view),
                name="sheets_importjob_undo",
            ),
            *super().get_urls(),
        ]

    def _job(self, request: HttpRequest, pk: int) -> ImportJob:
        if not self.has_view_permission(request):
            raise PermissionDenied
        import_job_reap(jobs=self.get_queryset(request).filter(pk=pk))
        job: ImportJob = get_object_or_404(self.get_queryset(request), pk=pk)
        return job

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        import_job_reap(jobs=self.get_queryset(request))
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        pk = query_int(object_id, low=1, high=MAX_KEY)
        if pk is None:
            raise PermissionDenied
        job = self._job(request, pk)
        resource = all_resources().get(job.resource)
        report = Report.from_json(job.report) if job.report else None
        actions = import_job_actions(request.user, job)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import of %(file)s") % {"file": job.file_name},
            "job": job,
            "report": report,
            # The first errors only: the rest are counted and in the error workbook.
            "errors_shown": report.errors[:JOB_PAGE_ERRORS] if report else [],
            # Repeated messages on one line, their rows listed compactly (第 3–12、15 行).
            "error_groups": group_errors(report.errors[:JOB_PAGE_ERRORS]) if report else [],
            "preview_headers": preview_headers(report) if report else [],
            "running": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
            "can_confirm": "confirm" in actions,
            "can_confirm_valid": "confirm_valid" in actions,
            "can_map_headers": "map_headers" in actions and bool(report),
            "mapping_choices": mapping_choices(resource, report) if resource and report else [],
            "can_undo": "undo" in actions,
            "undo_blockers": import_job_undo_blockers(job=job)
            if job.status == JobStatus.DONE
            else [],
            "sheet_title": resource.sheet_title if resource else job.resource,
            "list_url": changelist_url(resource),
        }
        # The check's preview is stored masked (importer._preview) for whoever opens it, so the
        # page shows no full number and is not an access to one.
        return TemplateResponse(request, "admin/sheets/job.html", context)

    def status_view(self, request: HttpRequest, pk: int) -> JsonResponse:
        job = self._job(request, pk)
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "percent": job.progress_percent,
                "rows_done": job.rows_done,
                "rows_total": job.rows_total,
                "finished": job.status not in (JobStatus.QUEUED, JobStatus.RUNNING),
            }
        )

    def confirm_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self._job(request, pk)
        # The default writes all rows or none; 只导入无误的行 is its own explicit choice.
        only_valid = request.POST.get("only_valid") == "1"
        needed = "confirm_valid" if only_valid else "confirm"
        if request.method != "POST" or needed not in import_job_actions(request.user, job):
            raise PermissionDenied
        start_job(job, dry_run=False, user=request.user, only_valid=only_valid)
        return HttpResponseRedirect(reverse("admin:sheets_importjob_change", args=[job.pk]))

    def headers_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Save (or clear) which column the sheet's unknown headers mean, then check again."""
        job = self._job(request, pk)
        if request.method != "POST" or "map_headers" not in import_job_actions(request.user, job):
            raise PermissionDenied
        if request.POST.get("clear") == "1":
            header_mapping_clear(user=request.user, resource_name=job.resource)
            self.message_user(request, _("The saved column choices were cleared."))
        else:
            prefix = "map-"
            choices = {
                key[len(prefix) :]: str(value)
                for key, value in request.POST.items()
                if key.startswith(prefix)
            }
            try:
                header_mapping_save(user=request.user, resource_name=job.resource, choices=choices)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(reverse("admin:sheets_importjob_change", args=[job.pk]))
            self.message_user(
                request, _("The column choices were saved and the sheet checked again.")
            )
        start_job(job, dry_run=True, user=request.user)
        return HttpResponseRedirect(reverse("admin:sheets_importjob_change", args=[job.pk]))

    def errors_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self._job(request, pk)
        report = Report.from_json(job.report) if job.report else None
        if report is None or not report.errors:
            raise Http404
        stored = ImportJob.objects.filter(pk=job.pk).values_list("error_file", flat=True).first()
        if stored is not None:
            data, is_copy = bytes(stored), job.error_file_is_copy
        else:
            # A job that stopped before its check finished (interrupted) or predates stored
            # workbooks: the list of its errors, made from the report, never from the upload.
            data, is_copy = error_list_workbook(report), False
        resource = all_resources().get(job.resource)
        if resource is not None:
            # A copy is the user's own file with every row and number of it; a list of errors
            # holds masked messages only.
            access_log_export(
                request=request,
                kind=AccessKind.ERRORS,
                model=resource.model,
                rows=job.rows_total if is_copy else min(report.error_messages, ERROR_LIST_MAX),
                carries=resource.personal_data() if is_copy else frozenset(),
                as_uploaded=True,
            )
        stem = job.file_name.rsplit(".", 1)[0]
        return xlsx_response(data, _("%(file)s (errors).xlsx") % {"file": stem})

    def undo_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self._job(request, pk)
        if request.method != "POST" or "undo" not in import_job_actions(request.user, job):
            raise PermissionDenied
        if request.POST.get("confirmed") != "yes":
            # The job page's button asks first, as a delete does: what undoing will do.
            return TemplateResponse(
                request,
                "admin/ledger/import_undo_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": _("Undo the import of %(file)s?") % {"file": job.file_name},
                    "job": job,
                },
            )
        try:
            import_job_undo(job=job, user=request.user)
            self.message_user(request, _("The import was undone."), messages.SUCCESS)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:sheets_importjob_change", args=[job.pk]))


def preview_headers(report: Report) -> list[str]:
    """The preview table's columns: the sheet's own headers, in the order of its rows' values."""
    headers: list[str] = []
    for row in report.preview:
        for header in row["values"]:
            if header not in headers:
                headers.append(header)
    return headers


def mapping_choices(resource: type[SheetResource], report: Report) -> list[dict[str, Any]]:
    """Per header the check did not know, or knew through the user's saved choice: the columns
    it may be mapped to (those of the sheet type not yet matched) and the current choice."""
    matched = set(report.header_columns)
    columns = resource.columns()
    free = [(column.name, column.header) for column in columns if column.header not in matched]
    by_name = {column.name: column.header for column in columns}
    rows = []
    for header in report.unknown_headers:
        rows.append({"header": header, "options": free, "chosen": "", "saved": False})
    for header, name in report.mapped.items():
        options = [(name, by_name.get(name, name)), *free]
        rows.append({"header": header, "options": options, "chosen": name, "saved": True})
    return rows
