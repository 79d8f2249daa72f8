"""How dashboard numbers are written: 10.7万人次, 1.25亿元, 36.0% — as officials write them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def _round(value: Decimal, places: str) -> str:
    return str(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def display(value: Any, kind: str, unit: str) -> str:
    """A number with its unit, large ones in 万 or 亿."""
    if value is None:
        return "—"
    number = Decimal(value)
    if kind == "percent":
        return f"{_round(number, '0.1')}%"
    if kind == "money":
        if abs(number) >= YI:
            return f"{_round(number / YI, '0.01')}亿元"
        if abs(number) >= WAN:
            return f"{_round(number / WAN, '0.01')}万元"
        return f"{_round(number, '0.01')}元"
    if abs(number) >= WAN:
        return f"{_round(number / WAN, '0.1')}万{unit}"
    return f"{int(number)}{unit}"


def completion(value: Any, target: Any) -> Decimal | None:
    """完成率 in percent (one decimal), or None without a target."""
    if target in (None, 0) or value is None:
        return None
    return (Decimal(value) * 100 / Decimal(target)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
