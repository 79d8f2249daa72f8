"""How dashboard numbers are written: 10.7万人次, 1.25亿元, 36.0% — as officials write them.

One rule for every page, card, table and report: a number is written in its indicator's unit,
in 万 or 亿 of that unit once the largest number it stands beside reaches 10,000 or 100,000,000.
A card's value and target stand together; a table column or a report column stands together, so
it picks one scale from its largest value and never mixes 元 with 万元.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from dashboards.catalogue import Indicator

WAN = Decimal(10_000)
YI = Decimal(100_000_000)


@dataclass(frozen=True)
class Scale:
    divisor: Decimal
    prefix: str  # "", 万 or 亿, written before the unit
    places: int  # decimals of a count at this scale (money keeps two at every scale)


ONES = Scale(Decimal(1), "", 0)
WANS = Scale(WAN, "万", 1)
YIS = Scale(YI, "亿", 2)


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def scale_for(values: Iterable[Any], kind: str) -> Scale:
    """The scale of numbers that stand together: picked from the largest of them."""
    if kind == "percent":
        return ONES
    largest = max((abs(Decimal(value)) for value in values if value is not None), default=0)
    if largest >= YI:
        return YIS
    if largest >= WAN:
        return WANS
    return ONES


def column_scales(data: dict[str, Any], indicators: Sequence[Indicator]) -> dict[str, Scale]:
    """The scale of each indicator's column of a sub-region table — the page's and the
    workbook's alike: picked from every row of the computed dashboard's `children` (本级
    included) and the region's own value, its 合计."""
    return {
        indicator.key: scale_for(
            [
                *(child["indicators"].get(indicator.key) for child in data["children"]),
                data["indicators"].get(indicator.key),
            ],
            indicator.kind,
        )
        for indicator in indicators
    }


def places(kind: str, scale: Scale) -> int:
    if kind == "money":
        return 2
    if kind == "percent":
        return 1
    return scale.places


def unit_label(kind: str, unit: str, scale: Scale = ONES) -> str:
    """The unit numbers at this scale are written in: 人, 万人次, 万元, %."""
    return unit if kind == "percent" else f"{scale.prefix}{unit}"


def scaled(value: Any, kind: str, scale: Scale = ONES) -> int | Decimal | None:
    """The number written in a report cell at this scale (its header names the unit)."""
    if value is None:
        return None
    number = _round(Decimal(value) / scale.divisor, places(kind, scale))
    return int(number) if places(kind, scale) == 0 else number


def display(value: Any, kind: str, unit: str, scale: Scale | None = None) -> str:
    """A number with its unit; without a scale, the number's own (it stands alone)."""
    if value is None:
        return "—"
    scale = scale or scale_for([value], kind)
    return f"{scaled(value, kind, scale)}{unit_label(kind, unit, scale)}"


def change(value: Any, previous: Any, kind: str, unit: str, scale: Scale | None = None) -> str:
    """同比: the change on the previous year with its sign (+12人, -0.35万元, +1.5个百分点)."""
    if value is None or previous is None:
        return "—"
    difference = Decimal(value) - Decimal(previous)
    scale = scale or scale_for([value, previous], kind)
    sign = "+" if difference > 0 else ""
    if kind == "percent":
        return f"{sign}{_round(difference, 1)}{_('percentage points')}"
    return f"{sign}{display(difference, kind, unit, scale)}"


def growth(value: Any, previous: Any) -> Decimal | None:
    """同比增长率 in percent (one decimal), or None when last year had nothing to grow from."""
    if value is None or previous in (None, 0):
        return None
    return _round((Decimal(value) - Decimal(previous)) * 100 / Decimal(previous), 1)


def completion(value: Any, target: Any) -> Decimal | None:
    """完成率 in percent (one decimal), or None without a target."""
    if target in (None, 0) or value is None:
        return None
    return _round(Decimal(value) * 100 / Decimal(target), 1)
