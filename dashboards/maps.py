"""The map on a province or city dashboard: its children coloured by an indicator, and the
service stations as points.

The boundaries are vendored (static/vendor/zhejiang-map/, see its README): one file per region
whose children are drawn, each feature named by the child's administrative code, so a region and
its shape meet by code, never by a name that may be written two ways.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from base.models import Region
from dashboards.catalogue import SOURCES, Indicator, Period

MAP_FOLDER = "vendor/zhejiang-map"
# Points enough to show where stations stand; a province with more shows the first this many.
STATION_LIMIT = 5_000


def boundary_file(region: Region) -> Path:
    return Path(settings.BASE_DIR) / "static" / MAP_FOLDER / f"{region.code}.json"


def has_map(region: Region) -> bool:
    """A region whose children have boundaries: the province and its cities."""
    return boundary_file(region).exists()


def stations(region: Region, year: int) -> list[dict[str, Any]]:
    """The stations the 服务站点 indicator counts in the region's subtree in `year` that have
    coordinates, as [name, longitude, latitude] points; one query."""
    source = SOURCES["stations"]
    rows = (
        source.model_class()
        ._default_manager.filter(
            source.in_region(region.prefix),
            source.year_rows(Period(year)),
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .order_by("pk")
        .values_list("name", "longitude", "latitude")[:STATION_LIMIT]
    )
    return [{"name": name, "value": [float(lng), float(lat)]} for name, lng, lat in rows]


def map_data(
    *,
    region: Region,
    year: int,
    children: list[dict[str, Any]],
    indicators: list[Indicator],
    station_points: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    """What dashboards/map.js draws: the boundary file, every child with its link and values,
    the indicators to colour by, and the station points (None: the user may not read them)."""
    return {
        "url": static(f"{MAP_FOLDER}/{region.code}.json"),
        "children": [
            {
                "code": child["code"],
                "name": child["name"],
                "url": f"{reverse('dashboards:region', args=[child['code']])}?year={year}",
                "values": child["values"],
            }
            for child in children
            if child["code"] != region.code  # the region's own records (本级) have no shape
        ],
        "indicators": [
            {"key": i.key, "label": str(i.label), "unit": str(i.unit)} for i in indicators
        ],
        "stations": station_points,
    }
