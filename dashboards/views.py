from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from base import scope
from base.models import Region
from base.querystring import query_year
from dashboards import dashboard, maps, report
from dashboards.catalogue import BREAKDOWN_TITLES, BY_KEY, GROUPS, TIMINGS, Indicator
from dashboards.formatting import (
    change,
    column_scales,
    completion,
    display,
    growth,
    scale_for,
    unit_label,
)
from dashboards.links import link_for
from reporting.selectors import records_url
from sheets.workbooks import xlsx_response


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
    data = {**data, "reported": dashboard.reported_for_json(data["reported"])}
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
    rows and the 合计, the rule the xlsx follows too), so a column never mixes 元 with 万元."""
    scales = column_scales(data, indicators)
    return [
        {
            "indicator": indicator,
            "scale": scales[indicator.key],
            "unit": unit_label(indicator.kind, str(indicator.unit), scales[indicator.key]),
        }
        for indicator in indicators
    ]


def _cells(
    values: dict[str, Any],
    columns: list[dict[str, Any]],
    reported: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    reported = reported or {}
    return [
        {
            "reported": report.reported_text(reported.get(column["indicator"].key)),
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


# Indicator columns of one printed sub-region table: with the region, completion and rank they
# fit an A4 portrait page at a readable size.
PRINT_COLUMNS = 7


def _link(user: Any, key: str, code: str, year: int, reported: dict[str, Any] | None) -> str | None:
    """A card's records: for a figure taken from an approved report, exactly the records that
    report froze (none when it froze none); otherwise the records counted now."""
    if reported is None:
        return link_for(key, code, year)
    records_model = reported.get("records_model")
    return records_url(reported["figure"], records_model, user) if records_model else None


def _print_blocks(
    columns: list[dict[str, Any]], children: list[dict[str, Any]], total: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The sub-region table as printed: several narrow tables instead of one 57 columns wide,
    each with the same rows as the screen's table (children, 本级) and its 合计."""
    position = {column["indicator"].key: index for index, column in enumerate(columns)}
    blocks = []
    for block in report.column_blocks([column["indicator"] for column in columns], PRINT_COLUMNS):
        picked = [position[indicator.key] for indicator in block]
        blocks.append(
            {
                "group": GROUPS[block[0].group],
                "columns": [columns[index] for index in picked],
                "rows": [
                    {**child, "cells": [child["cells"][index] for index in picked]}
                    for child in children
                ],
                "total": {**total, "cells": [total["cells"][index] for index in picked]}
                if total
                else None,
            }
        )
    return blocks


# The sub-regions' comparison chart: these figures side by side, those the user may read.
COMPARED = ("workers", "skilled_workers", "craftsmen", "studios")


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
            reported = data["reported"]["indicators"].get(indicator.key)
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
                    "link": _link(request.user, indicator.key, region.code, year, reported),
                    "reported": report.reported_text(
                        data["reported"]["indicators"].get(indicator.key)
                    ),
                    "previous_reported": report.reported_text(
                        data["reported"]["previous"].get(indicator.key)
                    ),
                }
            )
        if cards:
            groups.append({"key": group, "title": title, "cards": cards})
    columns = _columns(data, indicators)
    children = [
        {
            **child,
            "cells": _cells(
                child["indicators"],
                columns,
                None if child.get("own_level") else data["reported"]["children"].get(child["code"]),
            ),
        }
        for child in data["children"]
    ]
    total = (
        {
            "cells": _cells(data["indicators"], columns, data["reported"]["indicators"]),
            "completion": data["average_completion"],
        }
        if children
        else None
    )
    this_year = dashboard.default_year()
    map_data = (
        maps.map_data(
            region=region,
            year=year,
            # 本级 has no place of its own on a map: only the children are drawn.
            children=[
                {**child, "values": dashboard.as_json(child["indicators"])}
                for child in data["children"]
                if not child.get("own_level")
            ],
            indicators=indicators,
            station_points=maps.stations(region, year)
            if dashboard.readable(request.user, BY_KEY["stations"])
            else None,
        )
        if maps.has_map(region)
        else None
    )
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
        "map_data": map_data,
        "print_blocks": _print_blocks(columns, children, total),
        # Only the breakdowns of wholes the user may read (for_user drops the others): a chart's
        # title names its records as a card would.
        "breakdown_charts": [
            {"key": key, "title": title}
            for key, title in BREAKDOWN_TITLES.items()
            if key in data["breakdowns"]
        ],
        "reported_note": report.reported_note(data),
        "chart_data": {
            "trend": dashboard.as_json(data["trend"]),
            "compared": [key for key in COMPARED if key in data["indicators"]],
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
    content = report.workbook(
        region=region,
        year=year,
        data=data,
        indicators=indicators,
        reporter=report.person_name(request.user),
    )
    name = _("%(region)s %(year)d indicators.xlsx") % {"region": region.name, "year": year}
    return xlsx_response(content, name)
