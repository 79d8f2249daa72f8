"""Numbers read from a query string: one parser for every filter, page and dashboard.

`str.isdigit` accepts "²" and "٣" and `int` accepts " 12", "+5" and "1_000"; a year of twenty
digits overflows the database's integer. Every number a URL carries therefore goes through
`query_int`: ASCII digits only, within a range the caller states, or nothing at all — never an
exception, so no address a user can type answers 500.
"""

from __future__ import annotations

from typing import Any

from base.validators import YEAR_RANGE

# Primary keys are 64-bit integers on PostgreSQL.
MAX_KEY = 2**63 - 1


def query_int(raw: Any, *, low: int, high: int) -> int | None:
    """`raw` as an int when it is 1–len(str(high)) ASCII digits within [low, high], else None.

    A list (a repeated parameter, as `QueryDict.getlist` or an admin filter gives it) counts by
    its last value, as Django does.
    """
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else None
    if not isinstance(raw, str) or not raw or len(raw) > len(str(high)):
        return None
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def query_year(raw: Any) -> int | None:
    """A calendar year from a query string, or None."""
    return query_int(raw, low=YEAR_RANGE[0], high=YEAR_RANGE[1])
