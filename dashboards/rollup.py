"""A region's figures put together from figures kept per region and per partition
(dashboards/cache.py).

Each region's own records (a town's, or those kept at a county, a city or the province itself)
keep the raw values of every catalogue indicator for a window of five years — every indicator
for the year and the year before (同比), the trend's for the three years before — and each
partition (a county with its towns, or a city's or the province's own records) keeps its
regions' values and their sum. A county or a town reads its partition's values by region; a
city or the province adds up its partitions' sums. That is exact because every measure
partitions by region (a record, a worker, a case belongs to exactly one region:
`selectors.region_figures` relies on the same), and shares are recomputed from the summed parts
(`selectors.finish`).

After a write in one town, a province dashboard counts that town's records again (a query per
source table over one town's rows), puts its county together from the county's kept regions
and adds up about a hundred kept sums. A county's first write of the day counts the whole
county (the morning's first view of the province kept the counties' sums, not their regions').
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models.functions import Substr

from base.models import Region
from dashboards import cache, selectors
from dashboards.catalogue import BREAKDOWNS
from dashboards.selectors import ALL_KEYS, Values

# Years kept per partition, ending with the dashboard's year: every indicator for the year and
# the year before (同比), the trend's indicators for the years before those.
WINDOW = 5
TREND_KEYS = [
    "workers",
    "skilled_workers",
    "craftsmen",
    "studios",
    "training_participants",
    "stations",
]
Raw = dict[int, dict[str, Any]]  # {year: {key: raw value}}
PARTITION_LENGTH = cache.PARTITION_LENGTH


def window(year: int) -> list[int]:
    return list(range(year - WINDOW + 1, year + 1))


def _kept(years: list[int]) -> dict[int, Sequence[str]]:
    """The indicators kept for each year of a window."""
    return {year: ALL_KEYS if year >= years[-1] - 1 else TREND_KEYS for year in years}


def partitions(region: Region) -> list[str]:
    """The partitions whose records count in `region`: its county's for a county or a town;
    for a city or the province, every partition under its prefix (one small query)."""
    if len(region.prefix) >= PARTITION_LENGTH:
        return [cache.partition_of(region.code)]
    codes = (
        Region.objects.filter(code__startswith=region.prefix)
        .annotate(partition=Substr("code", 1, PARTITION_LENGTH))
        .order_by("partition")
        .values_list("partition", flat=True)
        .distinct()
    )
    return list(codes)


def _leaves(codes: list[str], years: list[int]) -> dict[str, Raw]:
    """{region code: raw values by year} of each region's own records, kept per region: the
    regions a write touched since are counted again, in one query per source table (by
    county prefix where a whole county is missing, by code where a town or two are)."""

    def compute(missing: list[str]) -> dict[str, Raw]:
        by_partition: dict[str, list[str]] = {}
        for code in codes:
            by_partition.setdefault(cache.partition_of(code), []).append(code)
        missing_set = set(missing)
        whole = [p for p, members in by_partition.items() if missing_set.issuperset(members)]
        loose = [code for code in missing if cache.partition_of(code) not in whole]
        values: dict[str, Raw] = {}
        if whole:
            values.update(selectors.code_values(whole, _kept(years)))
        if loose:
            values.update(selectors.code_values(loose, _kept(years), exact=True))
        return {code: values.get(code, {}) for code in missing}

    return cache.cached_each(f"r:{years[0]}-{years[-1]}", codes, cache.region_token, compute)


def _groups(
    region: Region, wanted: list[str], years: list[int], *, of_region: int
) -> dict[str, dict[str, Raw]]:
    """{partition: {region code: raw values by year}} for the wanted partitions, kept per
    partition; a missing one is put together from its regions' kept values. `of_region`: how
    many partitions the region has."""

    def compute(missing: list[str]) -> dict[str, dict[str, Raw]]:
        result: dict[str, dict[str, Raw]] = {partition: {} for partition in missing}
        if len(region.prefix) < PARTITION_LENGTH and len(missing) == of_region:
            # Every partition of a city or the province missing (a cold cache, a new day): one
            # scan under the region's prefix rather than a hundred prefixes OR-ed together; the
            # regions' own values are kept when a write first asks for them.
            values = selectors.code_values([region.prefix], _kept(years))
            for code, by_year in values.items():
                result.setdefault(cache.partition_of(code), {})[code] = by_year
            return result
        codes = list(
            Region.objects.annotate(partition=Substr("code", 1, PARTITION_LENGTH))
            .filter(partition__in=missing)
            .order_by("code")
            .values_list("code", flat=True)
        )
        for code, by_year in _leaves(codes, years).items():
            if by_year:
                result[cache.partition_of(code)][code] = by_year
        return result

    return cache.cached_each(f"g:{years[0]}-{years[-1]}", wanted, cache.partition_token, compute)


def _sums(region: Region, wanted: list[str], years: list[int]) -> dict[str, Raw]:
    """{partition: raw values by year, summed over the partition}, kept per partition."""

    def compute(missing: list[str]) -> dict[str, Raw]:
        sums: dict[str, Raw] = {}
        groups_of = _groups(region, missing, years, of_region=len(wanted))
        for partition, groups in groups_of.items():
            total: Raw = {year: {} for year in years}
            for by_year in groups.values():
                for year in years:
                    selectors.add_raw(total[year], by_year.get(year, {}))
            sums[partition] = total
        return sums

    return cache.cached_each(f"s:{years[0]}-{years[-1]}", wanted, cache.partition_token, compute)


def pieces(region: Region, year: int) -> list[tuple[str, Raw]]:
    """The region's records as (code, raw values by year) pieces that add up to the region:
    whole partitions for a city or the province, region codes for a county or a town."""
    years = window(year)
    wanted = partitions(region)
    if len(region.prefix) < PARTITION_LENGTH:
        return list(_sums(region, wanted, years).items())
    groups = _groups(region, wanted, years, of_region=1)[wanted[0]]
    return [(code, by_year) for code, by_year in groups.items() if code.startswith(region.prefix)]


def figures(
    region: Region, year: int, parts: Sequence[tuple[str, Raw]]
) -> tuple[Values, Values, dict[str, Values], Values]:
    """What `selectors.region_figures` gives — the region's values in `year` and the year before,
    each direct child's and 本级's in `year` — added up from kept `parts`."""
    return selectors.assemble(region, year, parts)


def trend(
    parts: Sequence[tuple[str, Raw]], years: list[int], keys: list[str]
) -> dict[str, list[Any]]:
    """A series per key over `years` (all inside the window), added up from `pieces`."""
    totals: dict[int, dict[str, Any]] = {y: {} for y in years}
    for _code, by_year in parts:
        for y in years:
            selectors.add_raw(totals[y], by_year.get(y, {}))
    finished = {y: selectors.finish(totals[y], keys) for y in years}
    return {key: [finished[y][key] for y in years] for key in keys}


def breakdowns(values: Values) -> dict[str, Values]:
    """The parts of 劳模工匠, 创新工作室 and pilot units (catalogue.BREAKDOWNS) out of the year's
    values, which hold every catalogue indicator."""
    return {whole: {part: values[part] for part in parts} for whole, parts in BREAKDOWNS.items()}
