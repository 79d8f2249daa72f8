"""Dashboard numbers: the catalogue's queries evaluated for a region and year. Reads only; plain
dicts of int and Decimal out.

Every indicator over the same source table is computed in one aggregate query (conditional
aggregation), so a dashboard costs one query per source table whatever the region: the province,
a city and a county cost the same number of queries. A region's direct children are computed in
bulk, grouped by the first digits of each row's region code (the child's prefix), so their cost
does not grow with the number of children either.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.functions import Substr
from django.utils import timezone

from base.models import PREFIX_LENGTH, Region
from dashboards.catalogue import (
    BREAKDOWNS,
    BY_KEY,
    INDICATORS,
    SOURCES,
    Indicator,
    Period,
    RowMeasure,
)
from dashboards.formatting import completion
from programs.models import Target

Number = int | Decimal
Values = dict[str, Number]

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
ALL_KEYS: tuple[str, ...] = tuple(indicator.key for indicator in INDICATORS)
WHOLE_REGION = ""  # the group of a query that is not grouped by child


def indicators_for(region: Region, year: int) -> Values:
    """Every catalogue indicator for the region's subtree in `year`."""
    return _evaluate(region.prefix, [year], ALL_KEYS)[WHOLE_REGION][year]


def children_indicators(region: Region, year: int) -> dict[str, Values]:
    """Every catalogue indicator for each direct child region, keyed by child code. Children
    without records get zeros; records kept at the region's own level belong to no child."""
    children = list(region.children.order_by("code").values_list("code", "level"))
    if not children:
        return {}
    # A child's prefix: 4 digits for a city, 6 for a county, the whole 9-digit code for a town.
    child_length = PREFIX_LENGTH[children[0][1]]
    groups = _evaluate(region.prefix, [year], ALL_KEYS, child_length=child_length)
    empty = finish({}, ALL_KEYS)
    return {code: groups.get(code[:child_length], {}).get(year, empty) for code, _level in children}


def region_and_children(region: Region, year: int) -> tuple[Values, dict[str, Values]]:
    """`indicators_for` and `children_indicators` in one pass over the data (half the queries).

    Every measure partitions by region (a row, a worker, a case belongs to exactly one region), so
    the region's value is the sum over all its groups: the children's plus the records kept at
    the region's own level. Shares are recomputed from the summed parts."""
    children = list(region.children.order_by("code").values_list("code", "level"))
    if not children:
        return indicators_for(region, year), {}
    child_length = PREFIX_LENGTH[children[0][1]]
    groups = _evaluate(region.prefix, [year], ALL_KEYS, child_length=child_length, raw=True)
    whole: dict[str, Any] = {}
    for by_year in groups.values():
        for key, value in by_year[year].items():
            whole[key] = whole.get(key, 0) + (value or 0)
    empty = finish({}, ALL_KEYS)
    return finish(whole, ALL_KEYS), {
        code: finish(groups[code[:child_length]][year], ALL_KEYS)
        if code[:child_length] in groups
        else empty
        for code, _level in children
    }


def region_figures(region: Region, year: int) -> tuple[Values, Values, dict[str, Values], Values]:
    """The region's values in `year` and in the year before (同比), each direct child's in `year`,
    and 本级's — the records attached to the region itself — in `year`: one query per source
    table, both years and every child in it.

    Every measure partitions by region, so a group of rows is either a child's (its code starts
    with the child's prefix) or the region's own, and the children and 本级 add up to the region
    for every additive indicator. Shares are recomputed from each row's summed parts."""
    years = [year - 1, year]
    children = list(region.children.order_by("code").values_list("code", "level"))
    if not children:
        by_year = _evaluate(region.prefix, years, ALL_KEYS)[WHOLE_REGION]
        return by_year[year], by_year[year - 1], {}, finish({}, ALL_KEYS)
    child_length = PREFIX_LENGTH[children[0][1]]
    groups = _evaluate(region.prefix, years, ALL_KEYS, child_length=child_length, raw=True)
    return assemble(region, year, list(groups.items()), children=children)


