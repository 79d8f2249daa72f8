from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from base import scope
from base.models import Region
from base.querystring import query_year
from dashboards import dashboard, maps, report
from dashboards.catalogue import BY_KEY, GROUPS, Indicator
from dashboards.formatting import completion, display
from dashboards.links import link_for

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


# Indicator columns of one printed sub-region table: with the region, completion and rank they
# fit an A4 portrait page at a readable size.
PRINT_COLUMNS = 7


def _print_blocks(indicators: list[Indicator], children: list[dict[str, Any]]) -> list[Any]:
    """The sub-region table as printed: several narrow tables instead of one 57 columns wide."""
    position = {indicator.key: index for index, indicator in enumerate(indicators)}
    blocks = []
    for block in report.column_blocks(indicators, PRINT_COLUMNS):
        columns = [position[indicator.key] for indicator in block]
        blocks.append(
            {
                "group": GROUPS[block[0].group],
                "indicators": block,
                "rows": [
                    {**child, "cells": [child["cells"][index] for index in columns]}
                    for child in children
                ],
            }
        )
    return blocks


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
            cards.append(
                {
                    "indicator": indicator,
                    "shown": display(value, indicator.kind, str(indicator.unit)),
                    "target": display(target, indicator.kind, str(indicator.unit))
                    if target is not None
                    else None,
                    "completion": completion(value, target),
                    "link": link_for(indicator.key, region.code, year),
                }
            )
        if cards:
            groups.append({"key": group, "title": title, "cards": cards})
    children = []
    for child in data["children"]:
        rates: list[Decimal] = [
            rate
            for key, target in child["targets"].items()
            if (rate := completion(child["indicators"].get(key), target)) is not None
        ]
        children.append(
            {
                **child,
                "cells": [
                    display(child["indicators"].get(i.key), i.kind, str(i.unit)) for i in indicators
                ],
                "values": [dashboard.as_json(child["indicators"].get(i.key)) for i in indicators],
                "completion": (sum(rates, Decimal(0)) / len(rates)).quantize(Decimal("0.1"))
                if rates
                else None,
            }
        )
    ranked = sorted(
        (c for c in children if c["completion"] is not None), key=lambda c: -c["completion"]
    )
    for rank, child in enumerate(ranked, start=1):
        child["rank"] = rank
    this_year = dashboard.default_year()
    map_data = (
        maps.map_data(
            region=region,
            year=year,
            children=[
                {**child, "values": dashboard.as_json(child["indicators"])}
                for child in data["children"]
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
        "indicators": indicators,
        "breadcrumbs": _breadcrumbs(request, region),
        "map_data": map_data,
        "print_blocks": _print_blocks(indicators, children),
        "chart_data": {
            "trend": dashboard.as_json(data["trend"]),
            "breakdowns": dashboard.as_json(data["breakdowns"]),
            "labels": {i.key: str(i.label) for i in indicators},
            "children": [
                {"name": c["name"], "indicators": dashboard.as_json(c["indicators"])}
                for c in data["children"]
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
        rows=report.sub_region_rows(data, indicators) if data["children"] else [],
    )
    response = HttpResponse(content, content_type=XLSX)
    name = _("%(region)s %(year)d indicators.xlsx") % {"region": region.name, "year": year}
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response
