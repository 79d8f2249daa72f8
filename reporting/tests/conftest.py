"""The people of the reporting tests: admins of 温州市 (two), 瑞安市 and 乐清市 and the province,
and a clerk and a viewer of 瑞安市, each with a full name (a report is signed with it)."""

from __future__ import annotations

from typing import Any

import pytest

from base.roles import Role
from tests.factories import named_staff

PROVINCE, CITY, COUNTY, OTHER_COUNTY = "330000", "330300", "330381", "330382"


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    return {
        "city": named_staff("wz_admin", Role.ADMIN, CITY, "周建国"),
        "city2": named_staff("wz_admin2", Role.ADMIN, CITY, "陈海燕"),
        "county": named_staff("ra_admin", Role.ADMIN, COUNTY, "林晓东"),
        "clerk": named_staff("ra_clerk", Role.CLERK, COUNTY, "王丽"),
        "viewer": named_staff("ra_viewer", Role.VIEWER, COUNTY, "张强"),
        "other": named_staff("yq_admin", Role.ADMIN, OTHER_COUNTY, "吴敏"),
        "province": named_staff("zj_admin", Role.ADMIN, PROVINCE, "郑宏"),
    }
