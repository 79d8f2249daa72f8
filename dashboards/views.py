from __future__ import annotations

import io
from typing import Any

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from base import scope
from base.models import Region
from base.querystring import query_year
from dashboards import dashboard
from dashboards.catalogue import GROUPS, TIMINGS, Indicator
from dashboards.formatting import (
    change,
    completion,
    display,
    growth,
    scale_for,
    scaled,
    unit_label,
)
from dashboards.links import link_for
from sheets.workbooks import append_safe

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _region(request: HttpRequest, code: str) -> Region:
    """The region asked for, if it lies in the user's scope; otherwise it does not exist."""
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None or not scope.region_in_scope(request.user, region.code):
        raise Http404
    return region


def _year(request: HttpRequest) -> int:
    return query_year(request.GET.get("year")) or dashboard.default_year()


@staff_member_required
def index(request: HttpRequest) -> HttpResponse:
    """A user's own region; a user without one has no dashboard."""
    region = scope.scope_region(request.user)
    if region is None:
        raise PermissionDenied(_("Your account has no region yet; ask an administrator."))
    return redirect("dashboards:region", code=region.code)


@staff_member_required
def data_json(request: HttpRequest, code: str) -> JsonResponse:
    region = _region(request, code)
    data = dashboard.for_user(dashboard.build(region, _year(request)), request.user)
    return JsonResponse(dashboard.as_json(data), json_dumps_params={"ensure_ascii": False})


def _breadcrumbs(request: HttpRequest, region: Region) -> list[dict[str, Any]]:
    chain = []
    current: Region | None = region
    while current is not None:
        chain.append(current)
        current = current.parent
    return [
        {"region": r, "link": scope.region_in_scope(request.user, r.code)} for r in reversed(chain)
    ]


def _columns(data: dict[str, Any], indicators: list[Indicator]) -> list[dict[str, Any]]:
    """Each indicator's column of the sub-region table: one scale for the whole column (its
    rows and the 合计), so a column never mixes 元 with 万元."""
    columns = []
    for indicator in indicators:
        values = [child["indicators"].get(indicator.key) for child in data["children"]]
        scale = scale_for([*values, data["indicators"].get(indicator.key)], indicator.kind)
        unit = unit_label(indicator.kind, str(indicator.unit), scale)
        columns.append({"indicator": indicator, "scale": scale, "unit": unit})
    return columns


def _cells(values: dict[str, Any], columns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "shown": display(
                values.get(column["indicator"].key),
                column["indicator"].kind,
                str(column["indicator"].unit),
                column["scale"],
            ),
            "value": dashboard.as_json(values.get(column["indicator"].key)),
        }
        for column in columns
    ]


@staff_member_required
def page(request: HttpRequest, code: str) -> HttpResponse:
    region = _region(request, code)
    year = _year(request)
    data = dashboard.for_user(dashboard.build(region, year, with_charts=True), request.user)
    indicators = dashboard.readable_indicators(request.user)
    groups = []
    for group, title in GROUPS.items():
        cards = []
        for indicator in (i for i in indicators if i.group == group):
            value = data["indicators"].get(indicator.key)
            target = data["targets"].get(indicator.key)
            previous = data["previous"]["indicators"].get(indicator.key)
            # The value and its target stand together: one scale for both.
            scale = scale_for([value, target], indicator.kind)
            unit = str(indicator.unit)
            cards.append(
                {
                    "indicator": indicator,
                    "timing": TIMINGS[indicator.timing],
                    "shown": display(value, indicator.kind, unit, scale),
                    "target": display(target, indicator.kind, unit, scale)
                    if target is not None
                    else None,
                    "completion": completion(value, target),
                    "previous": display(previous, indicator.kind, unit),
                    "change": change(value, previous, indicator.kind, unit),
                    "growth": growth(value, previous) if indicator.kind != "percent" else None,
                    "link": link_for(indicator.key, region.code, year),
                }
            )
        if cards:
            groups.append({"key": group, "title": title, "cards": cards})
    columns = _columns(data, indicators)
    children = [
        {**child, "cells": _cells(child["indicators"], columns)} for child in data["children"]
    ]
    total = (
        {"cells": _cells(data["indicators"], columns), "completion": data["average_completion"]}
        if children
        else None
    )
    this_year = dashboard.default_year()
    context = {
        **admin.site.each_context(request),
        "title": _("%(region)s dashboard, %(year)d") % {"region": region.name, "year": year},
        "region": region,
        "year": year,
        "years": list(range(this_year, this_year - 10, -1)),
        "groups": groups,
        "children": children,
        "total": total,
        "columns": columns,
        "indicators": indicators,
        "breadcrumbs": _breadcrumbs(request, region),
        "chart_data": {
            "trend": dashboard.as_json(data["trend"]),
            "breakdowns": dashboard.as_json(data["breakdowns"]),
            "labels": {i.key: str(i.label) for i in indicators},
            "units": {i.key: str(i.unit) for i in indicators},
            "children": [
                {"name": c["name"], "indicators": dashboard.as_json(c["indicators"])}
                for c in data["children"]
                if not c.get("own_level")
            ],
        },
    }
    return TemplateResponse(request, "dashboards/region.html", context)


