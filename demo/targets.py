"""Demo targets (目标任务), set against what the demo ledger actually holds.

A target an official sets is a little above or below what the region reaches, so a demo year
reads like a real one: most 完成率 between 60 % and 120 %. The values are read back from the
written records with the dashboards' own queries (one query per source table for the whole
province), so a target and the number it is compared with can never be about different things.
Towns get targets for the last two years only: they are many, and a county sets its towns' tasks
for the year in hand.
"""

from __future__ import annotations

import random
from decimal import Decimal

from base.models import Region, RegionLevel
from dashboards import selectors
from demo import data
from programs.models import Target

SEED = 20240315
# Completion = value / target: drawn between these two, so a target is value / completion.
COMPLETION_RANGE = (0.62, 1.18)
TOWN_YEARS = data.YEARS[-2:]


def set_targets(using: str = "default") -> int:
    """Write the targets of every region with records for the demo years; returns how many."""
    rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
    regions = list(Region.objects.using(using).order_by("code"))
    values = selectors.subtree_values(regions, data.YEARS, data.TARGET_INDICATORS)
    targets = []
    for region in regions:
        years = TOWN_YEARS if region.level == RegionLevel.TOWN else data.YEARS
        for indicator in data.TARGET_INDICATORS:
            for year in years:
                actual = values[region.code][year][indicator]
                if not actual:
                    continue
                completion = rng.uniform(*COMPLETION_RANGE)
                target = max(1, round(float(actual) / completion))
                targets.append(
                    Target(region=region, indicator=indicator, year=year, value=Decimal(target))
                )
    Target.objects.using(using).bulk_create(targets, batch_size=5_000)
    return len(targets)
