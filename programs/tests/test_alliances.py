"""产改联盟 (docs/indicators.md, programmes): alliances counted in the lead enterprise's region,
their current members with them wherever the members are, the 五联 activities held in the year;
and the rules every path asks (the model's clean and constraints, the services)."""

from __future__ import annotations

import datetime
import io
import itertools

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from base import following
from base.models import Region
from base.roles import Role
from dashboards import dashboard, selectors
from programs.models import (
    AllianceActivity,
    AllianceActivityKind,
    AllianceKind,
    AllianceMember,
    ReformAlliance,
)
from programs.services import alliance_activity_add, alliance_member_add, reform_alliance_create
from tests import factories
from workforce.models import Enterprise

pytestmark = pytest.mark.django_db

Y = 2024
KEYS = (
    "alliances",
    "alliances_chain",
    "alliances_area",
    "alliances_industry",
    "alliance_members",
    "alliance_activities",
)

TIANTAI, WENLING, TAIZHOU, RUIAN, WENZHOU, PROVINCE = (
    "331023",
    "331081",
    "331000",
    "330381",
    "330300",
    "330000",
)


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


SERIALS = itertools.count(1)


def enterprise(code: str, name: str) -> Enterprise:
    return factories.build(
        Enterprise,
        Region.objects.get(code=code),
        name=name,
        credit_code=factories.valid_credit_code(code, next(SERIALS)),
    )


def alliance(name: str, lead: Enterprise, kind: str, founded: datetime.date, **extra):
    return ReformAlliance.objects.create(
        name=name, lead=lead, kind=kind, founded_on=founded, **extra
    )


def member(of: ReformAlliance, who: Enterprise, joined: datetime.date, left=None):
    return AllianceMember.objects.create(
        alliance=of, enterprise=who, joined_on=joined, left_on=left
    )


def activity(of: ReformAlliance, held: datetime.date, kind=AllianceActivityKind.EVENTS):
    return AllianceActivity.objects.create(
        alliance=of, kind=kind, held_on=held, title=f"{of.name} {held}"
    )


@pytest.fixture
def ledger():
    """天台's chain alliance led by 银轮 with members in 天台, 温岭 (台州) and 瑞安 (温州); a 天台
    area alliance dissolved on the last day of Y; a 温岭 industry alliance one 天台 enterprise
    also belongs to; a 瑞安 alliance founded after Y."""
    yinlun = enterprise(TIANTAI, "浙江银轮机械股份有限公司")
    tiantai_2 = enterprise(TIANTAI, "天台甲零部件有限公司")
    tiantai_3 = enterprise(TIANTAI, "天台乙橡塑有限公司")
    wenling = enterprise(WENLING, "温岭丙泵业有限公司")
    ruian = enterprise(RUIAN, "瑞安丁汽配有限公司")

    chain = alliance("天台县汽车零部件产业链产改联盟", yinlun, AllianceKind.CHAIN, d(2023, 5, 1))
    member(chain, yinlun, d(2023, 5, 1))
    member(chain, tiantai_2, d(2024, 3, 1))
    member(chain, wenling, d(2023, 5, 1), left=d(2024, 12, 31))  # left on the last day
    member(chain, ruian, d(2024, 6, 1))  # in 温州: counts with the alliance, in 天台
    member(chain, tiantai_3, d(2025, 1, 10))  # joins after Y
    activity(chain, d(2023, 12, 31), AllianceActivityKind.ORGANISATION)  # before Y
    activity(chain, d(2024, 4, 1), AllianceActivityKind.ORGANISATION)
    activity(chain, d(2024, 9, 9), AllianceActivityKind.BRAND)

    area = alliance(
        "天台县城区产改联盟",
        tiantai_2,
        AllianceKind.AREA,
        d(2024, 2, 1),
        dissolved_on=d(2024, 12, 31),
    )
    member(area, tiantai_2, d(2024, 2, 1))
    activity(area, d(2024, 3, 1), AllianceActivityKind.AFFAIRS)  # held in Y: counts

    industry = alliance("温岭市泵业行业产改联盟", wenling, AllianceKind.INDUSTRY, d(2022, 1, 1))
    member(industry, wenling, d(2022, 1, 1))
    member(industry, tiantai_2, d(2023, 1, 1))  # also in the 天台 chain: counts in each
    activity(industry, d(2024, 1, 1), AllianceActivityKind.RESOURCES)

    later = alliance("瑞安市汽摩配产业链产改联盟", ruian, AllianceKind.CHAIN, d(2025, 2, 1))
    member(later, ruian, d(2025, 2, 1))
    return {"chain": chain, "ruian": ruian, "wenling": wenling}


