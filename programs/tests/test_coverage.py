"""产改覆盖 (docs/indicators.md): the 规上 enterprises that have started the reform and their
share, of all and of the private ones, and the towns with a 产改协调小组 — each number worked
out by hand from a small ledger, with the rules that keep a form, the admin and a sheet honest."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from base.models import Region
from dashboards import selectors
from programs.models import CoordinationGroup
from tests import factories
from tests.sheetfiles import import_rows
from workforce.models import Enterprise, Ownership, ReformStatus

pytestmark = pytest.mark.django_db

Y = 2024
COVERAGE_KEYS = (
    "above_scale_enterprises",
    "above_scale_reformed",
    "reform_coverage",
    "above_scale_private",
    "above_scale_private_reformed",
    "reform_coverage_private",
)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def values(code: str, year: int = Y) -> dict:
    return selectors.indicators_for(region(code), year)


def enterprise(
    where: Region,
    *,
    above_scale: bool = True,
    ownership: str = Ownership.NON_PUBLIC,
    status: str = ReformStatus.STARTED,
    started: datetime.date | None = None,
) -> Enterprise:
    return factories.build(
        Enterprise,
        where,
        above_scale=above_scale,
        ownership=ownership,
        reform_status=status,
        reform_started_on=started,
    )


@pytest.fixture
def ledger(ruian_towns):
    """瑞安 and its town 塘下, and one enterprise in 乐清 (the same city, another county)."""
    ruian, tangxia = region("330381"), ruian_towns["tangxia"]
    # A: private, started long ago — counted every year from 2021.
    enterprise(ruian, started=datetime.date(2021, 5, 1))
    # B: private pilot that started in the middle of Y — counted at the end of Y, not of Y-1.
    enterprise(tangxia, status=ReformStatus.PILOT, started=datetime.date(Y, 6, 15))
    # C: private, not started.
    enterprise(tangxia, status=ReformStatus.NOT_STARTED)
    # D: state-owned, started: in the reform, but not private.
    enterprise(ruian, ownership=Ownership.STATE, started=datetime.date(2022, 3, 1))
    # E: not above designated size: in no 规上 figure, whatever its status.
    enterprise(ruian, above_scale=False, started=datetime.date(2020, 1, 1))
    # F: private, starts on the first day after Y: counted from Y+1.
    enterprise(tangxia, started=datetime.date(Y + 1, 1, 1))
    # G: 乐清, outside 瑞安, inside 温州.
    enterprise(ruian_towns["yueqing_town"], started=datetime.date(2020, 9, 9))


def coverage(code: str, year: int = Y) -> dict:
    found = values(code, year)
    return {key: found[key] for key in COVERAGE_KEYS}


def test_coverage_counts_above_scale_enterprises_started_by_the_end_of_the_year(ledger):
    # 规上 in 瑞安: A, B, C, D, F = 5; started by 31 Dec 2024: A, B, D = 3 → 3/5 = 60.0 %.
    # 规上民营: A, B, C, F = 4; started: A, B = 2 → 50.0 %.
    assert coverage("330381") == {
        "above_scale_enterprises": 5,
        "above_scale_reformed": 3,
        "reform_coverage": Decimal("60.0"),
        "above_scale_private": 4,
        "above_scale_private_reformed": 2,
        "reform_coverage_private": Decimal("50.0"),
    }


def test_an_enterprise_that_started_in_the_middle_of_the_year_counts_from_that_year_on(ledger):
    # At the end of 2023 B (started 15 June 2024) had not started: A and D = 2 of 5 → 40.0 %;
    # of the private ones only A: 1 of 4 → 25.0 %.
    assert coverage("330381", Y - 1) == {
        "above_scale_enterprises": 5,
        "above_scale_reformed": 2,
        "reform_coverage": Decimal("40.0"),
        "above_scale_private": 4,
        "above_scale_private_reformed": 1,
        "reform_coverage_private": Decimal("25.0"),
    }
    # 2025: F too (1 January 2025) → A, B, D, F = 4 of 5 → 80.0 %; private A, B, F = 3 of 4.
    later = coverage("330381", Y + 1)
    assert (later["above_scale_reformed"], later["reform_coverage"]) == (4, Decimal("80.0"))
    assert later["reform_coverage_private"] == Decimal("75.0")


def test_the_town_counts_its_own_enterprises_and_the_city_adds_its_counties(ledger):
    # 塘下: B, C, F; started by the end of Y only B → 1 of 3 = 33.3 %.
    tangxia = coverage("330381101")
    assert (tangxia["above_scale_reformed"], tangxia["above_scale_enterprises"]) == (1, 3)
    assert tangxia["reform_coverage"] == Decimal("33.3")
    # 温州: 瑞安's 5 and 乐清's G → 4 of 6 = 66.7 %; private 3 of 5 = 60.0 % (a share of the
    # summed parts, not a sum of shares).
    wenzhou = coverage("330300")
    assert (wenzhou["above_scale_reformed"], wenzhou["above_scale_enterprises"]) == (4, 6)
    assert wenzhou["reform_coverage"] == Decimal("66.7")
    assert wenzhou["reform_coverage_private"] == Decimal("60.0")


def test_no_above_scale_enterprise_gives_a_coverage_of_zero(ruian_towns):
    enterprise(region("330381"), above_scale=False, started=datetime.date(2020, 1, 1))
    assert coverage("330381")["reform_coverage"] == Decimal("0.0")
    assert coverage("330381")["reform_coverage_private"] == Decimal("0.0")


@pytest.mark.parametrize("status", [ReformStatus.STARTED, ReformStatus.PILOT])
def test_a_started_enterprise_without_a_start_date_is_refused(status):
    record = Enterprise(name="某公司", region_id="330381", reform_status=status)
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert "reform_started_on" in refused.value.message_dict
    # The database refuses it too, whatever path skips the form.
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_an_enterprise_that_has_not_started_has_no_start_date():
    record = Enterprise(
        name="某公司", region_id="330381", reform_started_on=datetime.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert "reform_started_on" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_the_enterprises_sheet_reads_the_reform_status_as_offices_write_it(ruian_towns):
    header = ["单位名称", "所属地区", "是否规上", "是否开展产改", "产改开展时间"]
    good = [
        ["甲机械有限公司", "瑞安市", "是", "是", "2023年5月"],
        ["乙电器有限公司", "瑞安市", "是", "省级试点", "2024/6/15"],
        ["丙鞋业有限公司", "瑞安市", "是", "否", None],
    ]
    bad = [
        ["丁汽配有限公司", "瑞安市", "是", "已开展", None],
        ["戊包装有限公司", "瑞安市", "否", "未开展", "2022-01-01"],
    ]
    # Started without a date, and a date beside 未开展: both rows refused, each at the date
    # column as the sheet heads it; the sheet is all or nothing.
    report = import_rows("enterprises", [header, *good, *bad])
    assert [(error.row, error.column) for error in report.errors] == [
        (5, "产改开展时间"),
        (6, "产改开展时间"),
    ]
    assert not Enterprise.objects.exists()

    assert import_rows("enterprises", [header, *good]).errors == []
    stored = {e.name: (e.reform_status, e.reform_started_on) for e in Enterprise.objects.all()}
    assert stored == {
        "甲机械有限公司": (ReformStatus.STARTED, datetime.date(2023, 5, 1)),
        "乙电器有限公司": (ReformStatus.PILOT, datetime.date(2024, 6, 15)),
        "丙鞋业有限公司": (ReformStatus.NOT_STARTED, None),
    }


# --- 产改协调小组 ------------------------------------------------------------------------------


def group(where: Region, established: datetime.date, dissolved: datetime.date | None = None):
    record = CoordinationGroup(
        region=where, established_on=established, dissolved_on=dissolved, leader_name="王明"
    )
    record.full_clean()
    record.save()
    return record


@pytest.fixture
def groups(ruian_towns):
    # 塘下: set up in the middle of Y.
    group(ruian_towns["tangxia"], datetime.date(Y, 6, 1))
    # 安阳: a first group dissolved in September 2023, a second set up in February of Y.
    group(ruian_towns["anyang"], datetime.date(2020, 3, 1), datetime.date(2023, 9, 30))
    group(ruian_towns["anyang"], datetime.date(Y, 2, 1))
    # 乐清's 城东: outside 瑞安.
    group(ruian_towns["yueqing_town"], datetime.date(2021, 4, 1))
    return ruian_towns


def test_towns_with_a_group_in_place_at_the_end_of_the_year(groups):
    # End of 2024: 塘下 and 安阳 (its second group) = 2; 温州 adds 城东 = 3.
    assert values("330381")["towns_with_group"] == 2
    assert values("330300")["towns_with_group"] == 3
    # End of 2023: 安阳's first group was dissolved on 30 September, 塘下's not yet set up = 0.
    assert values("330381", Y - 1)["towns_with_group"] == 0
    # End of 2022: 安阳's first group = 1.
    assert values("330381", Y - 2)["towns_with_group"] == 1
    # A town on its own counts itself.
    assert values("330381101")["towns_with_group"] == 1


def test_a_town_has_one_group_in_place_at_a_time(groups):
    tangxia = groups["tangxia"]
    with pytest.raises(ValidationError):
        group(tangxia, datetime.date(Y, 9, 1))
    # A dissolved group whose dates overlap the one in place is refused too.
    with pytest.raises(ValidationError):
        group(tangxia, datetime.date(Y - 1, 1, 1), datetime.date(Y, 7, 1))
    # Before it, it is history: accepted.
    group(tangxia, datetime.date(2019, 1, 1), datetime.date(2021, 12, 31))
    # The database keeps the rule of one current group whatever path skips the form.
    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinationGroup.objects.create(region=tangxia, established_on=datetime.date(Y, 10, 1))


def test_a_group_belongs_to_a_town_and_is_dissolved_after_it_was_set_up(ruian_towns):
    with pytest.raises(ValidationError) as refused:
        group(region("330381"), datetime.date(Y, 1, 1))
    assert "region" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinationGroup.objects.create(region_id="330381", established_on=datetime.date(Y, 1, 1))
    with pytest.raises(ValidationError) as refused:
        group(ruian_towns["tangxia"], datetime.date(Y, 5, 1), datetime.date(Y, 4, 1))
    assert "dissolved_on" in refused.value.message_dict


def test_the_groups_sheet_takes_a_town_by_name_or_code(ruian_towns):
    header = ["序号", "乡镇(街道)", "成立时间", "组长", "职务", "成员单位数", "备注"]
    good = [
        [1, "瑞安市塘下镇", "2023年3月8日", "王明", "镇党委书记", "12家", None],
        [2, "330381001", "2022.5.1", "李华", "街道办事处主任", 9, "覆盖辖区规上企业"],
    ]
    # The county is no town: its row is refused at the town column, as the sheet heads it.
    report = import_rows("coordination-groups", [header, *good, [3, "瑞安市", "2022.5.1"]])
    assert [(error.row, error.column) for error in report.errors] == [(4, "乡镇(街道)")]

    assert import_rows("coordination-groups", [header, *good]).errors == []
    stored = {
        g.region_id: (g.established_on, g.leader_post, g.member_units)
        for g in CoordinationGroup.objects.all()
    }
    assert stored == {
        "330381101": (datetime.date(2023, 3, 8), "镇党委书记", 12),
        "330381001": (datetime.date(2022, 5, 1), "街道办事处主任", 9),
    }
