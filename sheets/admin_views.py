"""The admin's import, export and template pages, added to every record admin by
`SheetAdminMixin`, and the import log (`ImportJobAdmin`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AccessKind
from audit.services import access_log_export
from base import scope
from base.identity import revealed_fields
from base.models import RegionLevel
from sheets.models import ImportJob, JobStatus
from sheets.reader import too_large
from sheets.resources import SheetResource, all_resources
from sheets.selectors import can_import
from sheets.services import import_job_create, import_job_execute
from sheets.tasks import run_import_job
from sheets.workbooks import export_workbook, template_workbook, xlsx_response

ACCEPTED = ".xlsx,.xlsm,.xls,.csv"


def resource_for_model(model: type[Any]) -> type[SheetResource] | None:
    for resource in all_resources().values():
        if resource.model is model:
            return resource
    return None


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("Excel (.xlsx, .xls) or CSV (UTF-8 or GBK), as kept today."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.SHEETS_MAX_UPLOAD_BYTES
        if upload.size > limit:
            # Refused before the file is read into memory or parsed; the import itself checks
            # the same limit (sheets.services), so the command line keeps it too.
            raise ValidationError(too_large(upload.size, limit).message)
        return upload


def start_job(job: ImportJob, *, dry_run: bool, user: Any, only_valid: bool = False) -> None:
    """Small files are handled in the request; large ones by the background worker."""
    if len(job.data) > settings.SHEETS_BACKGROUND_BYTES:
        job.status, job.dry_run = JobStatus.QUEUED, dry_run
        job.save(update_fields=["status", "dry_run"])
        run_import_job.enqueue(job.pk, dry_run, user.pk, only_valid)
    else:
        import_job_execute(job=job, dry_run=dry_run, user=user, only_valid=only_valid)


class SheetAdminMixin(admin.ModelAdmin[Any]):
    """Import, export and template download on a record admin's list page."""

    change_list_template = "admin/sheets/change_list.html"

    def get_urls(self) -> list[Any]:
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            path(
                "template/",
                self.admin_site.admin_view(self.template_view),
                name="{}_{}_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def sheet_resource(self) -> type[SheetResource]:
        resource = resource_for_model(self.model)
        if resource is None:
            raise PermissionDenied
        return resource

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        resource = resource_for_model(self.model)
        context = {
            "sheet_import": resource is not None and can_import(request.user, resource),
            "sheet_export": resource is not None,
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        resource = self.sheet_resource()
        if not can_import(request.user, resource):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            job = import_job_create(
                user=request.user,
                resource_name=resource.resource_name,
                file_name=upload.name,
                data=upload.read(),
            )
            start_job(job, dry_run=True, user=request.user)
            return HttpResponseRedirect(reverse("admin:sheets_importjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import %(sheet)s") % {"sheet": resource.sheet_title},
            "form": form,
            "resource": resource,
            "columns": resource.columns(),
            "template_url": reverse(
                f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_template"
            ),
        }
        return TemplateResponse(request, "admin/sheets/import_form.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        resource = self.sheet_resource()
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request).select_related(*resource.export_related())
        counted = [0]
        personal = [
            (position, field.personal)
            for position, field in enumerate(resource.sheet_fields().values())
            if field.personal
        ]
        carried: set[str] = set()

        def rows() -> Iterator[list[Any]]:
            # Streamed into the workbook (a province export is a million rows), counted on the
            # way, noting which personal-data columns hold a value: what the log must say.
            for row in resource().export_rows(
                queryset, reveal=revealed_fields(request.user, resource.model), user=request.user
            ):
                counted[0] += 1
                for position, kind in personal:
                    if row[position]:
                        carried.add(kind)
                yield row

        title = str(resource.sheet_title)
        data = export_workbook(resource, rows(), title=title)
        access_log_export(
            request=request,
            kind=AccessKind.EXPORT,
            model=self.model,
            rows=counted[0],
            carries=carried,
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return xlsx_response(data, f"{title}-{stamp}.xlsx")

    def template_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        resource = self.sheet_resource()
        regions = scope.visible_regions(request.user).exclude(level=RegionLevel.PROVINCE)
        names = [f"{r.parent.name}{r.name}" if r.level == RegionLevel.TOWN and r.parent else r.name
                 for r in regions.select_related("parent")[:2000]]  # fmt: skip
        data = template_workbook(resource, region_names=names)
        return xlsx_response(
            data, _("%(sheet)s import template.xlsx") % {"sheet": resource.sheet_title}
        )


def changelist_url(resource: type[SheetResource] | None) -> str:
    if resource is None:
        return ""
    opts = resource.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
