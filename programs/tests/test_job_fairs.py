"""春风行动 (docs/indicators.md, welfare): job fairs held in the year in the region of the union
that holds them, the enterprises at them (家次), the positions they offered, the job seekers who
came and the hires agreed; and the rules every path asks (the model's clean and constraints,
the services)."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from base.models import Region
from base.roles import Role
from dashboards import dashboard, selectors
from programs.models import JobFair, JobFairEnterprise
from programs.services import job_fair_create, job_fair_enterprise_add
from tests import factories
from workforce.models import Enterprise, UnionKind, UnionOrganisation

pytestmark = pytest.mark.django_db

Y = 2023
KEYS = (
    "job_fairs",
    "job_fair_enterprises",
    "job_fair_positions",
    "job_fair_seekers",
    "job_fair_hires",
)
YIWU, DONGYANG, JINHUA, PROVINCE = "330782", "330783", "330700", "330000"
CHOUCHENG = "330782001"

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
        name=name, kind=UnionKind.FEDERATION, region=Region.objects.get(code=code)
    )


def fair(name: str, code: str, held: datetime.date, seekers: int, **extra) -> JobFair:
    extra.setdefault("organiser", "总工会")
    return JobFair.objects.create(
        name=name,
        region=Region.objects.get(code=code),
        held_on=held,
        seekers_count=seekers,
        **extra,
    )


def at(of: JobFair, who: Enterprise, positions: int, hires: int) -> JobFairEnterprise:
    return JobFairEnterprise.objects.create(
        fair=of, enterprise=who, positions_count=positions, hires_count=hires
    )


@pytest.fixture
def ledger():
    """义乌's 春风行动 of Y at the 人力资源产业园 and online on 31 December, a 稠城 town fair,
    a fair on 31 December Y-1 and another on 1 January Y+1; one fair in 东阳."""
    factories.town(CHOUCHENG, "稠城街道")
    federation = union(YIWU, "义乌市总工会")
    choucheng_union = union(CHOUCHENG, "稠城街道总工会")
    logistics = enterprise(YIWU, "义乌甲快递物流有限公司")
    knitting = enterprise(YIWU, "义乌乙针织服饰有限公司")
    hotel = enterprise(CHOUCHENG, "义乌丙酒店管理有限公司")
    dongyang = enterprise(DONGYANG, "东阳丁红木家具有限公司")

    spring = fair(
        "义乌工会2023年春风行动暨就业服务月招聘会",
        YIWU,
        d(2023, 2, 3),
        3000,
        organiser_union=federation,
        organiser="",
        venue="义乌市人力资源产业园",
    )
    at(spring, logistics, 120, 35)
    at(spring, knitting, 80, 20)
    at(spring, hotel, 50, 10)  # a town's enterprise at the county's fair
    online = fair("义乌工会直播带岗专场", YIWU, d(2023, 12, 31), 500, online=True)
    at(online, logistics, 30, 5)  # its second fair of the year: counted again (家次)
    town_fair = fair(
        "稠城街道春风行动招聘会",
        CHOUCHENG,
        d(2023, 3, 10),
        400,
        organiser_union=choucheng_union,
        organiser="",
    )
    at(town_fair, hotel, 60, 12)
    before = fair("义乌工会2022年岁末招聘会", YIWU, d(2022, 12, 31), 999)
    at(before, knitting, 100, 50)
    fair("义乌工会2024年新春招聘会", YIWU, d(2024, 1, 1), 777)
    east = fair("东阳市春风行动招聘会", DONGYANG, d(2023, 5, 1), 200)
    at(east, dongyang, 40, 8)
    return {"spring": spring, "federation": federation, "dongyang": dongyang, "hotel": hotel}


def figures(code: str, year: int = Y) -> dict[str, object]:
    values = selectors.indicators_for(Region.objects.get(code=code), year)
    return {key: values[key] for key in KEYS}


def test_a_countys_fairs_of_the_year_with_its_towns(ledger):
    # 义乌 in Y: the spring fair, the online fair of 31 December and 稠城's fair = 3 (the fairs
    # of 31 December Y-1 and 1 January Y+1 are not in Y). Enterprises: 3 + 1 + 1 = 5 家次.
    # Positions 120 + 80 + 50 + 30 + 60 = 340; seekers 3000 + 500 + 400 = 3900;
    # hires 35 + 20 + 10 + 5 + 12 = 82.
    assert figures(YIWU) == {
        "job_fairs": 3,
        "job_fair_enterprises": 5,
        "job_fair_positions": 340,
        "job_fair_seekers": 3900,
        "job_fair_hires": 82,
    }
    # 稠城 alone: its own fair only; the county's fair its hotel went to counts in 义乌.
    assert figures(CHOUCHENG) == {
        "job_fairs": 1,
        "job_fair_enterprises": 1,
        "job_fair_positions": 60,
        "job_fair_seekers": 400,
        "job_fair_hires": 12,
    }


def test_the_city_and_the_province_add_up_their_counties(ledger):
    # 金华 = 义乌 + 东阳: fairs 3 + 1, enterprises 5 + 1, positions 340 + 40, seekers
    # 3900 + 200, hires 82 + 8.
    expected = {
        "job_fairs": 4,
        "job_fair_enterprises": 6,
        "job_fair_positions": 380,
        "job_fair_seekers": 4100,
        "job_fair_hires": 90,
    }
    assert figures(JINHUA) == expected
    assert figures(PROVINCE) == expected
    rows = dashboard.build(Region.objects.get(code=JINHUA), Y)["children"]
    for key in KEYS:
        assert sum(row["indicators"][key] for row in rows) == expected[key], key


def test_the_years_before_and_after(ledger):
    # Y-1: the fair of 31 December with 乙 (100 positions, 50 hires, 999 seekers).
    assert figures(YIWU, Y - 1) == {
        "job_fairs": 1,
        "job_fair_enterprises": 1,
        "job_fair_positions": 100,
        "job_fair_seekers": 999,
        "job_fair_hires": 50,
    }
    # Y+1: the fair of 1 January, no enterprise listed yet.
    assert figures(YIWU, Y + 1) == {
        "job_fairs": 1,
        "job_fair_enterprises": 0,
        "job_fair_positions": 0,
        "job_fair_seekers": 777,
        "job_fair_hires": 0,
    }


def test_a_fair_moved_to_another_day_takes_its_enterprises_with_it(ledger):
    spring = ledger["spring"]
    spring.held_on = d(2024, 2, 3)
    spring.save()
    # 义乌 in Y loses the spring fair, its 3 enterprises, 250 positions, 3000 seekers, 65 hires.
    assert figures(YIWU) == {
        "job_fairs": 2,
        "job_fair_enterprises": 2,
        "job_fair_positions": 90,
        "job_fair_seekers": 900,
        "job_fair_hires": 17,
    }


def test_a_fair_is_kept_in_the_region_of_the_union_that_holds_it(ledger):
    clerk = factories.staff("yw-clerk", Role.CLERK, YIWU)
    held = job_fair_create(
        user=clerk,
        name="义乌工会秋季招聘会",
        held_on=d(2023, 9, 1),
        organiser_union=ledger["federation"],
        seekers_count=600,
    )
    assert held.region_id == YIWU
    elsewhere = JobFair(
        name="错配",
        region=Region.objects.get(code=DONGYANG),
        held_on=d(2023, 9, 2),
        organiser_union=ledger["federation"],
    )
    with pytest.raises(ValidationError) as error:
        elsewhere.full_clean()
    assert "region" in error.value.message_dict


def test_a_fair_names_who_held_it():
    nobody = JobFair(name="无主办", region=Region.objects.get(code=YIWU), held_on=d(2023, 4, 1))
    with pytest.raises(ValidationError) as error:
        nobody.full_clean()
    assert "organiser" in error.value.message_dict


def test_an_enterprise_at_a_fair_lies_within_the_fairs_region(ledger):
    town_fair = JobFair.objects.get(name="稠城街道春风行动招聘会")
    county_enterprise = JobFairEnterprise(
        fair=town_fair, enterprise=enterprise(YIWU, "义乌戊有限公司"), positions_count=5
    )
    with pytest.raises(ValidationError) as error:
        county_enterprise.full_clean()
    assert "enterprise" in error.value.message_dict
    # The city's clerk, whose scope holds 东阳, still cannot list 东阳's enterprise at 义乌's fair.
    city_clerk = factories.staff("jh-clerk", Role.CLERK, JINHUA)
    with pytest.raises(ValidationError):
        job_fair_enterprise_add(
            user=city_clerk, fair=ledger["spring"], enterprise=ledger["dongyang"]
        )


def test_an_enterprise_is_listed_at_a_fair_once(ledger):
    twice = JobFairEnterprise(fair=ledger["spring"], enterprise=ledger["hotel"])
    with pytest.raises(ValidationError):
        twice.full_clean()


def test_a_county_clerk_records_fairs_and_enterprises_of_their_county_only(ledger):
    clerk = factories.staff("dy-clerk", Role.CLERK, DONGYANG)
    with pytest.raises(PermissionDenied):
        job_fair_create(
            user=clerk,
            name="义乌某招聘会",
            region=Region.objects.get(code=YIWU),
            held_on=d(2023, 6, 1),
            organiser="义乌市总工会",
        )
    own = job_fair_create(
        user=clerk,
        name="东阳市夏季招聘会",
        region=Region.objects.get(code=DONGYANG),
        held_on=d(2023, 6, 1),
        organiser="东阳市总工会",
        seekers_count=150,
    )
    with pytest.raises(PermissionDenied):
        job_fair_enterprise_add(user=clerk, fair=own, enterprise=ledger["hotel"])
    row = job_fair_enterprise_add(
        user=clerk, fair=own, enterprise=ledger["dongyang"], positions_count=12, hires_count=3
    )
    assert row.region_id == DONGYANG
    assert figures(DONGYANG)["job_fair_positions"] == 40 + 12


# --- the job-fairs and job-fair-enterprises sheets ---------------------------------------------


def test_a_fair_list_and_its_sign_up_list_import_with_their_aliases(ledger):
    from sheets.services import sheet_import
    from tests.sheetfiles import xlsx

    clerk = factories.staff("yw-clerk", Role.CLERK, YIWU)
    fairs = [
        ["序号", "活动名称", "日期", "地区", "举办工会", "主办方", "地点", "形式", "进场求职人数"],
        [1, "义乌工会2023年秋季招聘会", "2023年9月8日", "义乌市", "义乌市总工会", "", "义乌市人力资源市场", "现场", "1,200"],
        [2, "义乌工会2023年直播带岗", "2023.10.1", "义乌", "", "义乌市总工会、义乌市人力社保局", "", "直播带岗", "300人"],
    ]  # fmt: skip
    report, _changes = sheet_import(
        resource_name="job-fairs", data=xlsx(fairs), file_name="春风行动.xlsx", user=clerk,
        dry_run=False,
    )  # fmt: skip
    assert not report.errors, report.errors
    autumn = JobFair.objects.get(name="义乌工会2023年秋季招聘会")
    assert (autumn.organiser_union, autumn.online, autumn.seekers_count) == (
        ledger["federation"],
        False,
        1200,
    )
    live = JobFair.objects.get(name="义乌工会2023年直播带岗")
    assert (live.region_id, live.organiser_union, live.online) == (YIWU, None, True)

    logistics = Enterprise.objects.get(name="义乌甲快递物流有限公司")
    sign_up = [
        ["招聘会", "举办时间", "用人单位", "信用代码", "岗位需求人数", "达成意向人数"],
        ["义乌工会2023年秋季招聘会", "2023-09-08", "义乌甲快递物流有限公司", logistics.credit_code, "60个", 12],
        ["义乌工会2023年秋季招聘会", "2023/9/8", "义乌丙酒店管理有限公司", "", 25, 4],
        ["义乌工会2023年直播带岗", "2023-10-01", "义乌甲快递物流有限公司", "", 15, 2],
    ]  # fmt: skip
    report, _changes = sheet_import(
        resource_name="job-fair-enterprises", data=xlsx(sign_up), file_name="参会企业.xlsx",
        user=clerk, dry_run=False,
    )  # fmt: skip
    assert not report.errors, report.errors
    assert report.created == 3
    # 东阳's enterprise is not found by a 义乌 clerk (another county's record): the row fails.
    outsider = [
        sign_up[0],
        ["义乌工会2023年秋季招聘会", "2023/9/8", "东阳丁红木家具有限公司", "", 10, 1],
    ]
    report, _changes = sheet_import(
        resource_name="job-fair-enterprises", data=xlsx(outsider), file_name="参会企业.xlsx",
        user=clerk, dry_run=False,
    )  # fmt: skip
    assert [(error.row, error.column) for error in report.errors] == [(2, "用人单位")]
    # 义乌 in Y now: 3 + 2 fairs; 5 + 3 家次; 340 + 60 + 25 + 15 positions; 3900 + 1200 + 300
    # seekers; 82 + 12 + 4 + 2 hires.
    assert figures(YIWU) == {
        "job_fairs": 5,
        "job_fair_enterprises": 8,
        "job_fair_positions": 440,
        "job_fair_seekers": 5400,
        "job_fair_hires": 100,
    }


def test_a_fair_row_naming_another_regions_union_is_refused_with_the_column(ledger):
    from sheets.services import sheet_import
    from tests.sheetfiles import xlsx

    clerk = factories.staff("jh-clerk", Role.CLERK, JINHUA)
    rows = [
        ["招聘会名称", "举办日期", "所属地区", "主办工会", "主办单位"],
        ["错配招聘会", "2023-04-01", "东阳市", "义乌市总工会", ""],
        ["无主办招聘会", "2023-04-02", "东阳市", "", ""],
    ]
    report, _changes = sheet_import(
        resource_name="job-fairs", data=xlsx(rows), file_name="招聘会.xlsx", user=clerk,
        dry_run=False,
    )  # fmt: skip
    assert [(error.row, error.column) for error in report.errors] == [
        (2, "所属地区"),
        (3, "主办单位"),
    ], report.errors


def test_the_fair_list_shows_each_fairs_totals_in_one_query(ledger, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from programs.selectors import job_fairs_with_totals

    totals = {
        fair.name: (fair.enterprise_total, fair.position_total, fair.hire_total)
        for fair in job_fairs_with_totals(JobFair.objects.filter(region__code__startswith=YIWU))
    }
    # By hand from the ledger: the spring fair 3 enterprises, 120 + 80 + 50 positions,
    # 35 + 20 + 10 hires; the 2024 fair lists none.
    assert totals["义乌工会2023年春风行动暨就业服务月招聘会"] == (3, 250, 65)
    assert totals["义乌工会直播带岗专场"] == (1, 30, 5)
    assert totals["义乌工会2024年新春招聘会"] == (0, 0, 0)
    client.force_login(factories.staff("yw-admin", Role.ADMIN, YIWU))
    url = reverse("admin:programs_jobfair_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    fair("义乌工会2023年夏季招聘会", YIWU, d(2023, 7, 1), 10)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert response.status_code == 200
    assert "稠城街道春风行动招聘会" in response.content.decode()
    assert len(more) == len(few)
