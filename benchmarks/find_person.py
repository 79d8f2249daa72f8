"""Time the 工作台 and the one box that finds a person, in process, against the configured
database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ledger_bench \
        .venv/bin/python benchmarks/find_person.py --runs 15

Seed first with `manage.py seed_demo --workers 1000000`. Each case is requested once to warm
caches (the workbench's figures come from the dashboard cache), then `--runs` times; the table
gives the median and 95th percentile wall time of the whole request (view, queries, template)
and the number of SQL queries it ran.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from admin_lists import client_for, measure  # the same client and timing as the list benchmark
from django.db import connection
from django.urls import reverse

from base.identity import mask_id_number
from base.roles import Role
from workforce.models import Worker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    total = Worker.objects.count()
    sample = (
        Worker.objects.filter(region__code__startswith="330381")
        .exclude(phone="")
        .order_by("pk")
        .first()
    )
    assert sample is not None, "seed the database first (seed_demo --workers N)"
    index, find = reverse("admin:index"), reverse("admin:find_person")
    province = client_for("bench_province", Role.ADMIN, "330000")
    county = client_for("bench_county", Role.CLERK, "330381")
    welfare = client_for("bench_welfare", Role.WELFARE, "330381")
    cases = [
        ("province admin: 工作台", province, index, {}),
        ("county clerk: 工作台", county, index, {}),
        ("county welfare officer: 工作台", welfare, index, {}),
        ("province admin: last four of an ID number", province, find, {"q": sample.id_last4}),
        ("province admin: last four of a phone number", province, find, {"q": sample.phone_last4}),
        ("province admin: name prefix (surname)", province, find, {"q": sample.name[:1]}),
        ("province admin: whole ID number", province, find, {"q": sample.id_number}),
        ("county clerk: last four of an ID number", county, find, {"q": sample.id_last4}),
        ("county clerk: name prefix (surname)", county, find, {"q": sample.name[:1]}),
        ("county clerk: whole name", county, find, {"q": sample.name}),
        ("county clerk: whole ID number", county, find, {"q": sample.id_number}),
        ("county clerk: masked ID as shown", county, find, {"q": mask_id_number(sample.id_number)}),
    ]
    print(f"workers: {total:,}; {connection.vendor}; runs: {args.runs}")
    print("| case | p50 ms | p95 ms | queries |")
    print("|---|---:|---:|---:|")
    for label, client, url, params in cases:
        p50, p95, queries = measure(client, url, params, args.runs)
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {queries} |")


if __name__ == "__main__":
    main()