def assemble(
    region: Region,
    year: int,
    parts: Sequence[tuple[str, dict[int, dict[str, Any]]]],
    *,
    children: list[tuple[str, str]] | None = None,
) -> tuple[Values, Values, dict[str, Values], Values]:
    """`region_figures` put together from raw values by year of parts of the region, each
    named by a code: a part whose code starts with a direct child's prefix is that child's,
    any other the region's own (本级). The parts are groups of one query (region_figures) or
    figures kept per region and partition (dashboards/rollup.py)."""
    years = [year - 1, year]
    whole: dict[int, dict[str, Any]] = {y: {} for y in years}
    if children is None:
        children = list(region.children.order_by("code").values_list("code", "level"))
    child_length = PREFIX_LENGTH[children[0][1]] if children else None
    prefixes = {code[:child_length] for code, _level in children} if child_length else set()
    by_child: dict[str, dict[str, Any]] = {}
    own: dict[str, Any] = {}
    for code, by_year in parts:
        for y in years:
            add_raw(whole[y], by_year.get(y, {}))
        if child_length is None:
            continue
        group = code[:child_length]
        add_raw(by_child.setdefault(group, {}) if group in prefixes else own, by_year.get(year, {}))
    child_values = {
        code: finish(by_child.get(code[:child_length], {}), ALL_KEYS)
        for code, _level in children
        if child_length is not None
    }
    return (
        finish(whole[year], ALL_KEYS),
        finish(whole[year - 1], ALL_KEYS),
        child_values,
        finish(own, ALL_KEYS),
    )


def add_raw(total: dict[str, Any], values: dict[str, Any]) -> None:
    """Add raw values (None for an empty sum) into `total`, key by key, before `finish`."""
    for key, value in values.items():
        total[key] = total.get(key, 0) + (value or 0)


def average_completion(values: dict[str, Any], targets: dict[str, Any]) -> Decimal | None:
    """The mean 完成率 over the targets set (one decimal), or None without any."""
    rates = [
        rate
        for key, target in targets.items()
        if (rate := completion(values.get(key), target)) is not None
    ]
    if not rates:
        return None
    return (sum(rates, Decimal(0)) / len(rates)).quantize(TENTH, ROUND_HALF_UP)


