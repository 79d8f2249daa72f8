"""The demo's reporting rounds, made through the services as the demo accounts would: last
year's annual report of the province, which 瑞安市 filed and 温州市 approved (the 2025 dashboard
shows its 时点数 from it), and this year's half-year round of 温州市, open, with a 说明 written."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from base.models import Region
from reporting import services
from reporting.models import PeriodKind, Submission

# The figures a union's 年报 asks most (docs/indicators.md).
ANNUAL_KEYS = (
    "workers",
    "union_members",
    "skilled_workers",
    "high_skilled_workers",
    "high_skilled_share",
    "craftsmen",
    "studios",
    "training_sessions",
    "training_participants",
    "stations",
    "hardship_open",
    "assistance_amount",
)


def seed_rounds() -> int:
    """Open the demo rounds; returns how many reports they hold."""
    users = get_user_model().objects.in_bulk(
        ["zj_admin", "wz_admin", "ra_admin", "ra_clerk"], field_name="username"
    )
    today = timezone.localdate()
    province = Region.objects.get(code="330000")
    city = Region.objects.get(code="330300")
    keys = list(ANNUAL_KEYS)
    annual = services.round_open(
        by=users["zj_admin"],
        region=province,
        name=f"{today.year - 1}年度产改工作统计年报",
        year=today.year - 1,
        kind=PeriodKind.ANNUAL,
        part=1,
        indicators=keys,
        due_on=today + datetime.timedelta(days=7),
    )
    ruian = Submission.objects.get(round=annual, region="330381")
    ruian = services.submission_submit(
        by=users["ra_admin"], submission=ruian, version=ruian.version, head="张伟民"
    )
    services.submission_approve(
        by=users["wz_admin"], submission=ruian, version=ruian.version, comment="数据已核"
    )
    half = services.round_open(
        by=users["wz_admin"],
        region=city,
        name=f"{today.year}年上半年产改工作统计",
        year=today.year,
        kind=PeriodKind.HALF,
        part=1,
        indicators=keys[:6],
        due_on=today + datetime.timedelta(days=14),
    )
    draft = Submission.objects.get(round=half, region="330381")
    services.figure_note(
        by=users["ra_clerk"],
        submission=draft,
        key="workers",
        note="含塘下镇汽摩配园区新入职职工",
    )
    return annual.submissions.count() + half.submissions.count()
