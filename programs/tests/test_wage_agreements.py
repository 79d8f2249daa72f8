"""能级工资集体协商: the agreements' rules, and the dashboard numbers against docs/indicators.md
on a small ledger worked out by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from base.models import Region
from base.roles import Role
from dashboards import selectors
from dashboards.catalogue import BY_KEY, SOURCES, Period
from programs.models import WageAgreement, WageAgreementKind, WageLevel
from programs.services import wage_agreement_save
from sheets.services import import_job_create, import_job_execute
from tests import factories
from tests.sheetfiles import xlsx
from workforce.models import Enterprise, SkillLevel

pytestmark = pytest.mark.django_db

Y = 2024
ENTERPRISE = WageAgreementKind.ENTERPRISE
INDUSTRY = WageAgreementKind.INDUSTRY
KEYS = (
    "wage_agreements",
    "wage_agreements_industry",
    "wage_agreements_enterprise",
    "wage_agreement_enterprises",
    "wage_agreement_workers",
    "above_scale_covered",
    "above_scale_enterprises",
    "wage_agreement_coverage",
)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def firm(where: Region, name: str, *, above_scale: bool = True) -> Enterprise:
    return factories.build(Enterprise, where, name=name, above_scale=above_scale)


def agreement(where: Region, title: str, signed: str, until: str, **more) -> WageAgreement:
    values = {
        "kind": INDUSTRY,
        "industry": "鞋革",
        "title": title,
        "signed_on": datetime.date.fromisoformat(signed),
        "valid_until": datetime.date.fromisoformat(until),
        "union_side": "工会联合会",
        "employer_side": "行业协会",
        **more,
    }
    if values["kind"] == ENTERPRISE:
        values["industry"] = ""
    return factories.build(WageAgreement, where, **values)


@pytest.fixture
def ledger() -> dict[str, Enterprise]:
    """瑞安 (330381) and 乐清 (330382), two counties of 温州 (330300), in Y = 2024.

    瑞安's 规上 enterprises: A (own agreement in force), B (own agreement expired on 30 Sep of Y:
    in force on 1 July, not on 31 Dec), C (own agreement signed in Y+1), E (listed by 温州's
    industry-wide agreement), H (own agreement terminated on 1 Nov of Y); F is not 规上 but
    listed by 温州's agreement. 乐清's 规上 enterprises: D (listed by 温州's agreement) and G
    (no agreement)."""
    ruian, yueqing, wenzhou = region("330381"), region("330382"), region("330300")
    firms = {
        "A": firm(ruian, "瑞安甲鞋业"),
        "B": firm(ruian, "瑞安乙汽配"),
        "C": firm(ruian, "瑞安丙机械"),
        "E": firm(ruian, "瑞安戊鞋材"),
        "F": firm(ruian, "瑞安己鞋店", above_scale=False),
        "H": firm(ruian, "瑞安辛电器"),
        "D": firm(yueqing, "乐清丁鞋业"),
        "G": firm(yueqing, "乐清庚电气"),
    }
    one = {"kind": ENTERPRISE}
    agreement(ruian, "甲协议", "2023-06-01", "2026-05-31", enterprise=firms["A"], workers_covered=800, **one)  # fmt: skip
    agreement(ruian, "乙协议", "2021-10-01", "2024-09-30", enterprise=firms["B"], workers_covered=300, **one)  # fmt: skip
    agreement(ruian, "丙协议", "2025-01-10", "2028-01-09", enterprise=firms["C"], workers_covered=200, **one)  # fmt: skip
    agreement(
        ruian, "辛协议", "2023-02-01", "2026-01-31", enterprise=firms["H"], workers_covered=50,
        terminated_on=datetime.date(2024, 11, 1), **one,
    )  # fmt: skip
    # Signed on the last day of Y: in force at its end. It lists three enterprises, so its
    # declared 40 is not counted.
    city = agreement(
        wenzhou, "温州市鞋革行业能级工资集体协议", "2024-12-31", "2027-12-30",
        enterprises_declared=40, workers_covered=5000,
    )  # fmt: skip
    city.covered_enterprises.set([firms["D"], firms["E"], firms["F"]])
    # Valid until the last day of Y: in force at its end; it lists none, so its 120 count.
    agreement(
        ruian, "瑞安市汽摩配行业能级工资集体协议", "2022-03-01", "2024-12-31",
        industry="汽摩配", enterprises_declared=120, workers_covered=9000,
    )  # fmt: skip
    # Neither lists nor declares its enterprises: 0 of them.
    agreement(
        yueqing, "乐清市电气行业能级工资集体协议", "2023-05-01", "2026-04-30",
        industry="电气", workers_covered=3000,
    )  # fmt: skip
    return firms


def figures(code: str, year: int = Y) -> dict:
    values = selectors.indicators_for(region(code), year)
    return {key: values[key] for key in KEYS}


def test_a_county_counts_the_agreements_in_force_on_31_december(ledger):
    # In force: 甲 (enterprise) and 瑞安汽摩配 (industry). Not: 乙 expired on 30 Sep, 丙 signed
    # in 2025, 辛 terminated on 1 Nov, 温州's recorded in the city.
    # Enterprises: 1 (甲's own) + 120 declared = 121. Workers: 800 + 9000 = 9800.
    # 规上: A, B, C, E, H = 5; covered: A (own), E (listed by 温州's) = 2 → 40.0 %.
    assert figures("330381") == {
        "wage_agreements": 2,
        "wage_agreements_industry": 1,
        "wage_agreements_enterprise": 1,
        "wage_agreement_enterprises": 121,
        "wage_agreement_workers": 9800,
        "above_scale_covered": 2,
        "above_scale_enterprises": 5,
        "wage_agreement_coverage": Decimal("40.0"),
    }


def test_an_industry_agreement_covers_enterprises_in_two_counties_each_in_its_own(ledger):
    # 乐清: its 电气 agreement (0 enterprises, 3000 workers); 规上 D and G, D listed by 温州's
    # agreement → 1 of 2 = 50.0 %.
    assert figures("330382") == {
        "wage_agreements": 1,
        "wage_agreements_industry": 1,
        "wage_agreements_enterprise": 0,
        "wage_agreement_enterprises": 0,
        "wage_agreement_workers": 3000,
        "above_scale_covered": 1,
        "above_scale_enterprises": 2,
        "wage_agreement_coverage": Decimal("50.0"),
    }
    # 温州: both counties plus its own agreement, which lists D, E and F (3 enterprises, F not
    # 规上). Agreements 2 + 1 + 1 = 4 (3 industry-wide); enterprises 121 + 0 + 3 = 124;
    # workers 9800 + 3000 + 5000 = 17800; covered 2 + 1 = 3 of 5 + 2 = 7 → 42.857 → 42.9 %.
    assert figures("330300") == {
        "wage_agreements": 4,
        "wage_agreements_industry": 3,
        "wage_agreements_enterprise": 1,
        "wage_agreement_enterprises": 124,
        "wage_agreement_workers": 17800,
        "above_scale_covered": 3,
        "above_scale_enterprises": 7,
        "wage_agreement_coverage": Decimal("42.9"),
    }


def test_the_year_before_counts_what_was_in_force_then(ledger):
    # End of 2023 in 瑞安: 甲, 乙 (until 2024-09-30), 辛 (signed 2023-02-01, not yet ended) and
    # 瑞安汽摩配 = 4, three of them enterprise agreements; 温州's was not signed yet, so E is not
    # covered: A, B, H of 5 规上 → 60.0 %.
    result = figures("330381", 2023)
    assert result["wage_agreements"] == 4
    assert result["wage_agreements_enterprise"] == 3
    assert result["wage_agreement_enterprises"] == 3 + 120
    assert result["wage_agreement_workers"] == 800 + 300 + 50 + 9000
    assert result["above_scale_covered"] == 3
    assert result["wage_agreement_coverage"] == Decimal("60.0")


def test_a_half_year_report_counts_the_agreements_in_force_on_30_june(ledger):
    # On 30 June 2024 乙 (until 30 Sep) and 辛 (terminated 1 Nov) are still in force; 31 Dec's
    # count leaves them out.
    half = selectors.period_raw(region("330381"), Period(Y, through=6), ["wage_agreements"])
    assert half["wage_agreements"] == 4
    assert figures("330381")["wage_agreements"] == 2


def test_the_records_behind_coverage_are_the_covered_enterprises(ledger):
    source = SOURCES["enterprises"]
    measure = BY_KEY["above_scale_covered"].measure
    rows = Enterprise.objects.filter(measure.rows(source, Period(Y)))
    assert sorted(rows.values_list("name", flat=True)) == sorted(
        [ledger["A"].name, ledger["E"].name, ledger["D"].name]
    )


# --- the rules ------------------------------------------------------------------------------


@pytest.fixture
def clerk():
    return factories.staff("ruian_clerk", Role.CLERK, "330381")


def draft(**values) -> WageAgreement:
    base = {
        "kind": INDUSTRY,
        "title": "瑞安市汽摩配行业能级工资集体协议",
        "industry": "汽摩配",
        "region": region("330381"),
        "signed_on": datetime.date(2024, 3, 1),
        "valid_until": datetime.date(2027, 2, 28),
        "union_side": "瑞安市汽摩配行业工会联合会",
        "employer_side": "瑞安市汽摩配行业协会",
    }
    return WageAgreement(**{**base, **values})


def test_an_enterprise_agreement_needs_its_enterprise_and_takes_its_region(clerk):
    with pytest.raises(ValidationError) as refused:
        wage_agreement_save(agreement=draft(kind=ENTERPRISE, region=None), user=clerk)
    assert "enterprise" in refused.value.message_dict
    town = factories.town("330381102", "塘下镇")
    own = firm(town, "瑞立集团")
    saved = wage_agreement_save(
        agreement=draft(kind=ENTERPRISE, enterprise=own, region=region("330381")), user=clerk
    )
    assert saved.region_id == "330381102"


def test_an_industry_agreement_names_no_single_enterprise_and_names_its_industry(clerk):
    own = firm(region("330381"), "瑞立集团")
    with pytest.raises(ValidationError) as refused:
        wage_agreement_save(agreement=draft(enterprise=own), user=clerk)
    assert "enterprise" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        wage_agreement_save(agreement=draft(industry=""), user=clerk)
    assert "industry" in refused.value.message_dict


def test_an_agreement_is_valid_until_a_day_after_it_was_signed(clerk):
    with pytest.raises(ValidationError) as refused:
        wage_agreement_save(agreement=draft(valid_until=datetime.date(2024, 3, 1)), user=clerk)
    assert "valid_until" in refused.value.message_dict


def test_only_an_industry_agreement_lists_enterprises_and_only_in_scope(clerk):
    own = firm(region("330381"), "瑞立集团")
    other = firm(region("330382"), "正泰电器")
    with pytest.raises(ValidationError):
        wage_agreement_save(
            agreement=draft(kind=ENTERPRISE, enterprise=own, title="瑞立协议"),
            user=clerk,
            covered_enterprises=[own],
        )
    with pytest.raises(PermissionDenied):
        wage_agreement_save(agreement=draft(), user=clerk, covered_enterprises=[other])
    saved = wage_agreement_save(agreement=draft(), user=clerk, covered_enterprises=[own])
    assert list(saved.covered_enterprises.all()) == [own]


def test_the_ladder_states_each_skill_level_once_and_follows_the_region(clerk):
    ladder = [
        WageLevel(skill_level=SkillLevel.JUNIOR, minimum_wage=Decimal("3800")),
        WageLevel(
            skill_level=SkillLevel.INTERMEDIATE,
            minimum_wage=Decimal("4300"),
            differential=Decimal("500"),
        ),
    ]
    saved = wage_agreement_save(agreement=draft(), user=clerk, levels=ladder)
    levels = list(saved.levels.order_by("order"))
    assert [(level.skill_level, level.order) for level in levels] == [(1, 1), (2, 2)]
    assert {level.region_id for level in levels} == {"330381"}
    with pytest.raises(ValidationError):
        wage_agreement_save(
            agreement=saved,
            user=clerk,
            levels=[
                WageLevel(skill_level=SkillLevel.JUNIOR, minimum_wage=Decimal("3800")),
                WageLevel(skill_level=SkillLevel.JUNIOR, minimum_wage=Decimal("3900")),
            ],
        )


# --- through the admin and a sheet --------------------------------------------------------------


def agreement_form(**values) -> dict:
    data = {
        "kind": "industry", "title": "瑞安市汽摩配行业能级工资集体协议", "industry": "汽摩配",
        "region": "330381", "signed_on": "2024-03-01", "valid_until": "2027-02-28",
        "workers_covered": "9000", "union_side": "瑞安市汽摩配行业工会联合会",
        "employer_side": "瑞安市汽摩配行业协会",
        "levels-TOTAL_FORMS": "2", "levels-INITIAL_FORMS": "0",
        "levels-0-order": "1", "levels-0-skill_level": "1", "levels-0-minimum_wage": "3800",
        "levels-1-order": "2", "levels-1-skill_level": "2", "levels-1-minimum_wage": "4300",
        "levels-1-differential": "500",
    }  # fmt: skip
    return {**data, **values}


def test_the_admin_records_an_agreement_with_its_ladder_and_listed_enterprises(clerk, login):
    client = login(clerk)
    own = firm(region("330381"), "瑞立集团")
    url = reverse("admin:programs_wageagreement_add")
    response = client.post(url, agreement_form(covered_enterprises=[own.pk]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = WageAgreement.objects.get()
    assert list(saved.covered_enterprises.all()) == [own]
    assert [(lv.skill_level, lv.minimum_wage) for lv in saved.levels.order_by("order")] == [
        (1, Decimal("3800.00")),
        (2, Decimal("4300.00")),
    ]
    assert client.get(reverse("admin:programs_wageagreement_changelist")).status_code == 200


def test_the_admin_refuses_listed_enterprises_on_an_enterprise_agreement(clerk, login):
    client = login(clerk)
    own = firm(region("330381"), "瑞立集团")
    data = agreement_form(
        kind="enterprise", enterprise=own.pk, industry="", covered_enterprises=[own.pk]
    )
    response = client.post(reverse("admin:programs_wageagreement_add"), data)
    assert response.status_code == 200
    assert not WageAgreement.objects.exists()


def import_sheet(user, resource, rows):
    job = import_job_create(
        user=user, resource_name=resource, file_name="协议.xlsx", data=xlsx(rows)
    )
    job = import_job_execute(job=job, dry_run=False, user=user)
    return [(error["row"], error["column"]) for error in job.report["errors"]]


def test_a_messy_sheet_imports_agreements_then_their_ladders(clerk):
    town = factories.town("330381102", "塘下镇")
    firm(town, "瑞立集团有限公司")
    header = ["协议名称", "类型", "企业名称", "行业", "所属地区", "签订时间", "有效期",
              "覆盖企业(家)", "覆盖职工(人)", "工会方", "企业方"]  # fmt: skip
    rows = [
        header,
        # An enterprise agreement: the county written, the enterprise's town taken.
        ["瑞立集团能级工资集体协议", "企业", "瑞立集团有限公司", "", "瑞安市", "2023年6月1日",
         "2026.5.31", "", "1,200人", "瑞立集团工会", "瑞立集团有限公司"],
        ["瑞安市汽摩配行业能级工资集体协议", "行业性", "", "汽摩配", "瑞安市", "2022-03-01",
         "20250228", "120家", "9000", "瑞安市汽摩配行业工会联合会", "瑞安市汽摩配行业协会"],
    ]  # fmt: skip
    refused = [
        header,
        # An industry-wide agreement naming one enterprise; one valid until before it was
        # signed (the error names the column as the sheet wrote it).
        ["瑞安市鞋革行业协议", "行业协议", "瑞立集团有限公司", "鞋革", "瑞安市", "2024-01-01",
         "2026-12-31", "", "100", "工会", "协会"],
        ["瑞安市电气行业协议", "行业", "", "电气", "瑞安市", "2024-01-01", "2023-12-31", "", "100",
         "工会", "协会"],
    ]  # fmt: skip
    assert import_sheet(clerk, "wage-agreements", refused) == [(2, "企业名称"), (3, "有效期")]
    assert not WageAgreement.objects.exists()
    assert import_sheet(clerk, "wage-agreements", rows) == []
    own = WageAgreement.objects.get(kind=ENTERPRISE)
    assert (own.region_id, own.workers_covered) == ("330381102", 1200)
    industry = WageAgreement.objects.get(kind=INDUSTRY)
    assert (industry.enterprises_declared, industry.valid_until) == (
        120,
        datetime.date(2025, 2, 28),
    )
    ladder = [
        ["协议名称", "签订日期", "所属地区", "等级", "工资标准", "级差"],
        ["瑞立集团能级工资集体协议", "2023-06-01", "瑞安市塘下镇", "初级工", "3,800元", ""],
        ["瑞立集团能级工资集体协议", "2023-06-01", "瑞安市塘下镇", "四级", "4300", "500"],
        ["瑞立集团能级工资集体协议", "2023-06-01", "瑞安市塘下镇", "技师(二级)", "5600", "¥1,300"],
    ]
    assert import_sheet(clerk, "wage-levels", ladder) == []
    assert [
        (lv.skill_level, lv.minimum_wage, lv.differential)
        for lv in own.levels.order_by("skill_level")
    ] == [
        (SkillLevel.JUNIOR, Decimal("3800.00"), None),
        (SkillLevel.INTERMEDIATE, Decimal("4300.00"), Decimal("500.00")),
        (SkillLevel.TECHNICIAN, Decimal("5600.00"), Decimal("1300.00")),
    ]


# --- the cached dashboards --------------------------------------------------------------------


@pytest.mark.usefixtures("local_cache")
def test_a_city_agreement_s_list_refreshes_the_counties_of_the_enterprises_it_lists(
    django_capture_on_commit_callbacks,
):
    from dashboards import dashboard

    def covered(code: str) -> int:
        return dashboard.build(region(code), Y)["indicators"]["above_scale_covered"]

    yueqing = region("330382")
    shoes = firm(yueqing, "乐清丁鞋业")
    with django_capture_on_commit_callbacks(execute=True):
        city = agreement(
            region("330300"), "温州市鞋革行业能级工资集体协议", "2023-01-01", "2025-12-31"
        )
    assert covered("330382") == 0  # now cached for 乐清
    with django_capture_on_commit_callbacks(execute=True):
        city.covered_enterprises.add(shoes)
    assert covered("330382") == 1
    with django_capture_on_commit_callbacks(execute=True):
        city.valid_until = datetime.date(2024, 6, 30)  # expires within Y
        city.save()
    assert covered("330382") == 0
    with django_capture_on_commit_callbacks(execute=True):
        city.valid_until = datetime.date(2025, 12, 31)
        city.save()
    assert covered("330382") == 1
    with django_capture_on_commit_callbacks(execute=True):
        city.delete()
    assert covered("330382") == 0
