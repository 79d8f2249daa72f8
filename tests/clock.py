"""A clock that stands still, for tests whose expectations name today's date or year.

The application asks `django.utils.timezone.now()` (directly or through `localdate()`) what time
it is. A test that computes "this year" itself and then asks a page for "this year" disagrees
with the page when midnight — or New Year's Eve in Asia/Shanghai — falls between the two, so such
tests fix the clock instead. Patching the module attribute is enough: the application always
calls `timezone.now`/`timezone.localdate` through the module, never an imported copy.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.utils import timezone

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A working day well inside a year, long after every fixed date the tests' records carry.
A_WORKING_DAY = datetime.datetime(2025, 6, 30, 10, 0, tzinfo=SHANGHAI)


def freeze(monkeypatch: pytest.MonkeyPatch, at: datetime.datetime) -> datetime.datetime:
    """Make `timezone.now()` return `at` (and `timezone.localdate()` its date) for the rest of
    the test."""
    monkeypatch.setattr(timezone, "now", lambda: at)
    return at
