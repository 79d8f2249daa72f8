"""Time the worker admin list and searches, in process, against the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ledger_bench \
        .venv/bin/python benchmarks/admin_lists.py --runs 20

Seed first with `manage.py seed_demo --workers 1000000`. Each case is requested once to warm
caches, then `--runs` times; the table gives the median and 95th percentile wall time of the
whole request (view, queries, template) and the number of SQL queries it ran.
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
from workforce.models import Worker


def client_for(username: str, role: Role, region_code: str) -> Client:
    user, _created = staff_user_upsert(
        username=username, role=role, region=Region.objects.get(code=region_code)
    )
    client = Client()
    client.force_login(user)
    return client


def measure(
    client: Client, url: str, params: dict[str, str], runs: int
) -> tuple[float, float, int]:
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code)
    timings = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        queries = len(captured)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="only the cases whose label contains this")
    args = parser.parse_args()

    total = Worker.objects.count()
    sample = Worker.objects.filter(region__code__startswith="330381").order_by("pk").first()
    assert sample is not None, "seed the database first (seed_demo --workers N)"
    county_count = Worker.objects.filter(region__code__startswith="330381").count()
    changelist = reverse("admin:workforce_worker_changelist")
    honours = reverse("admin:workforce_honour_changelist")
    province = client_for("bench_province", Role.ADMIN, "330000")
    county = client_for("bench_county", Role.CLERK, "330381")
    cases = [
        ("province admin: worker list, page 1", province, changelist, {}),
        ("province admin: worker list, page 150", province, changelist, {"p": "150"}),
        ("province admin: name prefix", province, changelist, {"q": sample.name[:2]}),
        (
            "province admin: ID number prefix",
            province,
            changelist,
            {"q": sample.id_number[:14]},
        ),
        ("province admin: full ID number", province, changelist, {"q": sample.id_number}),
        (
            "province admin: filter courier",
            province,
            changelist,
            {"employment_form__exact": "courier"},
        ),
        ("province admin: region filter 瑞安市", province, changelist, {"region": "330381"}),
        ("province admin: honour list", province, honours, {}),
        ("county clerk: worker list, page 1", county, changelist, {}),
        ("county clerk: name prefix", county, changelist, {"q": sample.name[:2]}),
        (
            "county clerk: ID number prefix",
            county,
            changelist,
            {"q": sample.id_number[:14]},
        ),
        ("county clerk: filter union members", county, changelist, {"union_member__exact": "1"}),
    ]
    # The lists of records that belong to their worker's region (issue #16: scoped by a region
    # column of their own, not through the worker). 慈溪市 is the county whose certificates lie
    # furthest from the newest ones.
    cixi = client_for("bench_cixi_clerk", Role.CLERK, "330282")
    cixi_welfare = client_for("bench_cixi_welfare", Role.WELFARE, "330282")
    for name, url_name in (
        ("certificate list", "workforce_skillcertificate"),
        ("honour list", "workforce_honour"),
        ("enrolment list", "training_enrolment"),
        ("competition result list", "training_competitionresult"),
    ):
        cases.append((f"慈溪 clerk: {name}", cixi, reverse(f"admin:{url_name}_changelist"), {}))
    for name, url_name in (
        ("hardship case list", "welfare_hardshipcase"),
        ("grant list", "welfare_assistancegrant"),
    ):
        cases.append(
            (f"慈溪 welfare: {name}", cixi_welfare, reverse(f"admin:{url_name}_changelist"), {})
        )
    cases.append(
        (
            "province admin: certificate list",
            province,
            reverse("admin:workforce_skillcertificate_changelist"),
            {},
        )
    )
    only = args.only
    cases = [case for case in cases if not only or only in case[0]]
    print(f"workers: {total:,} (瑞安市 {county_count:,}); {connection.vendor}; runs: {args.runs}")
    print("| case | p50 ms | p95 ms | queries |")
    print("|---|---:|---:|---:|")
    for label, client, url, params in cases:
        p50, p95, queries = measure(client, url, params, args.runs)
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {queries} |")


if __name__ == "__main__":
    main()
