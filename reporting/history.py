"""The figures of past years as they were reported: for each region, the time-point figures
(时点数) of its approved annual submissions, which a past year's dashboard shows in place of
counting today's records (docs/indicators.md, "Figures of past years").

Why a stock is taken from the report and a flow is not: a 时点数 is the register as it stood on
31 December, and the records of that day are not kept — a worker who left in March of the next
year and was then deleted, or a registration date typed in later, moves the count of a year
that was reported, approved and filed long ago. The approved report is the number the region
answered for. A 时期数 is counted from dated events that stay put, so it stays live.

Imports only the reporting models, the catalogue and base: dashboards.dashboard imports this
module, and reporting.selectors imports dashboards.dashboard (tests/test_layers.py forbids the
cycle)."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from dashboards.catalogue import BY_KEY, INDICATORS
from reporting.models import Figure, PeriodKind, Status

Number = int | Decimal

# The figures a report may stand in for: 时点数 counted from records. A share is not taken as
# reported but recomputed from its parts by the caller (dashboards.selectors.finish), so that
# a share never disagrees with the two figures it divides.
POINT_KEYS: tuple[str, ...] = tuple(
    indicator.key
    for indicator in INDICATORS
    if indicator.timing == "point" and indicator.ratio is None
)


@dataclass(frozen=True)
class Report:
    """Which approved report a figure was taken from: its round's name and the day approved."""

    round: str
    approved_on: datetime.date
    # The figure it was taken from, and the table of the records it froze ("" when none were:
    # a card links to exactly those records, reporting.selectors.records_url).
    figure: int = 0
    records_model: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "round": self.round,
            "approved_on": self.approved_on,
            "figure": self.figure,
            "records_model": self.records_model,
        }


@dataclass(frozen=True)
class Reported:
    """One region's reported figures for a year: the value of each key and its report."""

    values: dict[str, Number]
    reports: dict[str, Report]


def as_number(key: str, value: Decimal) -> Number:
    """A stored value (Decimal, two places) in its indicator's shape: a count as int, money to
    the fen and a share to one decimal, as the dashboards compute them."""
    indicator = BY_KEY.get(key)
    if indicator is not None and indicator.kind == "count":
        return int(value)
    # A key no longer in the catalogue keeps the two places it was stored with.
    return value.quantize(Decimal(1).scaleb(-(indicator.precision if indicator else 2)))


def approved_figures(codes: Collection[str], year: int) -> dict[str, Reported]:
    """{region code: its reported figures} for the regions `codes` and `year`: for each
    time-point key, the value in the latest approved (by reviewed_at) submission of the region
    to an annual round of that year whose indicators include the key. A region without any
    approved annual submission of the year is absent. One query."""
    return approved_figures_by_year(codes, [year]).get(year, {})


def approved_figures_by_year(
    codes: Collection[str], years: Collection[int]
) -> dict[int, dict[str, Reported]]:
    """`approved_figures` for several years at once, {year: {region code: figures}}: one query
    (a dashboard's year and the year before, for 同比)."""
    if not codes or not years:
        return {}
    rows = (
        Figure.objects.filter(
            submission__region_id__in=list(codes),
            submission__status=Status.APPROVED,
            submission__round__year__in=list(years),
            submission__round__kind=PeriodKind.ANNUAL,
            key__in=POINT_KEYS,
            value__isnull=False,
        )
        # Oldest approval first: a later one overwrites the key below.
        .order_by("submission__reviewed_at", "submission_id")
        .values_list(
            "submission__round__year",
            "submission__region_id",
            "key",
            "value",
            "submission__round__name",
            "submission__reviewed_at",
            "pk",
            "records_model",
            "records_count",
        )
    )
    values: dict[tuple[int, str], dict[str, Number]] = {}
    reports: dict[tuple[int, str], dict[str, Report]] = {}
    for year, code, key, value, name, reviewed_at, pk, records_model, records_count in rows:
        if value is None:  # filtered out above; the column is nullable for open reports
            continue
        values.setdefault((year, code), {})[key] = as_number(key, value)
        reports.setdefault((year, code), {})[key] = Report(
            round=name,
            approved_on=timezone.localdate(reviewed_at),
            figure=pk,
            records_model=records_model if records_count is not None else "",
        )
    found: dict[int, dict[str, Reported]] = {}
    for (year, code), figures in values.items():
        found.setdefault(year, {})[code] = Reported(figures, reports[(year, code)])
    return found
