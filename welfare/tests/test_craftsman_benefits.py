"""礼遇工匠 (docs/indicators.md, "礼遇工匠"): the rules the province keeps, the benefits taken,
who is due which benefit in a year and who is overdue, and the dashboard figures — all on a
small ledger built by hand, with the numbers worked out in the comments.

The ledger (the three rules the migration seeds: a craftsman honour at provincial level or above
— 浙江工匠, 大国工匠 … — gives a 疗休养 every 3 years, a 体检 every 2 and a 健身卡 every year, in
force from 2023):

- 瑞安 A: 浙江工匠 2020, so entitled from 2023 (the rules' year). Took 疗休养 2023-05-08, 体检
  2024-04-01, 健身卡 2025-01-10 and 2026-01-10.
- 瑞安 B: 大国工匠 2024, never took anything: entitled from 2024.
- 瑞安 C: 浙江省劳动模范 2019 (a model worker, not a craftsman) and 瓯越工匠 2021 (a city
  craftsman): no rule covers either.
- 瑞安 E: 浙江工匠 2022, took a 体检 2025-03-01, left the register on 2025-06-30.
- 乐清 D: 浙江工匠 2025, took a 体检 2025-09-01.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from base import identity
from base.models import Level, Region
from base.roles import Role
from dashboards import selectors as dashboard
from sheets.services import sheet_import
from tests import clock, factories
from tests.sheetfiles import xlsx
from welfare.models import BenefitKind, BenefitRule, BenefitTaken, RecuperationTrip
from welfare.selectors import BenefitDue, benefits_due, due_year
from welfare.services import benefit_rule_save, benefit_taken_record, may_keep_benefit_rules
from workforce.models import Honour, HonourKind, HonourTitle, Worker

pytestmark = pytest.mark.django_db

RUIAN, YUEQING, WENZHOU = "330381", "330382", "330300"
R, H, F = BenefitKind.RECUPERATION, BenefitKind.HEALTH_CHECK, BenefitKind.FITNESS_CARD


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def craftsman(code: str, name: str, *honours: tuple[str, int], **fields: Any) -> Worker:
    person = factories.build(Worker, region(code), name=name, **fields)
    for title, year in honours:
        factories.build(
            Honour,
            person.region,
            worker=person,
            title=HonourTitle.objects.get(name=title),
            year=year,
        )
    return person


def took(person: Worker, kind: str, on: datetime.date) -> BenefitTaken:
    return factories.build(BenefitTaken, person.region, worker=person, kind=kind, taken_on=on)


@pytest.fixture
def ledger() -> dict[str, Worker]:
    a = craftsman(RUIAN, "甲工匠", ("浙江工匠", 2020))
    took(a, R, datetime.date(2023, 5, 8))
    took(a, H, datetime.date(2024, 4, 1))
    took(a, F, datetime.date(2025, 1, 10))
    took(a, F, datetime.date(2026, 1, 10))
    b = craftsman(RUIAN, "乙工匠", ("大国工匠", 2024))
    c = craftsman(RUIAN, "丙劳模", ("浙江省劳动模范", 2019), ("瓯越工匠", 2021))
    e = craftsman(RUIAN, "戊工匠", ("浙江工匠", 2022), left_on=datetime.date(2025, 6, 30))
    took(e, H, datetime.date(2025, 3, 1))
    d = craftsman(YUEQING, "丁工匠", ("浙江工匠", 2025))
    took(d, H, datetime.date(2025, 9, 1))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def due_of(user: Any, year: int) -> dict[tuple[str, str], BenefitDue]:
    return {(row.worker.name, row.kind): row for row in benefits_due(user=user, year=year)}


@pytest.fixture
def ruian_officer() -> Any:
    return factories.staff("ruian_welfare", Role.WELFARE, RUIAN)


# --- the due rule ------------------------------------------------------------------------------


def test_migration_seeds_the_three_rules_of_the_zhejiang_craftsman_action():
    rules = {rule.benefit: rule for rule in BenefitRule.objects.all()}
    assert {kind: rule.every_years for kind, rule in rules.items()} == {R: 3, H: 2, F: 1}
    for rule in rules.values():
        assert (rule.title_kind, rule.min_level, rule.since_year, rule.active) == (
            HonourKind.CRAFTSMAN,
            Level.PROVINCIAL,
            2023,
            True,
        )


def test_due_year_is_entitlement_until_taken_then_n_years_after_the_last():
    assert due_year(entitled_from=2023, every_years=3, last_taken=None) == 2023
    # Taken in 2023 every 3 years: due again in 2026.
    assert due_year(entitled_from=2023, every_years=3, last_taken=datetime.date(2023, 5, 8)) == 2026
    # Taken before the entitlement began: not "since entitlement", so due from its start.
    assert due_year(entitled_from=2024, every_years=2, last_taken=datetime.date(2023, 1, 1)) == 2024


def test_a_recuperation_taken_in_2023_falls_due_in_2026_not_in_2025(ledger, ruian_officer):
    # A: 疗休养 2023 + 3 → 2026; 体检 2024 + 2 → 2026; 健身卡 2025 + 1 → 2026.
    assert ("甲工匠", R) not in due_of(ruian_officer, 2025)
    assert ("甲工匠", H) not in due_of(ruian_officer, 2025)
    assert ("甲工匠", F) not in due_of(ruian_officer, 2025)
    in_2026 = due_of(ruian_officer, 2026)
    recuperation = in_2026[("甲工匠", R)]
    assert (recuperation.due_year, recuperation.overdue) == (2026, False)
    assert recuperation.last_taken == datetime.date(2023, 5, 8)
    assert (in_2026[("甲工匠", H)].due_year, in_2026[("甲工匠", H)].overdue) == (2026, False)
    # The 健身卡 taken on 2026-01-10 covers 2026: next due 2027.
    assert ("甲工匠", F) not in in_2026


def test_a_craftsman_who_never_took_a_benefit_is_due_in_the_honours_year_then_overdue(
    ledger, ruian_officer
):
    # B: 大国工匠 2024, nothing taken: every benefit falls due in 2024 …
    in_2024 = due_of(ruian_officer, 2024)
    assert {kind for name, kind in in_2024 if name == "乙工匠"} == {R, H, F}
    assert not any(row.overdue for (name, _kind), row in in_2024.items() if name == "乙工匠")
    # … and in 2026 all three are overdue since 2024.
    in_2026 = due_of(ruian_officer, 2026)
    for kind in (R, H, F):
        row = in_2026[("乙工匠", kind)]
        assert (row.due_year, row.overdue, row.last_taken) == (2024, True, None)
    # Nobody is due before the honour year: in 2023 B is not entitled yet.
    assert not any(name == "乙工匠" for name, _kind in due_of(ruian_officer, 2023))


def test_nobody_is_due_before_the_rules_took_effect(ledger, ruian_officer):
    # A's honour is of 2020 but the rules hold from 2023.
    assert due_of(ruian_officer, 2022) == {}
    assert {kind for name, kind in due_of(ruian_officer, 2023) if name == "甲工匠"} == {H, F}


def test_honours_no_rule_covers_make_nobody_due(ledger, ruian_officer):
    # C holds a provincial model-worker title and a city craftsman title: neither qualifies.
    assert not any(name == "丙劳模" for name, _kind in due_of(ruian_officer, 2026))


def test_an_inactive_rule_makes_nobody_due(ledger, ruian_officer):
    BenefitRule.objects.filter(benefit=R).update(active=False)
    assert not any(kind == R for _name, kind in due_of(ruian_officer, 2026))


def test_the_rule_that_makes_a_benefit_due_earliest_counts(ledger, ruian_officer):
    # A second 体检 rule, every year for national honours: B (大国工匠) took nothing, so both
    # make it due in 2024; A (provincial) stays under the two-year rule.
    BenefitRule.objects.create(
        name="国家级工匠年度体检",
        benefit=H,
        min_level=Level.NATIONAL,
        every_years=1,
        since_year=2023,
    )
    took(ledger["b"], H, datetime.date(2025, 5, 1))
    in_2026 = due_of(ruian_officer, 2026)
    # B's 体检 2025 + 1 = 2026 under the national rule (2025 + 2 = 2027 under the other).
    assert in_2026[("乙工匠", H)].due_year == 2026
    assert in_2026[("乙工匠", H)].rule.every_years == 1
    assert in_2026[("甲工匠", H)].rule.every_years == 2


def test_the_due_list_is_the_countys_own_and_leaves_out_who_left_the_register(ledger):
    ruian = factories.staff("ruian_admin", Role.ADMIN, RUIAN)
    yueqing = factories.staff("yueqing_admin", Role.ADMIN, YUEQING)
    wenzhou = factories.staff("wenzhou_admin", Role.ADMIN, WENZHOU)
    names = lambda user: {row.worker.name for row in benefits_due(user=user, year=2026)}  # noqa: E731
    # E left the register in 2025: not on 瑞安's list, though 体检 2025 + 2 = 2027 aside, the
    # 疗休养 and 健身卡 would be due.
    assert names(ruian) == {"甲工匠", "乙工匠"}
    # D: 浙江工匠 2025, 体检 2025 → due 2027; 疗休养 and 健身卡 due since 2025 (overdue).
    assert names(yueqing) == {"丁工匠"}
    assert {(row.kind, row.due_year) for row in benefits_due(user=yueqing, year=2026)} == {
        (R, 2025),
        (F, 2025),
    }
    assert names(wenzhou) == {"甲工匠", "乙工匠", "丁工匠"}


# --- the indicators ------------------------------------------------------------------------------


def test_benefits_taken_count_by_year_and_the_three_kinds_add_up(ledger):
    def taken(code: str, year: int) -> tuple[Any, ...]:
        values = dashboard.indicators_for(region(code), year)
        return (
            values["craftsman_benefits"],
            values["craftsman_benefits_recuperation"],
            values["craftsman_benefits_health_check"],
            values["craftsman_benefits_fitness_card"],
        )

    # 瑞安: 2023 A's 疗休养; 2024 A's 体检; 2025 A's 健身卡 and E's 体检 (taken before she
    # left: the benefit was taken, whatever the register says now); 2026 A's 健身卡.
    assert taken(RUIAN, 2023) == (1, 1, 0, 0)
    assert taken(RUIAN, 2024) == (1, 0, 1, 0)
    assert taken(RUIAN, 2025) == (2, 0, 1, 1)
    assert taken(RUIAN, 2026) == (1, 0, 0, 1)
    # 乐清 2025: D's 体检; 温州 2025 = 瑞安 2 + 乐清 1.
    assert taken(YUEQING, 2025) == (1, 0, 1, 0)
    assert taken(WENZHOU, 2025) == (3, 0, 2, 1)


def test_craftsmen_entitled_counts_holders_a_rule_covers_from_the_rules_year(ledger):
    def entitled(code: str, year: int) -> Any:
        return dashboard.indicators_for(region(code), year)["craftsmen_entitled"]

    # 2022: no rule in force yet. 2023: A (2020) and E (2022). 2024: + B. C never.
    assert entitled(RUIAN, 2022) == 0
    assert entitled(RUIAN, 2023) == 2
    assert entitled(RUIAN, 2024) == 3
    # 乐清: D from 2025; 温州 2025 = 瑞安 3 + 乐清 1.
    assert entitled(YUEQING, 2024) == 0
    assert entitled(WENZHOU, 2025) == 4
    # A rule switched off is not counted (the table as it stands today).
    BenefitRule.objects.update(active=False)
    assert entitled(WENZHOU, 2025) == 0


# --- writes: the rules are the province's, benefits the county's --------------------------------


def test_only_a_province_administrator_keeps_the_benefit_rules():
    province_admin = factories.staff("zj_admin", Role.ADMIN, "330000")
    county_admin = factories.staff("ruian_admin", Role.ADMIN, RUIAN)
    province_clerk = factories.staff("zj_clerk", Role.CLERK, "330000")
    assert may_keep_benefit_rules(province_admin)
    assert may_keep_benefit_rules(factories.superuser())
    assert not may_keep_benefit_rules(county_admin)
    assert not may_keep_benefit_rules(province_clerk)
    rule = BenefitRule.objects.get(benefit=R)
    rule.every_years = 4
    with pytest.raises(PermissionDenied):
        benefit_rule_save(rule=rule, user=county_admin)
    benefit_rule_save(rule=rule, user=province_admin)
    assert BenefitRule.objects.get(benefit=R).every_years == 4


def test_the_rules_admin_lets_only_the_province_administrator_edit(login):
    rule = BenefitRule.objects.get(benefit=R)
    change = reverse("admin:welfare_benefitrule_change", args=[rule.pk])
    add = reverse("admin:welfare_benefitrule_add")
    county = login(factories.staff("ruian_admin", Role.ADMIN, RUIAN))
    assert county.get(add).status_code == 403
    page = county.get(change)
    assert page.status_code == 200 and 'name="every_years"' not in page.content.decode()
    assert county.post(change, {"every_years": 5}).status_code == 403
    clerk = login(factories.staff("ruian_clerk", Role.CLERK, RUIAN))
    assert clerk.get(reverse("admin:welfare_benefitrule_changelist")).status_code == 200
    assert clerk.get(add).status_code == 403
    province = login(factories.staff("zj_admin", Role.ADMIN, "330000"))
    assert province.get(add).status_code == 200
    assert 'name="every_years"' in province.get(change).content.decode()


def test_a_county_officer_records_a_benefit_taken_and_the_due_row_goes(ledger, ruian_officer):
    trip = factories.build(
        RecuperationTrip, region(RUIAN), start_date=datetime.date(2026, 5, 10), title="礼遇疗休养"
    )
    benefit_taken_record(
        worker=ledger["a"],
        kind=R,
        taken_on=datetime.date(2026, 5, 10),
        place="安吉余村",
        cost=Decimal("1800.00"),
        trip=trip,
        user=ruian_officer,
    )
    assert ("甲工匠", R) not in due_of(ruian_officer, 2026)
    # Another county's craftsman is not the officer's to record.
    with pytest.raises(PermissionDenied):
        benefit_taken_record(
            worker=ledger["d"], kind=H, taken_on=datetime.date(2026, 6, 1), user=ruian_officer
        )


def test_only_a_recuperation_is_taken_on_a_trip_and_not_before_it_leaves(ledger, ruian_officer):
    trip = factories.build(
        RecuperationTrip, region(RUIAN), start_date=datetime.date(2026, 5, 10), title="礼遇疗休养"
    )
    with pytest.raises(ValidationError) as error:
        benefit_taken_record(
            worker=ledger["a"], kind=H, taken_on=datetime.date(2026, 5, 10), trip=trip,
            user=ruian_officer,
        )  # fmt: skip
    assert "trip" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        benefit_taken_record(
            worker=ledger["a"], kind=R, taken_on=datetime.date(2026, 5, 1), trip=trip,
            user=ruian_officer,
        )  # fmt: skip
    assert "taken_on" in error.value.message_dict


def test_a_benefit_follows_the_region_of_its_worker(ledger):
    benefit = BenefitTaken.objects.filter(worker=ledger["a"]).first()
    assert benefit is not None and benefit.region_id == ledger["a"].region_id


# --- the list on the 工作台 and the to-do page -------------------------------------------------


def test_the_workbench_of_a_county_welfare_officer_lists_who_is_due_masked_with_a_link(
    ledger, login, monkeypatch
):
    clock.freeze(monkeypatch, datetime.datetime(2026, 3, 2, 10, 0, tzinfo=clock.SHANGHAI))
    officer = factories.staff("ruian_welfare", Role.WELFARE, RUIAN)
    html = login(officer).get(reverse("admin:index")).content.decode()
    section = html.split('class="module workbench-benefits"')[1].split("</section>")[0]
    # 2026: A's 疗休养 and 体检 fall due; B's three are overdue since 2024; D is 乐清's.
    assert section.count("<tr") == 1 + 5
    assert "甲工匠" in section and "乙工匠" in section and "丁工匠" not in section
    assert ledger["a"].id_number not in html
    assert identity.mask_id_number(ledger["a"].id_number) in section
    assert "2024" in section  # overdue since 2024
    add = reverse("admin:welfare_benefittaken_add")
    assert f"{add}?worker={ledger['b'].pk}&amp;kind=recuperation&amp;taken_on=2026-03-02" in section
    # The link opens the form filled in with the worker and the benefit.
    form = login(officer).get(f"{add}?worker={ledger['b'].pk}&kind=recuperation")
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["worker"] == str(ledger["b"].pk)


def test_the_to_do_page_lists_them_too_and_a_clerk_sees_neither(ledger, login, monkeypatch):
    clock.freeze(monkeypatch, datetime.datetime(2026, 3, 2, 10, 0, tzinfo=clock.SHANGHAI))
    admin = login(factories.staff("ruian_admin", Role.ADMIN, RUIAN))
    todo = admin.get(reverse("todo")).content.decode()
    assert 'id="benefits-due"' in todo and "乙工匠" in todo
    # An admin may reveal full numbers on a worker's page (logged there); a list never does.
    assert ledger["b"].id_number not in todo
    assert identity.mask_id_number(ledger["b"].id_number) in todo
    clerk = login(factories.staff("ruian_clerk", Role.CLERK, RUIAN))
    assert "workbench-benefits" not in clerk.get(reverse("admin:index")).content.decode()
    assert 'id="benefits-due"' not in clerk.get(reverse("todo")).content.decode()


# --- the craftsman-benefits sheet ---------------------------------------------------------------


def test_a_messy_benefits_sheet_imports_with_its_aliases_and_spellings(ledger):
    clerk = factories.staff("ruian_clerk", Role.CLERK, RUIAN)
    a, b = ledger["a"], ledger["b"]
    rows = [
        ["序号", "姓名", "身份证号", "享受项目", "日期", "体检机构", "金额", "说明"],
        [1, " 甲工匠 ", a.id_number.lower(), "体检套餐", "2026.3.5", "瑞安市人民医院", "1,200", ""],
        [2, "乙工匠", b.id_number, "免费健身年卡", "2026年1月8日", "瑞安市总工会职工健身俱乐部", "", "礼遇工匠"],
        [3, "乙工匠", b.id_number, "休养", "2026-05-10", "安吉余村", "2500元", ""],
    ]  # fmt: skip
    report, _changes = sheet_import(
        resource_name="craftsman-benefits",
        data=xlsx(rows),
        file_name="礼遇工匠.xlsx",
        user=clerk,
        dry_run=False,
    )
    assert not report.errors, report.errors
    taken = {
        (row.worker.name, row.kind, row.taken_on, row.cost)
        for row in BenefitTaken.objects.filter(taken_on__year=2026)
        .exclude(taken_on=datetime.date(2026, 1, 10))  # A's 健身卡 of the ledger
        .select_related("worker")
    }
    assert taken == {
        ("甲工匠", H, datetime.date(2026, 3, 5), Decimal("1200.00")),
        ("乙工匠", F, datetime.date(2026, 1, 8), None),
        ("乙工匠", R, datetime.date(2026, 5, 10), Decimal("2500.00")),
    }
    # Taken: A's 体检 is no longer due in 2026; B's 疗休养 and 健身卡 neither, his 体检 still is.
    in_2026 = due_of(clerk, 2026)
    assert ("甲工匠", H) not in in_2026
    assert {kind for name, kind in in_2026 if name == "乙工匠"} == {H}


def test_a_benefits_row_with_another_countys_craftsman_names_nobody(ledger):
    clerk = factories.staff("ruian_clerk", Role.CLERK, RUIAN)
    d = ledger["d"]
    rows = [
        ["姓名", "身份证号", "礼遇项目", "享受日期"],
        ["丁工匠", d.id_number, "疗休养", "2026-05-10"],
    ]
    report, _changes = sheet_import(
        resource_name="craftsman-benefits",
        data=xlsx(rows),
        file_name="礼遇工匠.xlsx",
        user=clerk,
        dry_run=True,
    )
    [error] = report.errors
    assert "丁工匠" not in error.message and "乐清" not in error.message
