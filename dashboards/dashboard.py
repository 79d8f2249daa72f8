"""The one computed dashboard that the page, the JSON endpoint and the xlsx export all render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from base.models import Region
from dashboards import cache, rollup, selectors
from dashboards.catalogue import BY_KEY, INDICATORS, SOURCES, Indicator
from dashboards.selectors import Values
from reporting import history

TREND_YEARS = rollup.WINDOW  # the years each partition keeps
# Part of the cache key: a release that changes the computed shape (3: 本级, 同比) never reads an
# entry an older release cached, whatever the records' tokens (4: kept per partition; 5: past
# years' 时点数 from approved reports, `reported`).
SHAPE = 5
TREND_KEYS = rollup.TREND_KEYS


def default_year() -> int:
    return timezone.localdate().year


def build(region: Region, year: int, *, with_charts: bool = False) -> dict[str, Any]:
    """The shape of docs/design.md §5: region, year, indicators, targets and the direct children —
    computed once per change of the records it counts (dashboards/cache.py), from the figures
    kept per partition (dashboards/rollup.py)."""
    return cache.cached(
        f"v{SHAPE}:{region.code}:{year}:{int(with_charts)}",
        region.prefix,
        lambda: _compute(region, year, with_charts),
    )


def own_level_name() -> str:
    # The JSON contract (docs/design.md §5) names the row 本级 whatever the page's language.
    with translation.override("zh-hans"):
        return _("Own level")


def _compute(region: Region, year: int, with_charts: bool) -> dict[str, Any]:
    parts = rollup.pieces(region, year)
    indicators, previous, child_values, own = rollup.figures(region, year, parts)
    targets = selectors.targets_for(region, year)
    child_targets = selectors.children_targets(region, year)
    children: list[dict[str, Any]] = [
        {
            "code": child.code,
            "name": child.name,
            "indicators": child_values.get(child.code, {}),
            "targets": child_targets.get(child.code, {}),
        }
        for child in region.children.order_by("code")
    ]
    if children:
        # Last: the records attached to the region itself, so the rows add up to the region.
        children.append(
            {
                "code": region.code,
                "name": own_level_name(),
                "indicators": own,
                "targets": {},
                "own_level": True,
            }
        )
    indicators, previous, reported = _with_reports(region, year, indicators, previous, children)
    data: dict[str, Any] = {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "year": year,
        "indicators": indicators,
        "targets": targets,
        "children": children,
        # 同比: last year's values and the change (percentage points for a share).
        "previous": {"year": year - 1, "indicators": previous},
        "change": {key: value - previous[key] for key, value in indicators.items()},
        # Which figures were taken from an approved report, and from which (docs/design.md §5).
        "reported": reported,
    }
    if with_charts:
        years = rollup.window(year)[-TREND_YEARS:]
        data["trend"] = {"years": years, "series": rollup.trend(parts, years, TREND_KEYS)}
        data["breakdowns"] = rollup.breakdowns(indicators)
    return data


def _which_report(taken: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        key: {"round": report["round"], "approved_on": report["approved_on"]}
        for key, report in taken.items()
    }


def reported_for_json(reported: dict[str, Any]) -> dict[str, Any]:
    """The JSON's `reported`: each figure's round and approval day. The frozen figure behind
    it, which the page uses to link to its records, stays inside."""
    return {
        "indicators": _which_report(reported["indicators"]),
        "previous": _which_report(reported["previous"]),
        "children": {code: _which_report(taken) for code, taken in reported["children"].items()},
    }


def _replaced(
    values: Values, reported: history.Reported | None
) -> tuple[Values, dict[str, dict[str, Any]]]:
    """`values` with the reported figures in place of the counted ones, and {key: the report}
    for each figure taken. A share whose part was replaced is recomputed from its parts (one
    rule with the rest of the dashboards); it is listed as reported when both parts are."""
    if reported is None:
        return values, {}
    values = dict(values)
    taken: dict[str, dict[str, Any]] = {}
    for key, value in reported.values.items():
        if key in values:
            values[key] = value
            taken[key] = reported.reports[key].as_dict()
    for indicator in INDICATORS:
        if indicator.ratio is None or indicator.key not in values:
            continue
        if any(part in taken for part in indicator.ratio):
            values[indicator.key] = selectors.finish(values, [indicator.key])[indicator.key]
        if all(part in taken for part in indicator.ratio):
            taken[indicator.key] = taken[indicator.ratio[0]]
    return values, taken


def _with_reports(
    region: Region,
    year: int,
    indicators: Values,
    previous: Values,
    children: list[dict[str, Any]],
) -> tuple[Values, Values, dict[str, Any]]:
    """The time-point figures of a past year (before default_year()) taken from the approved
    annual report where there is one (reporting/history.py): the region's, each child row's
    (本级 stays counted: it has no report of its own) and 同比's year before. Rewrites the
    children's rows in place; returns the region's values, the year before's and `reported`:
    {"indicators": {key: report}, "previous": {key: report}, "children": {code: {key: report}}},
    each report {"round": name, "approved_on": date}. Two queries, none for the current year."""
    reported: dict[str, Any] = {"indicators": {}, "previous": {}, "children": {}}
    this_year = default_year()
    years = [y for y in (year - 1, year) if y < this_year]
    if not years:
        return indicators, previous, reported
    own = history.approved_figures_by_year([region.code], years)
    if year < this_year:
        indicators, reported["indicators"] = _replaced(
            indicators, own.get(year, {}).get(region.code)
        )
        rows = [child for child in children if not child.get("own_level")]
        of_children = history.approved_figures([child["code"] for child in rows], year)
        for child in rows:
            child["indicators"], taken = _replaced(
                child["indicators"], of_children.get(child["code"])
            )
            if taken:
                reported["children"][child["code"]] = taken
    previous, reported["previous"] = _replaced(previous, own.get(year - 1, {}).get(region.code))
    return indicators, previous, reported


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

    targets = only(data["targets"])
    indicators = only(data["indicators"])
    shown = {
        **data,
        "indicators": indicators,
        "targets": targets,
        # Completion and ranks over what the user may read: a hidden figure moves no rank.
        "completion": {
            key: selectors.average_completion(indicators, {key: target})
            for key, target in targets.items()
        },
        "average_completion": selectors.average_completion(indicators, targets),
        "children": selectors.ranking(
            [
                {
                    **child,
                    "indicators": only(child["indicators"]),
                    "targets": only(child["targets"]),
                }
                for child in data["children"]
            ]
        ),
        "previous": {**data["previous"], "indicators": only(data["previous"]["indicators"])},
        "change": only(data["change"]),
        "reported": {
            "indicators": only(data["reported"]["indicators"]),
            "previous": only(data["reported"]["previous"]),
            "children": {
                code: shown
                for code, taken in data["reported"]["children"].items()
                if (shown := only(taken))
            },
        },
        "units": {key: str(BY_KEY[key].unit) for key in indicators},
        "timing": {key: BY_KEY[key].timing for key in indicators},
    }
    if "trend" in data:
        shown["trend"] = {**data["trend"], "series": only(data["trend"]["series"])}
    if "breakdowns" in data:
        shown["breakdowns"] = {
            whole: only(parts) for whole, parts in only(data["breakdowns"]).items()
        }
    return shown
