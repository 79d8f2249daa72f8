"""The one computed dashboard that the page, the JSON endpoint and the xlsx export all render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from base.models import Region
from dashboards import cache, selectors

TREND_YEARS = 5
TREND_KEYS = [
    "workers",
    "skilled_workers",
    "craftsmen",
    "studios",
    "training_participants",
    "stations",
]


def default_year() -> int:
    return timezone.localdate().year


def build(region: Region, year: int, *, with_charts: bool = False) -> dict[str, Any]:
    """The shape of docs/design.md §5: region, year, indicators, targets and the direct children —
    computed once per change of the records (dashboards/cache.py)."""
    return cache.cached(
        f"{region.code}:{year}:{int(with_charts)}", lambda: _compute(region, year, with_charts)
    )


def _compute(region: Region, year: int, with_charts: bool) -> dict[str, Any]:
    indicators, child_values = selectors.region_and_children(region, year)
    targets = selectors.targets_for(region, year)
    child_targets = selectors.children_targets(region, year)
    children = [
        {
            "code": child.code,
            "name": child.name,
            "indicators": child_values.get(child.code, {}),
            "targets": child_targets.get(child.code, {}),
        }
        for child in region.children.order_by("code")
    ]
    data: dict[str, Any] = {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "year": year,
        "indicators": indicators,
        "targets": targets,
        "children": children,
    }
    if with_charts:
        years = list(range(year - TREND_YEARS + 1, year + 1))
        data["trend"] = {"years": years, "series": selectors.trend(region, years, TREND_KEYS)}
        data["breakdowns"] = selectors.breakdowns(region, year)
    return data


def as_json(value: Any) -> Any:
    """Decimals as numbers (JSON has no decimals; money keeps its two places)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value
