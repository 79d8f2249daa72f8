"""Reporting rounds at scale, in process, on the configured (PostgreSQL) database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ledger_bench \
        .venv/bin/python benchmarks/reporting_submit.py

The province opens a round asking every indicator; the admin of the county with the most
workers submits (every figure frozen with the keys of its records), the city approves it, and
the city submits its own report (its other counties missing, with a reason). Each step is timed
(wall, median of --runs rounds) with the peak of Python memory it allocated (tracemalloc, in
one more round whose times are not counted), and
the size of the record keys stored. The round, its reports and the accounts made are deleted at
the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from django.db.models.functions import Length, Substr
from django.utils import timezone

from base.models import Region
from base.roles import Role
from base.services import staff_user_upsert
from dashboards.catalogue import INDICATORS
from reporting import selectors, services
from reporting.models import Figure, Round, Submission
from workforce.models import Worker

TRACE = {"on": False}  # tracemalloc slows Python code several times: only on the last run


def timed(step: Callable[[], Any]) -> tuple[float, float, Any]:
    if TRACE["on"]:
        tracemalloc.start()
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if TRACE["on"] else 0
    tracemalloc.stop()
    return seconds, peak / 2**20, result


def account(name: str, code: str) -> Any:
    user, _created = staff_user_upsert(
        username=f"bench_{name}", role=Role.ADMIN, region=Region.objects.get(code=code)
    )
    user.last_name, user.first_name = "测", name
    user.save()
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    county_code = (
        Worker.objects.annotate(county=Substr("region_id", 1, 6))
        .values("county")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("county", flat=True)[:1][0]
    )
    county = Region.objects.get(code=county_code)
    city = county.parent
    assert city is not None and city.parent is not None
    workers = Worker.objects.filter(region__code__startswith=county.prefix).count()
    people = {
        "province": account("province", city.parent.code),
        "city": account("city", city.code),
        "county": account("county", county.code),
    }
    keys = [indicator.key for indicator in INDICATORS]
    steps: dict[str, list[tuple[float, float]]] = {}
    stored = 0
    for run in range(args.runs + 1):
        # The last run measures memory; its times are not counted.
        TRACE["on"] = run == args.runs
        today = timezone.localdate()
        seconds, peak, round_ = timed(
            partial(
                services.round_open, by=people["province"], region=city.parent,
                name=f"bench {run}", year=today.year, kind="annual", part=1, indicators=keys,
                due_on=today,
            )
        )  # fmt: skip
        steps.setdefault("open a province round (every indicator)", []).append((seconds, peak))
        report = Submission.objects.get(round=round_, region=county)
        seconds, peak, report = timed(
            partial(
                services.submission_submit, by=people["county"], submission=report,
                version=report.version, head="李明",
            )
        )  # fmt: skip
        steps.setdefault("county submits (freeze + record keys)", []).append((seconds, peak))
        seconds, peak, _view = timed(partial(selectors.view_of, report, people["county"]))
        steps.setdefault("county's report page (live beside frozen)", []).append((seconds, peak))
        seconds, peak, _doc = timed(partial(selectors.as_document, report, people["county"]))
        steps.setdefault("county's JSON (record keys decoded)", []).append((seconds, peak))
        services.submission_approve(by=people["city"], submission=report, version=report.version)
        own = Submission.objects.get(round=round_, region=city)
        seconds, peak, _own = timed(
            partial(
                services.submission_submit, by=people["city"], submission=own,
                version=own.version, head="王建", missing_reason="基准测试",
            )
        )  # fmt: skip
        steps.setdefault("city submits (approved county + 本级)", []).append((seconds, peak))
        stored = (
            Figure.objects.filter(submission=report).aggregate(n=Sum(Length("records")))["n"] or 0
        )
        Round.objects.filter(pk=round_.pk).delete()
    get_user_model().objects.filter(pk__in=[u.pk for u in people.values()]).delete()
    print(f"county {county.name} ({county.code}): {workers:,} workers; {len(keys)} indicators")
    print(f"record keys stored for the county's report: {stored / 2**20:.2f} MiB")
    print("| step | median s | peak MiB |")
    print("|---|---|---|")
    for name, results in steps.items():
        print(
            f"| {name} | {statistics.median(r[0] for r in results[:-1]):.2f} | "
            f"{results[-1][1]:.0f} |"
        )


if __name__ == "__main__":
    main()