def figures(code: str, year: int = Y) -> dict[str, object]:
    values = selectors.indicators_for(Region.objects.get(code=code), year)
    return {key: values[key] for key in KEYS}


def test_alliance_figures_count_in_the_lead_enterprises_county(ledger):
    # 天台: the chain alliance stands at the end of Y; the area alliance was dissolved on
    # 31 December, so it no longer stands. Members current at the end of Y: 银轮, 甲 and the
    # 瑞安 member (温岭's left on 31 December, 乙 joins in Y+1) = 3. Activities held in Y: two
    # of the chain's and the dissolved alliance's one = 3.
    assert figures(TIANTAI) == {
        "alliances": 1,
        "alliances_chain": 1,
        "alliances_area": 0,
        "alliances_industry": 0,
        "alliance_members": 3,
        "alliance_activities": 3,
    }
    # 温岭: its industry alliance, with 温岭's lead and 天台's 甲 as members (2), one activity.
    assert figures(WENLING) == {
        "alliances": 1,
        "alliances_chain": 0,
        "alliances_area": 0,
        "alliances_industry": 1,
        "alliance_members": 2,
        "alliance_activities": 1,
    }


def test_a_member_in_another_city_counts_with_its_alliance_not_where_it_lies(ledger):
    # 瑞安's own alliance is founded in Y+1; its enterprise's membership of the 天台 chain
    # counts in 天台. Nothing counts in 瑞安 or 温州 in Y.
    for code in (RUIAN, WENZHOU):
        assert figures(code) == dict.fromkeys(KEYS, 0), code


def test_the_city_and_the_province_add_up_their_counties(ledger):
    # 台州 = 天台 + 温岭: alliances 1 + 1, members 3 + 2 (甲 counted in each of its two
    # alliances), activities 3 + 1; the province holds nothing else in Y.
    expected = {
        "alliances": 2,
        "alliances_chain": 1,
        "alliances_area": 0,
        "alliances_industry": 1,
        "alliance_members": 5,
        "alliance_activities": 4,
    }
    assert figures(TAIZHOU) == expected
    assert figures(PROVINCE) == expected
    rows = dashboard.build(Region.objects.get(code=TAIZHOU), Y)["children"]
    for key in KEYS:
        assert sum(row["indicators"][key] for row in rows) == expected[key], key


def test_figures_of_the_year_before_and_after(ledger):
    # End of Y-1 in 天台: the chain (founded May Y-1) with 银轮 and 温岭's member = 2; the
    # activity of 31 December Y-1 = 1; the area alliance is not founded yet.
    assert figures(TIANTAI, Y - 1) == {
        "alliances": 1,
        "alliances_chain": 1,
        "alliances_area": 0,
        "alliances_industry": 0,
        "alliance_members": 2,
        "alliance_activities": 1,
    }
    # End of Y+1: the chain with 银轮, 甲, the 瑞安 member and 乙 (joined January) = 4; 瑞安's
    # own alliance now stands, in 瑞安, with its one member.
    assert figures(TIANTAI, Y + 1)["alliance_members"] == 4
    assert figures(RUIAN, Y + 1)["alliances"] == 1
    assert figures(RUIAN, Y + 1)["alliance_members"] == 1


