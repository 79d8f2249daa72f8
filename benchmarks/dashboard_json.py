"""Time `/dashboards/<code>/data.json` for the province, a city and a county, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ledger_bench \
        .venv/bin/python benchmarks/dashboard_json.py --runs 20 --year 2025 [--after-write inside]

Seed first with `manage.py seed_demo --workers 1000000`. One warm-up request per region, then
`--runs`; p50 and p95 wall time of the whole request and its SQL query count.

Figures are kept per county until a record of that county changes (dashboards/cache.py):
- without options, every request after the first reads kept figures (the repeated request);
- `--after-write anywhere` edits one worker of a random county of the province before each
  request, as clerks do all day (the request then recounts that county if it is under the
  region);
- `--after-write inside` edits a worker of the region's own largest county before each request
  (the worst case: the county recounted is the biggest one under the region);
- `--working-day` first lets every county write once, as by mid-morning: a county's first write
  of the day recounts the whole county, later ones only the town written;
- `--cold` empties every kept figure before each request (a new day, a fresh cache).
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import Substr
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from base.models import Region, RegionLevel
from base.roles import Role
from base.services import staff_user_upsert
from dashboards import cache as dashboard_cache
from workforce.models import Worker

REGIONS = (("province", "330000"), ("city", "330300"), ("county", "330381"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--cold", action="store_true", help="no kept figures at all")
    parser.add_argument(
        "--after-write",
        choices=("anywhere", "inside"),
        help="edit one worker before each request: of a random county, or of the region's largest",
    )
    parser.add_argument(
        "--working-day",
        action="store_true",
        help="first let every county write once (and the province be viewed after each write)",
    )
    args = parser.parse_args()
    user, _created = staff_user_upsert(
        username="bench_dashboard", role=Role.VIEWER, region=Region.objects.get(code="330000")
    )
    client = Client()
    client.force_login(user)
    print(
        f"workers: {Worker.objects.count():,}; {connection.vendor}; year {args.year}; "
        f"runs {args.runs}; "
        + (
            "cold (cache emptied each time)"
            if args.cold
            else f"after a write ({args.after_write})"
            if args.after_write
            else "repeated (kept figures)"
        )
    )
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True))
    random.seed(1)
    if args.working_day:
        # Later in a working day every county has written at least once since the morning: the
        # kept figures of its towns are there, and a write recounts only the town written.
        province_url = reverse("dashboards:data", args=["330000"])
        for county in counties:
            edit_a_worker(county)
            client.get(province_url, {"year": args.year})
    print("| region | p50 ms | p95 ms | queries |")
    print("|---|---:|---:|---:|")
    for label, code in REGIONS:
        url = reverse("dashboards:data", args=[code])
        assert client.get(url, {"year": args.year}).status_code == 200
        timings = []
        for _ in range(args.runs):
            if args.cold:
                dashboard_cache.invalidate()
            elif args.after_write == "anywhere":
                edit_a_worker(random.choice(counties))
            elif args.after_write == "inside":
                edit_a_worker(largest_county(code))
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(url, {"year": args.year})
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        name = Region.objects.get(code=code).name
        print(
            f"| {label} {name} ({code}) | {statistics.median(timings):.0f} | {p95:.0f} | {len(captured)} |"
        )


@functools.cache
def largest_county(code: str) -> str:
    """The county under `code` (or `code` itself) with the most workers."""
    region = Region.objects.get(code=code)
    if region.level == RegionLevel.COUNTY:
        return code
    return str(
        Worker.objects.filter(region__code__startswith=region.prefix)
        .annotate(county=Substr("region_id", 1, 6))
        .values("county")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("county", flat=True)[0]
    )


def edit_a_worker(county: str) -> None:
    """An ordinary edit of one worker of the county, committed (which is when kept figures of
    its county are let go)."""
    worker = Worker.objects.filter(region__code__startswith=county).order_by("pk")[
        random.randrange(50)
    ]
    with transaction.atomic():
        worker.phone = f"139{random.randrange(10**8):08d}"
        worker.save()


if __name__ == "__main__":
    main()
