"""The one computed dashboard that the page, the JSON endpoint and the xlsx export all render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from base.models import Region
from dashboards import cache, selectors
from dashboards.catalogue import BY_KEY, INDICATORS, SOURCES, Indicator

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


def readable(user: Any, indicator: Indicator) -> bool:
    """Whether the user may read the records an indicator counts. A role that may not open
    hardship cases (clerk, viewer) sees no hardship figure either: a county's count of cases is
    a fact about a few named people in a small town, and its link would answer 403."""
    if indicator.source is not None:
        opts = SOURCES[indicator.source].model_class()._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            return False
    if indicator.ratio is not None:
        return all(readable(user, BY_KEY[key]) for key in indicator.ratio)
    return True


def readable_indicators(user: Any) -> list[Indicator]:
    return [indicator for indicator in INDICATORS if readable(user, indicator)]


def for_user(data: dict[str, Any], user: Any) -> dict[str, Any]:
    """The computed dashboard (shared by every user through the cache) without the indicators
    the user may not read: page, JSON and xlsx all render this."""
    keys = {indicator.key for indicator in readable_indicators(user)}

    def only(values: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in values.items() if key in keys}

    shown = {
        **data,
        "indicators": only(data["indicators"]),
        "targets": only(data["targets"]),
        "children": [
            {**child, "indicators": only(child["indicators"]), "targets": only(child["targets"])}
            for child in data["children"]
        ],
    }
    if "trend" in data:
        shown["trend"] = {**data["trend"], "series": only(data["trend"]["series"])}
    if "breakdowns" in data:
        shown["breakdowns"] = {
            whole: only(parts) for whole, parts in only(data["breakdowns"]).items()
        }
    return shown
