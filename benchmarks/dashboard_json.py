"""Time `/dashboards/<code>/data.json` for the province, a city and a county, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ledger_bench \
        .venv/bin/python benchmarks/dashboard_json.py --runs 20 --year 2025

Seed first with `manage.py seed_demo --workers 1000000`. One warm-up request per region, then
`--runs`; p50 and p95 wall time of the whole request and its SQL query count. Computed
dashboards are cached until a record changes (dashboards/cache.py): `--cold` empties that cache
before every request, which measures the computation itself (the first view after a write).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from base.models import Region
from base.roles import Role
from base.services import staff_user_upsert
from dashboards import cache as dashboard_cache
from workforce.models import Worker

REGIONS = (("province", "330000"), ("city", "330300"), ("county", "330381"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--cold", action="store_true", help="no cached dashboards")
    args = parser.parse_args()
    user, _created = staff_user_upsert(
        username="bench_dashboard", role=Role.VIEWER, region=Region.objects.get(code="330000")
    )
    client = Client()
    client.force_login(user)
    print(
        f"workers: {Worker.objects.count():,}; {connection.vendor}; year {args.year}; "
        f"runs {args.runs}; {'cold (cache emptied each time)' if args.cold else 'cached'}"
    )
    print("| region | p50 ms | p95 ms | queries |")
    print("|---|---:|---:|---:|")
    for label, code in REGIONS:
        url = reverse("dashboards:data", args=[code])
        assert client.get(url, {"year": args.year}).status_code == 200
        timings = []
        for _ in range(args.runs):
            if args.cold:
                dashboard_cache.invalidate()
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


if __name__ == "__main__":
    main()