def test_an_alliance_follows_its_lead_enterprise_when_the_lead_moves(ledger):
    # The lead's record moves to 温岭: the alliance and its memberships and activities follow.
    yinlun = ledger["chain"].lead
    yinlun.region = Region.objects.get(code=WENLING)
    yinlun.save()
    assert following.out_of_step() == {}
    assert figures(TIANTAI)["alliances"] == 0
    assert figures(WENLING)["alliances"] == 2
    assert figures(WENLING)["alliance_members"] == 2 + 3


def test_an_alliance_cannot_be_dissolved_before_it_was_founded():
    lead = enterprise(TIANTAI, "天台戊有限公司")
    record = ReformAlliance(
        name="联盟", lead=lead, kind=AllianceKind.AREA, founded_on=d(2024, 5, 1)
    )
    record.dissolved_on = d(2024, 4, 30)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "dissolved_on" in error.value.message_dict


def test_a_member_without_a_joining_date_joins_on_the_founding_day_and_not_before(ledger):
    chain = ledger["chain"]
    clerk = factories.staff("tt-clerk", Role.CLERK, TIANTAI)
    newcomer = enterprise(TIANTAI, "天台己有限公司")
    joined = alliance_member_add(user=clerk, alliance=chain, enterprise=newcomer)
    assert joined.joined_on == chain.founded_on
    early = AllianceMember(
        alliance=chain, enterprise=enterprise(TIANTAI, "天台庚"), joined_on=d(2023, 4, 30)
    )
    with pytest.raises(ValidationError) as error:
        early.full_clean()
    assert "joined_on" in error.value.message_dict


def test_an_enterprise_is_a_member_of_an_alliance_once(ledger):
    twice = AllianceMember(
        alliance=ledger["chain"], enterprise=ledger["ruian"], joined_on=d(2024, 7, 1)
    )
    with pytest.raises(ValidationError):
        twice.full_clean()


def test_an_activity_is_held_while_its_alliance_exists(ledger):
    clerk = factories.staff("tt-clerk", Role.CLERK, TIANTAI)
    with pytest.raises(ValidationError) as error:
        alliance_activity_add(
            user=clerk,
            alliance=ledger["chain"],
            kind=AllianceActivityKind.EVENTS,
            held_on=d(2023, 4, 1),
            title="成立前",
        )
    assert "held_on" in error.value.message_dict


def test_a_county_clerk_founds_an_alliance_of_their_county_only():
    clerk = factories.staff("tt-clerk", Role.CLERK, TIANTAI)
    own = reform_alliance_create(
        user=clerk,
        name="天台县橡塑产业链产改联盟",
        lead=enterprise(TIANTAI, "天台辛"),
        kind=AllianceKind.CHAIN,
        founded_on=d(2024, 1, 1),
    )
    assert own.region_id == TIANTAI
    with pytest.raises(PermissionDenied):
        reform_alliance_create(
            user=clerk,
            name="温岭市某联盟",
            lead=enterprise(WENLING, "温岭壬"),
            kind=AllianceKind.CHAIN,
            founded_on=d(2024, 1, 1),
        )


def test_a_member_of_another_county_is_listed_by_a_user_whose_scope_holds_it(ledger):
    # A reference never proves that another region's record exists: the 天台 clerk may not
    # list 温州's enterprise; the province may.
    chain = ledger["chain"]
    outsider = enterprise(RUIAN, "瑞安癸有限公司")
    with pytest.raises(PermissionDenied):
        alliance_member_add(
            user=factories.staff("tt-clerk", Role.CLERK, TIANTAI),
            alliance=chain,
            enterprise=outsider,
        )
    added = alliance_member_add(user=factories.superuser(), alliance=chain, enterprise=outsider)
    assert added.region_id == TIANTAI


# --- who sees what (docs/security.md, 产改联盟) ------------------------------------------------


def page(client, user, name: str, *args: object) -> str:
    client.force_login(user)
    response = client.get(reverse(f"admin:{name}", args=args))
    assert response.status_code == 200, name
    return response.content.decode()


