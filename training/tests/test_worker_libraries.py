"""职工书屋 (docs/indicators.md, welfare): worker libraries open at the end of the year in the
region, by demonstration title (the four parts add up to all); and the one-host and the
host's-region rules every path asks."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from base.models import Region
from base.roles import Role
from dashboards import dashboard, selectors
from tests import factories
from training.models import LibraryLevel, WorkerLibrary
from training.services import worker_library_create
from workforce.models import Enterprise, UnionKind, UnionOrganisation

pytestmark = pytest.mark.django_db

Y = 2024
KEYS = (
    "worker_libraries",
    "worker_libraries_national",
    "worker_libraries_provincial",
    "worker_libraries_city",
    "worker_libraries_other",
)
PINGHU, HAINING, JIAXING, PROVINCE = "330482", "330481", "330400", "330000"
CAOQIAO = "330482005"

SERIALS = itertools.count(1)


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


def enterprise(code: str, name: str) -> Enterprise:
    return factories.build(
        Enterprise,
        Region.objects.get(code=code),
        name=name,
        credit_code=factories.valid_credit_code(code, next(SERIALS)),
    )


def union(code: str, name: str) -> UnionOrganisation:
    return UnionOrganisation.objects.create(
        name=name, kind=UnionKind.GRASSROOTS, region=Region.objects.get(code=code)
    )


def library(name: str, host, opened: datetime.date, level: str = "", books: int = 2000):
    hosts = {"host_enterprise": host} if isinstance(host, Enterprise) else {"host_union": host}
    return WorkerLibrary.objects.create(
        name=name,
        region_id=host.region_id,
        level=level,
        books_count=books,
        opened_on=opened,
        **hosts,
    )


@pytest.fixture
def ledger():
    """平湖: 曹桥街道 5G智汇谷's library (provincial), an enterprise's national one, a city one
    opened on 31 December Y, two without a title (one opened on 1 January Y+1); 海宁: one
    national library hosted by a union."""
    factories.town(CAOQIAO, "曹桥街道")
    park_union = union(CAOQIAO, "曹桥街道5G智汇谷联合工会")
    library("曹桥街道5G智汇谷职工书屋", park_union, d(2022, 6, 1), LibraryLevel.PROVINCIAL)
    library(
        "平湖甲光电职工书屋",
        enterprise(PINGHU, "平湖甲光电有限公司"),
        d(2019, 4, 23),
        LibraryLevel.NATIONAL,
        books=5000,
    )
    library(
        "平湖乙物流职工书屋",
        enterprise(CAOQIAO, "平湖乙物流有限公司"),
        d(2024, 12, 31),
        LibraryLevel.CITY,
    )
    library("平湖丙服饰职工书屋", enterprise(PINGHU, "平湖丙服饰有限公司"), d(2023, 3, 1))
    library("平湖丁机械职工书屋", enterprise(PINGHU, "平湖丁机械有限公司"), d(2025, 1, 1))
    library(
        "海宁市总工会职工书屋",
        union(HAINING, "海宁市经编工会"),
        d(2020, 5, 1),
        LibraryLevel.NATIONAL,
    )
    return {"park_union": park_union}


def figures(code: str, year: int = Y) -> dict[str, object]:
    values = selectors.indicators_for(Region.objects.get(code=code), year)
    return {key: values[key] for key in KEYS}


def test_a_countys_libraries_open_at_the_end_of_the_year_by_title(ledger):
    # 平湖 at 31 December Y: 智汇谷 (provincial), 甲 (national), 乙 (city, opened that very day),
    # 丙 (none) = 4; 丁 opens on 1 January Y+1.
    assert figures(PINGHU) == {
        "worker_libraries": 4,
        "worker_libraries_national": 1,
        "worker_libraries_provincial": 1,
        "worker_libraries_city": 1,
        "worker_libraries_other": 1,
    }
    # 曹桥 alone: 智汇谷's and 乙's libraries, both hosted in the town.
    assert figures(CAOQIAO) == {
        "worker_libraries": 2,
        "worker_libraries_national": 0,
        "worker_libraries_provincial": 1,
        "worker_libraries_city": 1,
        "worker_libraries_other": 0,
    }


def test_the_city_and_the_province_add_up_their_counties(ledger):
    # 嘉兴 = 平湖 4 + 海宁 1 (national).
    expected = {
        "worker_libraries": 5,
        "worker_libraries_national": 2,
        "worker_libraries_provincial": 1,
        "worker_libraries_city": 1,
        "worker_libraries_other": 1,
    }
    assert figures(JIAXING) == expected
    assert figures(PROVINCE) == expected
    rows = dashboard.build(Region.objects.get(code=JIAXING), Y)["children"]
    for key in KEYS:
        assert sum(row["indicators"][key] for row in rows) == expected[key], key


def test_the_years_before_and_after(ledger):
    # End of Y-1 in 平湖: 智汇谷, 甲 and 丙 (乙 opens in Y) = 3.
    assert figures(PINGHU, Y - 1) == {
        "worker_libraries": 3,
        "worker_libraries_national": 1,
        "worker_libraries_provincial": 1,
        "worker_libraries_city": 0,
        "worker_libraries_other": 1,
    }
    # End of Y+1: 丁 too, without a title: 5, of which 2 without.
    assert figures(PINGHU, Y + 1)["worker_libraries"] == 5
    assert figures(PINGHU, Y + 1)["worker_libraries_other"] == 2


def test_a_library_has_one_host_of_the_two():
    pinghu = Region.objects.get(code=PINGHU)
    neither = WorkerLibrary(name="无", region=pinghu, opened_on=d(2024, 1, 1))
    with pytest.raises(ValidationError):
        neither.full_clean()
    both = WorkerLibrary(
        name="双",
        region=pinghu,
        opened_on=d(2024, 1, 1),
        host_enterprise=enterprise(PINGHU, "平湖戊有限公司"),
        host_union=union(PINGHU, "平湖戊工会"),
    )
    with pytest.raises(ValidationError) as error:
        both.full_clean()
    assert "host_enterprise" in error.value.message_dict


def test_a_library_lies_in_the_region_of_its_host(ledger):
    # In the park's union's town (its own region) or a region holding it (平湖), not in 海宁.
    for code, fits in ((CAOQIAO, True), (PINGHU, True), (HAINING, False)):
        record = WorkerLibrary(
            name=f"智汇谷二号书屋{code}",
            region=Region.objects.get(code=code),
            host_union=ledger["park_union"],
            opened_on=d(2024, 5, 1),
        )
        if fits:
            record.full_clean()
        else:
            with pytest.raises(ValidationError) as error:
                record.full_clean()
            assert "region" in error.value.message_dict


def test_a_county_clerk_records_a_library_of_a_host_in_their_county(ledger):
    clerk = factories.staff("ph-clerk", Role.CLERK, PINGHU)
    made = worker_library_create(
        user=clerk,
        name="智汇谷二号书屋",
        host_union=ledger["park_union"],
        opened_on=d(2024, 5, 1),
        books_count=1200,
    )
    assert made.region_id == CAOQIAO
    assert figures(PINGHU)["worker_libraries"] == 5
    outsider = union(HAINING, "海宁某工会")
    with pytest.raises(PermissionDenied):
        worker_library_create(
            user=clerk, name="海宁书屋", host_union=outsider, opened_on=d(2024, 5, 1)
        )


# --- the worker-libraries sheet -----------------------------------------------------------------


def test_a_library_list_imports_with_its_aliases_and_hosts(ledger):
    from sheets.services import sheet_import
    from tests.sheetfiles import xlsx

    clerk = factories.staff("ph-clerk", Role.CLERK, PINGHU)
    host = Enterprise.objects.get(name="平湖丙服饰有限公司")
    rows = [
        ["序号", "职工书屋名称", "地区", "所在企业", "信用代码", "所在工会", "级别", "藏书量", "挂牌日期"],
        [1, "丙服饰二号书屋", "平湖市", "平湖丙服饰有限公司", host.credit_code, "", "市级", "3,000", "2024.5.1"],
        [2, "智汇谷驿站书屋", "平湖市曹桥街道", "", "", "曹桥街道5G智汇谷联合工会", "", 800, "2024年6月1日"],
        [3, "平湖新建企业书屋", "平湖市", "平湖戊新材料有限公司", "", "", "全国示范", 5000, "2025-03-01"],
        [4, "两家共建书屋", "平湖市", "平湖丙服饰有限公司", "", "曹桥街道5G智汇谷联合工会", "", 100, "2024-01-01"],
    ]  # fmt: skip
    report, _changes = sheet_import(
        resource_name="worker-libraries", data=xlsx(rows), file_name="职工书屋.xlsx", user=clerk,
        dry_run=False,
    )  # fmt: skip
    # Row 5 names both hosts: refused, named by the column as the sheet heads it; the others
    # wait for it (an import is all or nothing), so the sheet goes in again without it.
    assert [(error.row, error.column) for error in report.errors] == [(5, "所在企业")]
    report, _changes = sheet_import(
        resource_name="worker-libraries", data=xlsx(rows[:-1]), file_name="职工书屋.xlsx",
        user=clerk, dry_run=False,
    )  # fmt: skip
    assert not report.errors, report.errors
    made = {
        library.name: (library.region_id, library.host, library.level, library.books_count)
        for library in WorkerLibrary.objects.filter(
            name__in=("丙服饰二号书屋", "智汇谷驿站书屋", "平湖新建企业书屋", "两家共建书屋")
        )
    }
    assert made == {
        "丙服饰二号书屋": (PINGHU, host, LibraryLevel.CITY, 3000),
        "智汇谷驿站书屋": (CAOQIAO, ledger["park_union"], "", 800),
        # An enterprise not on record is added in the library's region.
        "平湖新建企业书屋": (
            PINGHU,
            Enterprise.objects.get(name="平湖戊新材料有限公司"),
            LibraryLevel.NATIONAL,
            5000,
        ),
    }
    # 平湖 at the end of Y: 4 + 丙服饰二号 (city) + 智汇谷驿站 (none) = 6; the new enterprise's
    # national library opens in Y+1.
    assert figures(PINGHU) == {
        "worker_libraries": 6,
        "worker_libraries_national": 1,
        "worker_libraries_provincial": 1,
        "worker_libraries_city": 2,
        "worker_libraries_other": 2,
    }
