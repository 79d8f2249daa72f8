"""A worker's 成长档案 on the admin site: the page (printable on A4: static/ledger/growth-print.css)
and the workbook (growth/workbook.py), both rendering `growth.selectors.growth_record`. Opened from the worker's page
and from the one-box search; another county's worker is a 404, as the worker's page answers.
Full numbers shown or carried are logged (audit), as every worker page and export is."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessKind
from audit.services import access_log_display, access_log_export
from growth.selectors import GrowthRecord, growth_record, worker_for_growth
from growth.workbook import growth_workbook, headline_items, person_items
from workforce.models import Worker

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _record_for(model_admin: Any, request: HttpRequest, object_id: str) -> GrowthRecord:
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    worker = worker_for_growth(user=request.user, pk=object_id)
    if worker is None:
        raise Http404(_("No such worker."))
    return growth_record(user=request.user, worker=worker)


def growth_view(model_admin: Any, request: HttpRequest, object_id: str) -> HttpResponse:
    record = _record_for(model_admin, request, object_id)
    access_log_display(
        request=request, kind=AccessKind.RECORD, model=Worker, rows=1, object_id=record.person.pk
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Growth record of %(name)s") % {"name": record.person.name},
        "opts": Worker._meta,
        "record": record,
        "person_items": person_items(record),
        "headline_items": headline_items(record),
        "printed_on": timezone.localdate(),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/workforce/worker/growth.html", context)


def growth_xlsx_view(model_admin: Any, request: HttpRequest, object_id: str) -> HttpResponse:
    record = _record_for(model_admin, request, object_id)
    person = record.person
    access_log_export(
        request=request,
        kind=AccessKind.EXPORT,
        model=Worker,
        rows=1,
        carries=[
            name
            for name, value in (
                ("id_number", person.id_number),
                ("phone", person.phone),
                ("birth_date", person.birth_date),
            )
            if value
        ],
    )
    response = HttpResponse(growth_workbook(record), content_type=XLSX)
    filename = _("growth-record-%(pk)s.xlsx") % {"pk": person.pk}
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