def ranking(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sub-region rows with their average 完成率 and 排名 — the one computation the page, the
    JSON and the xlsx all show. Rows with a target are ranked by completion, highest first; equal
    completion shares a rank (1, 2, 2, 4). 本级 (`own_level`) and rows without a target get
    None for both."""
    rows = [
        {
            **child,
            "completion": None
            if child.get("own_level")
            else average_completion(child["indicators"], child["targets"]),
            "rank": None,
        }
        for child in children
    ]
    rates = sorted(
        (row["completion"] for row in rows if row["completion"] is not None), reverse=True
    )
    for row in rows:
        if row["completion"] is not None:
            row["rank"] = rates.index(row["completion"]) + 1
    return rows


def subtree_values(
    regions: Iterable[Region], years: Sequence[int], keys: Sequence[str]
) -> dict[str, dict[int, Values]]:
    """Each region's values over its subtree, {code: {year: {key: value}}}, for many regions at
    once (e.g. every region of the province, to set targets against): one query per source
    table groups every row by its own region code, and each region adds up the groups under
    its prefix — the records partition by region, so the sum is the region's value."""
    years = list(dict.fromkeys(years))
    groups = _evaluate("", years, keys, child_length=max(PREFIX_LENGTH.values()), raw=True)
    result: dict[str, dict[int, Values]] = {}
    for region in regions:
        totals: dict[int, dict[str, Any]] = {year: {} for year in years}
        for code, by_year in groups.items():
            if code.startswith(region.prefix):
                for year in years:
                    add_raw(totals[year], by_year[year])
        result[region.code] = {year: finish(totals[year], keys) for year in years}
    return result


def trend(region: Region, years: list[int], keys: list[str]) -> dict[str, list[Number]]:
    """A series per key over `years` (in the order given), one query per source table."""
    unknown = [key for key in keys if key not in BY_KEY]
    if unknown:
        raise KeyError(f"not in the indicator catalogue: {', '.join(unknown)}")
    if not years:
        return {key: [] for key in keys}
    by_year = _evaluate(region.prefix, years, keys).get(WHOLE_REGION, {})
    return {key: [by_year[year][key] for year in years] for key in keys}


def breakdowns(region: Region, year: int) -> dict[str, Values]:
    """The parts of 劳模工匠 by highest level, 创新工作室 by level and pilot units by type, keyed by
    the whole's key, each part under its own indicator key (in catalogue order)."""
    keys = [part for parts in BREAKDOWNS.values() for part in parts]
    values = _evaluate(region.prefix, [year], keys)[WHOLE_REGION][year]
    return {whole: {part: values[part] for part in parts} for whole, parts in BREAKDOWNS.items()}


def _target(key: str, value: Decimal) -> Number:
    """A target in its indicator's own precision: a count's target is a whole number."""
    indicator = BY_KEY[key]
    if indicator.precision == 0:
        return int(value.quantize(Decimal(1), ROUND_HALF_UP))
    return value.quantize(Decimal(1).scaleb(-indicator.precision), ROUND_HALF_UP)


def targets_for(region: Region, year: int) -> dict[str, Number]:
    """The region's own targets for `year` (not its children's), keyed by indicator."""
    rows = Target.objects.filter(region=region, year=year).values_list("indicator", "value")
    return {key: _target(key, value) for key, value in rows if key in BY_KEY}


def children_targets(region: Region, year: int) -> dict[str, dict[str, Number]]:
    """Each direct child's own targets for `year`, keyed by child code; children without any
    target are absent."""
    rows = (
        Target.objects.filter(region__parent=region, year=year)
        .order_by("region_id")
        .values_list("region_id", "indicator", "value")
    )
    targets: dict[str, dict[str, Number]] = defaultdict(dict)
    for code, key, value in rows:
        if key in BY_KEY:
            targets[code][key] = _target(key, value)
    return dict(targets)


# --- evaluation -------------------------------------------------------------------------------


def with_parts(keys: Iterable[str]) -> list[Indicator]:
    """The indicators to query for `keys`: shares bring the two indicators they divide."""
    needed: dict[str, Indicator] = {}
    for key in keys:
        indicator = BY_KEY[key]
        for part in indicator.ratio or ():
            needed[part] = BY_KEY[part]
        needed[key] = indicator
    return list(needed.values())


def code_values(
    prefixes: Sequence[str], keys_by_year: Mapping[int, Collection[str]], *, exact: bool = False
) -> dict[str, dict[int, dict[str, Any]]]:
    """The raw values of the given indicators in each year for the records under any of
    `prefixes` (with `exact`, of exactly those region codes), grouped by each record's own
    region code: {code: {year: {key: value}}}, one query per source table. What
    dashboards/rollup.py keeps per region and partition and adds up."""
    grouped = _evaluate(
        prefixes,
        list(keys_by_year),
        ALL_KEYS,
        child_length=max(PREFIX_LENGTH.values()),
        raw=True,
        exact=exact,
        keys_by_year=keys_by_year,
    )
    # Plain dicts: they are pickled into the cache.
    return {
        code: {year: dict(values) for year, values in by_year.items()}
        for code, by_year in grouped.items()
    }


def _evaluate(
    prefix: str | Sequence[str],
    years: Sequence[int],
    keys: Collection[str],
    *,
    child_length: int | None = None,
    raw: bool = False,
    keys_by_year: Mapping[int, Collection[str]] | None = None,
    exact: bool = False,
    through: int = 12,
) -> dict[str, dict[int, Values]]:
    """{group: {year: {key: value}}}; the group is WHOLE_REGION, or the child prefix when
    `child_length` is given. One query per source table. With `raw`, the database's values as
    they come (None for an empty sum, no shares), to be added up before `finish`. With
    `keys_by_year`, a year gets only its own keys (and the parts of its shares). `through`: the
    last month counted (a part-year report, catalogue.Period)."""
    periods = tuple(Period(year, through) for year in dict.fromkeys(years))
    by_source: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in with_parts(keys):
        if indicator.source is not None:
            by_source[indicator.source].append(indicator)

    values: dict[str, dict[int, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    today = timezone.localdate()
    kept = (
        tuple((year, tuple(sorted(k))) for year, k in keys_by_year.items())
        if keys_by_year is not None
        else None
    )
    for source_key, indicators in by_source.items():
        source = SOURCES[source_key]
        if exact:
            in_region = Q(**{f"{source.region_path}__in": list(prefix)})
        elif isinstance(prefix, str):
            in_region = source.in_region(prefix)
        else:
            in_region = reduce(or_, (source.in_region(p) for p in prefix))
        # Built once per shape and reused: resolving a hundred aggregates costs more than a
        # town's whole query (docs/benchmarks.md); the regions are only the WHERE clause.
        queryset, aliases, aggregates = _source_query(
            source_key, tuple(indicator.key for indicator in indicators), periods, kept,
            child_length, today,
        )  # fmt: skip
        queryset = queryset.filter(in_region)
        if aggregates is not None:
            results = [(WHOLE_REGION, queryset.aggregate(**aggregates))]
        else:
            results = [(row.pop("child_prefix"), row) for row in queryset]
        for group_key, row in results:
            for alias, (year, key) in aliases.items():
                values[group_key][year][key] = row[alias]

    if raw:
        return values
    return {
        group_key: {period.year: finish(by_year[period.year], keys) for period in periods}
        for group_key, by_year in values.items()
    }


@functools.lru_cache(maxsize=256)
def _source_query(
    source_key: str,
    keys: tuple[str, ...],
    periods: tuple[Period, ...],
    kept: tuple[tuple[int, tuple[str, ...]], ...] | None,
    child_length: int | None,
    today: datetime.date,
) -> tuple[QuerySet[Any, Any], dict[str, tuple[int, str]], dict[str, Combinable] | None]:
    """The query of one source table for these indicators and years, without its regions (the
    caller filters it, which clones it), and what each alias is (year, indicator key). Grouped
    by `child_length` digits of the rows' region code: rows of aliases. Without a group: the
    rows, and the aggregates for the caller to take over them. `today` is part of the key:
    some measures count against today (overdue dispatches)."""
    source = SOURCES[source_key]
    indicators = [BY_KEY[key] for key in keys]
    wanted_by_year = (
        {year: {i.key for i in with_parts(year_keys)} for year, year_keys in kept}
        if kept is not None
        else None
    )
    queryset = source.model_class()._default_manager.all()
    aggregates: dict[str, Combinable] = {}
    aliases: dict[str, tuple[int, str]] = {}
    if len(periods) == 1:
        # One year: its rows are the WHERE clause, shared by every aggregate.
        queryset = queryset.filter(source.year_rows(periods[0]))
    else:
        # Several years: the union of their rows, each aggregate filtered to its own year.
        queryset = queryset.filter(reduce(or_, (source.year_rows(p) for p in periods)))
    for period in periods:
        rows = source.year_rows(period) if len(periods) > 1 else Q()
        wanted = wanted_by_year[period.year] if wanted_by_year is not None else None
        for indicator in indicators:
            if wanted is not None and indicator.key not in wanted:
                continue
            assert indicator.measure is not None
            alias = f"v{len(aggregates)}"
            aggregates[alias] = indicator.measure(period, rows)
            aliases[alias] = (period.year, indicator.key)
    if child_length is None:
        # One row over every matching record: aggregated by the caller, after its filter.
        return queryset, aliases, aggregates
    code = source.region_code()
    # Town codes are whole codes: grouping by the column itself keeps it indexable.
    group = code if child_length == max(PREFIX_LENGTH.values()) else Substr(code, 1, child_length)
    grouped = (
        queryset.annotate(child_prefix=group)
        .order_by()
        .values("child_prefix")
        .annotate(**aggregates)
    )
    return grouped, aliases, None


def finish(raw: dict[str, Any], keys: Iterable[str]) -> Values:
    """Plain numbers by kind: counts as int, money to the fen, shares to one decimal."""
    values: Values = {}
    for indicator in with_parts(keys):
        if indicator.ratio is not None:
            continue
        value = raw.get(indicator.key) or 0
        values[indicator.key] = (
            Decimal(value).quantize(CENT, ROUND_HALF_UP)
            if indicator.kind == "money"
            else int(value)
        )
    for indicator in with_parts(keys):
        if indicator.ratio is not None:
            numerator, denominator = (Decimal(values[part]) for part in indicator.ratio)
            share = numerator * 100 / denominator if denominator else Decimal(0)
            values[indicator.key] = share.quantize(TENTH, ROUND_HALF_UP)
    return {key: values[key] for key in keys}


# --- one region's figures for a reporting period ----------------------------------------------


def _in_part(source_key: str, region: Region, own_only: bool) -> Q:
    source = SOURCES[source_key]
    if own_only:
        return Q(**{f"{source.region_path}__in": [region.code]})
    return source.in_region(region.prefix)


def period_raw(
    region: Region, period: Period, keys: Collection[str], *, own_only: bool = False
) -> dict[str, Any]:
    """The raw values (before `finish`) of `keys` for the region's subtree over a reporting
    period, or with `own_only` for the records attached to the region itself (本级)."""
    if own_only:
        groups = _evaluate(
            [region.code], [period.year], keys, raw=True, exact=True, through=period.through
        )
    else:
        groups = _evaluate(region.prefix, [period.year], keys, raw=True, through=period.through)
    return dict(groups.get(WHOLE_REGION, {}).get(period.year, {}))


def records_behind(
    region: Region, period: Period, keys: Collection[str], *, own_only: bool = False
) -> dict[str, tuple[str, list[int]]]:
    """For each indicator of `keys` counted from records, the source model's label and the
    primary keys of the records behind its value: the rows the admin list's indicator filter
    shows (dashboards/links.py), or for a measure built from other measures the rows it was
    computed from. Shares have none of their own (their two parts have). One pass over each
    source table's rows of the region, each row flagged for the indicators it counts in."""
    by_source: dict[str, list[Indicator]] = defaultdict(list)
    for key in keys:
        indicator = BY_KEY[key]
        if indicator.source is not None and indicator.ratio is None:
            by_source[indicator.source].append(indicator)
    found: dict[str, tuple[str, list[int]]] = {}
    for source_key, indicators in by_source.items():
        source = SOURCES[source_key]
        model = source.model_class()
        conditions = [
            indicator.measure.rows(source, period)
            if isinstance(indicator.measure, RowMeasure)
            else source.year_rows(period)
            for indicator in indicators
        ]
        flags = {
            f"f{index}": ExpressionWrapper(condition, output_field=BooleanField())
            for index, condition in enumerate(conditions)
        }
        rows = (
            model._default_manager.filter(_in_part(source_key, region, own_only))
            .filter(reduce(or_, conditions))
            .annotate(**flags)
            .order_by("pk")
            .values_list("pk", *flags)
        )
        keys_of: list[list[int]] = [[] for _indicator in indicators]
        for pk, *marks in rows.iterator(chunk_size=20_000):
            for index, mark in enumerate(marks):
                if mark:
                    keys_of[index].append(pk)
        for indicator, pks in zip(indicators, keys_of, strict=True):
            found[indicator.key] = (model._meta.label_lower, pks)
    return found
