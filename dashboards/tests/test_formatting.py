"""Units from the catalogue: every indicator has a unit, a kind and a timing, and every number
is written in that unit — one scale for numbers that stand together, never 元 beside 万元."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dashboards.catalogue import INDICATORS, PRECISION, TIMINGS
from dashboards.formatting import (
    change,
    completion,
    display,
    growth,
    scale_for,
    scaled,
    unit_label,
)

UNITS = {"人", "人次", "个", "家", "家次", "项", "期", "场", "对", "件", "元", "%"}
# A small, a middling and a large number of each kind.
SAMPLES = {"count": (0, 37, 123_456), "money": (Decimal("3900.00"), Decimal("29100.50"), Decimal("256570000.00")), "percent": (Decimal("0.0"), Decimal("37.5"))}  # fmt: skip


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.key)
def test_every_indicator_has_a_unit_kind_timing_and_its_numbers_carry_the_unit(indicator):
    unit = str(indicator.unit)
    assert unit in UNITS, indicator.key
    assert indicator.kind in PRECISION and indicator.timing in TIMINGS
    assert (unit == "元") == (indicator.kind == "money")
    assert (unit == "%") == (indicator.kind == "percent")
    for value in SAMPLES[indicator.kind]:
        shown = display(value, indicator.kind, unit)
        assert shown.endswith(unit), (indicator.key, shown)
        assert shown.removesuffix(unit).rstrip("万亿").replace(".", "").isdigit()


def test_the_units_the_issue_found_contradicting_are_the_catalogues():
    units = {indicator.key: str(indicator.unit) for indicator in INDICATORS}
    assert units["training_sessions"] == "期"
    assert units["competitions"] == "场"
    assert units["service_visits"] == "场"
    assert units["service_enterprises"] == "家次"
    assert units["dispatches_received"] == "件"
    assert units["workers"] == "人"


def test_a_count_target_is_a_whole_number_in_the_indicators_unit():
    assert display(Decimal("4.00"), "count", "场") == "4场"
    assert scaled(Decimal("4.00"), "count") == 4 and isinstance(scaled(4, "count"), int)


def test_money_is_written_in_yuan_wan_or_yi_by_its_size():
    assert display(Decimal("3900"), "money", "元") == "3900.00元"
    assert display(Decimal("2565700"), "money", "元") == "256.57万元"
    assert display(Decimal("125000000"), "money", "元") == "1.25亿元"
    assert display(12_345, "count", "人次") == "1.2万人次"


def test_a_column_picks_one_unit_from_its_largest_value():
    column = [Decimal("3900.00"), Decimal("29100.00"), None]
    scale = scale_for(column, "money")
    assert [display(value, "money", "元", scale) for value in column] == [
        "0.39万元",
        "2.91万元",
        "—",
    ]
    assert unit_label("money", "元", scale) == "万元"
    assert scaled(Decimal("3900.00"), "money", scale) == Decimal("0.39")
    assert unit_label("percent", "%", scale_for([Decimal("99999")], "percent")) == "%"


def test_year_on_year_change_has_a_sign_and_shares_change_in_points():
    assert change(38, 35, "count", "人") == "+3人"
    assert change(30, 35, "count", "人") == "-5人"
    assert change(Decimal("40.0"), Decimal("37.5"), "percent", "%") == "+2.5个百分点"
    assert change(None, 3, "count", "人") == "—"
    assert growth(38, 35) == Decimal("8.6")
    assert growth(5, 0) is None


def test_completion_is_one_decimal_and_none_without_a_target():
    assert completion(4, 8) == Decimal("50.0")
    assert completion(4, None) is None and completion(4, 0) is None