def test_a_county_clerk_sees_a_member_in_another_city_as_a_name_only(ledger, client):
    chain, ruian = ledger["chain"], ledger["ruian"]
    clerk = factories.staff("tt-clerk", Role.CLERK, TIANTAI)
    membership = AllianceMember.objects.get(alliance=chain, enterprise=ruian)
    enterprise_page = reverse("admin:workforce_enterprise_change", args=[ruian.pk])
    for html in (
        page(client, clerk, "programs_reformalliance_change", chain.pk),
        page(client, clerk, "programs_alliancemember_change", membership.pk),
        page(client, clerk, "programs_alliancemember_changelist"),
    ):
        assert ruian.name in html
        assert ruian.credit_code not in html
        assert enterprise_page not in html
    # 温岭's member is outside 天台 too; 银轮, in 天台, is in the editable list of members.
    html = page(client, clerk, "programs_reformalliance_change", chain.pk)
    assert ledger["wenling"].credit_code not in html
    assert f'value="{chain.lead.pk}" selected' in html


def test_a_county_clerk_may_not_change_a_member_in_another_city(ledger, client):
    chain, ruian = ledger["chain"], ledger["ruian"]
    membership = AllianceMember.objects.get(alliance=chain, enterprise=ruian)
    client.force_login(factories.staff("tt-clerk", Role.CLERK, TIANTAI))
    url = reverse("admin:programs_alliancemember_change", args=[membership.pk])
    client.post(url, {"alliance": chain.pk, "enterprise": ruian.pk, "joined_on": "2024-01-01"})
    membership.refresh_from_db()
    assert membership.joined_on == d(2024, 6, 1)
    delete = reverse("admin:programs_alliancemember_delete", args=[membership.pk])
    assert client.get(delete).status_code == 403


def test_the_city_of_a_member_does_not_see_the_alliance_it_belongs_to(ledger, client):
    # The alliance is 天台's record: 温州's clerk sees neither it nor the 瑞安 membership.
    chain, ruian = ledger["chain"], ledger["ruian"]
    membership = AllianceMember.objects.get(alliance=chain, enterprise=ruian)
    client.force_login(factories.staff("wz-clerk", Role.CLERK, WENZHOU))
    for name, pk in (
        ("programs_reformalliance_change", chain.pk),
        ("programs_alliancemember_change", membership.pk),
    ):
        assert client.get(reverse(f"admin:{name}", args=[pk])).status_code == 404
    listing = client.get(reverse("admin:programs_alliancemember_changelist")).content.decode()
    assert chain.name not in listing


def test_the_city_of_both_sees_every_member_in_full(ledger, client):
    # 台州 holds 天台 and 温岭: 温岭's member is shown in full there, 瑞安's still as a name.
    chain = ledger["chain"]
    html = page(
        client,
        factories.staff("tz-clerk", Role.CLERK, TAIZHOU),
        "programs_reformalliance_change",
        chain.pk,
    )
    assert f'value="{ledger["wenling"].pk}" selected' in html
    assert ledger["ruian"].name in html
    assert f'value="{ledger["ruian"].pk}" selected' not in html


def test_the_members_export_shows_a_member_outside_the_scope_by_its_name_alone(ledger, client):
    chain, ruian = ledger["chain"], ledger["ruian"]
    client.force_login(factories.staff("tt-clerk", Role.CLERK, TIANTAI))
    response = client.get(reverse("admin:programs_alliancemember_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    headers = rows[0]
    name, code = headers.index("成员企业"), headers.index("统一社会信用代码")
    by_name = {row[name]: row for row in rows[1:] if row[name]}
    assert by_name[ruian.name][code] in (None, "")
    assert by_name[chain.lead.name][code] == chain.lead.credit_code


def test_the_alliances_chart_splits_them_by_kind(ledger):
    # 台州 in Y: 天台's chain alliance and 温岭's industry alliance (天台's area one dissolved).
    split = selectors.breakdowns(Region.objects.get(code=TAIZHOU), Y)["alliances"]
    assert split == {"alliances_chain": 1, "alliances_area": 0, "alliances_industry": 1}