@staff_member_required
def export_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    """The dashboard in the fixed reporting layout (上报表样) officials file as is."""
    region = _region(request, code)
    year = _year(request)
    data = dashboard.for_user(dashboard.build(region, year), request.user)
    indicators = dashboard.readable_indicators(request.user)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Indicators")
    title = _("%(region)s %(year)d industrial-worker reform statistics") % {
        "region": region.name,
        "year": year,
    }
    append_safe(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    user = request.user
    reporter = (
        (user.get_full_name() or user.get_username()) if hasattr(user, "get_full_name") else ""
    )
    # Region and person names are typed by people: written so that none can run as a formula.
    append_safe(sheet, [_("Reporting unit"), _("%(region)s federation of trade unions") % {"region": region.name},
                        _("Region code"), region.code, _("Year"), year])  # fmt: skip
    append_safe(
        sheet, [_("Reported by"), reporter, _("Reported on"), timezone.localdate().isoformat()]
    )
    sheet.append([])
    header = [
        _("No."),
        _("Group"),
        _("Indicator"),
        _("Unit"),
        _("Value"),
        _("Target"),
        _("Completion (%)"),
        _("Definition"),
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for number, indicator in enumerate(indicators, start=1):
        value = data["indicators"].get(indicator.key)
        target = data["targets"].get(indicator.key)
        rate = completion(value, target)
        # Value and target in one unit, the one the Unit column names (no 4.00 for a count).
        scale = scale_for([value, target], indicator.kind)
        sheet.append([
            number, str(GROUPS[indicator.group]), str(indicator.label),
            unit_label(indicator.kind, str(indicator.unit), scale),
            scaled(value, indicator.kind, scale), scaled(target, indicator.kind, scale), rate,
            str(indicator.definition),
        ])  # fmt: skip
    for index, width in enumerate([6, 12, 26, 8, 16, 14, 12, 70], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if data["children"]:
        children = workbook.create_sheet(_("Sub-regions"))
        columns = _columns(data, indicators)
        children.append([
            _("Region code"), _("Region"), _("Completion (%)"), _("Rank"),
            *[f"{column['indicator'].label}（{column['unit']}）" for column in columns],
        ])  # fmt: skip
        for cell in children[children.max_row]:
            cell.font = Font(bold=True)

        def numbers(values: dict[str, Any]) -> list[Any]:
            return [
                scaled(values.get(c["indicator"].key), c["indicator"].kind, c["scale"])
                for c in columns
            ]

        for child in data["children"]:
            append_safe(
                children,
                [
                    child["code"],
                    child["name"],
                    child["completion"],
                    child["rank"],
                    *numbers(child["indicators"]),
                ],
            )
        append_safe(
            children,
            [
                region.code,
                _("Total"),
                data["average_completion"],
                None,
                *numbers(data["indicators"]),
            ],
        )
        for cell in children[children.max_row]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = _("%(region)s %(year)d indicators.xlsx") % {"region": region.name, "year": year}
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response
